// The host shell's integration for zsh (precmd/preexec hooks), against a real
// zsh: each command line and its exit code reach the app, an empty line does not.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventName, EventSink, Events } from '../../electron/api/contract';
import type { CommandRecord } from '../../electron/api/types';
import { TerminalManager } from '../../electron/services/terminals/terminal-manager';
import { waitFor } from './helpers/docker';

const ZSH = '/usr/bin/zsh';

class Sink implements EventSink {
  readonly commands: CommandRecord[] = [];
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    if (name === 'terminal.command') this.commands.push(payload as CommandRecord);
  }
}

let manager: TerminalManager | undefined;
afterAll(async () => manager?.closeAll());

describe('zsh shell integration', () => {
  it('reports each command line with its exit code', async () => {
    const sink = new Sink();
    const dataDir = await mkdtemp(join(tmpdir(), 'netlab-zsh-'));
    manager = new TerminalManager({ docker: new Dockerode(), sink, dataDir, shell: ZSH, cleanRc: true, env: { ...process.env, HOME: dataDir } });
    const term = await manager.openHost(100, 30);
    await manager.waitForPrompt(term.id);
    manager.input(term.id, 'echo "a;b" \'c\'\r');
    await waitFor(() => sink.commands.length >= 1, 'the first command');
    manager.input(term.id, '\r');
    manager.input(term.id, 'false\r');
    await waitFor(() => sink.commands.length >= 2, 'the second command');
    expect(sink.commands.map((c) => [c.command, c.exitCode])).toEqual([
      ['echo "a;b" \'c\'', 0],
      ['false', 1],
    ]);
  });
});
