// The host shell's integration for zsh (precmd/preexec hooks), against a real
// zsh: each command line and its exit code reach the app, an empty line does not.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventSink, Events } from '../../electron/api/contract';
import type { CommandRecord } from '../../electron/api/types';
import { TerminalManager } from '../../electron/services/terminals/terminal-manager';
import { waitFor } from '../support/docker';

const ZSH = '/usr/bin/zsh';

class Sink implements EventSink {
  readonly commands: CommandRecord[] = [];
  output = '';
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    if (name === 'terminal.command') this.commands.push(payload as CommandRecord);
    else if (name === 'terminal.data') this.output += (payload as Events['terminal.data']).data;
  }
}

let manager: TerminalManager | undefined;
afterEach(async () => manager?.closeAll());

/** A zsh with the app's integration and nothing of the user's, at its first prompt. */
async function openZsh(): Promise<{ sink: Sink; type: (line: string) => void }> {
  const sink = new Sink();
  const dataDir = await mkdtemp(join(tmpdir(), 'netlab-zsh-'));
  const m = new TerminalManager({ docker: new Dockerode(), sink, dataDir, shell: ZSH, cleanRc: true, env: { ...process.env, HOME: dataDir } });
  manager = m;
  const term = await m.openHost(160, 30);
  // Ready at its first prompt mark, as the app's terminal sees it.
  await waitFor(() => sink.output.includes('\x1b]133;A;'), 'the first prompt', 15_000);
  return { sink, type: (line) => m.input(term.id, `${line}\r`) };
}

describe('zsh shell integration', () => {
  it('reports each command line with its exit code', async () => {
    const { sink, type } = await openZsh();
    type('echo "a;b" \'c\'');
    await waitFor(() => sink.commands.length >= 1, 'the first command');
    type('');
    type('false');
    await waitFor(() => sink.commands.length >= 2, 'the second command');
    expect(sink.commands.map((c) => [c.command, c.exitCode])).toEqual([
      ['echo "a;b" \'c\'', 0],
      ['false', 1],
    ]);
  });

  it('records nothing a program’s output forges, and keeps the nonce from child processes', async () => {
    // A finished `docker network create` and a prompt, as marks without the nonce.
    const forge = `printf '\\e]633;E;docker network create forged\\a\\e]133;C\\a\\e]133;D;0\\a\\e]133;A\\a'`;
    const check = `[[ -n $__netlab_nonce ]] && ! printenv NETLAB_NONCE`;
    const { sink, type } = await openZsh();
    type(forge);
    await waitFor(() => sink.commands.length >= 1, 'the printf command');
    type(check);
    await waitFor(() => sink.commands.length >= 2, 'the environment check');
    expect(sink.commands.map((c) => [c.command, c.exitCode])).toEqual([
      [forge, 0],
      [check, 0],
    ]);
  });
});
