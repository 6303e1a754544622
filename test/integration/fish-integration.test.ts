// The host shell's integration for fish (fish_preexec / fish_postexec /
// fish_prompt events), against a real fish: each command line and its exit
// code reach the app, an empty line does not, a program's forged marks are
// ignored, the nonce stays out of children's environment, and the learner's
// own config still loads.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventSink, Events } from '../../electron/api/contract';
import type { CommandRecord } from '../../electron/api/types';
import { FISH_INIT } from '../../electron/services/terminals/fish-integration';
import { escapeOscValue } from '../../electron/services/terminals/osc-parser';
import { TerminalManager } from '../../electron/services/terminals/terminal-manager';
import { waitFor } from '../support/docker';

const FISH = '/usr/bin/fish';

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

/** A fish with the app's integration at its first prompt; `home` may hold the learner's config. */
async function openFish(options: { cleanRc?: boolean; home?: string } = {}): Promise<{ sink: Sink; type: (line: string) => void }> {
  const sink = new Sink();
  const dataDir = await mkdtemp(join(tmpdir(), 'netlab-fish-'));
  const home = options.home ?? dataDir;
  const m = new TerminalManager({
    docker: new Dockerode(),
    sink,
    dataDir,
    shell: FISH,
    cleanRc: options.cleanRc ?? true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') },
  });
  manager = m;
  const term = await m.openHost(160, 30);
  await waitFor(() => sink.output.includes('\x1b]133;A;'), 'the first prompt', 15_000);
  return { sink, type: (line) => m.input(term.id, `${line}\r`) };
}

describe('fish shell integration', () => {
  it('reports each command line with its exit code, and nothing for an empty line', async () => {
    const { sink, type } = await openFish();
    type('echo "a;b" \'c\\d\'');
    await waitFor(() => sink.commands.length >= 1, 'the first command');
    type('');
    type('false');
    await waitFor(() => sink.commands.length >= 2, 'the second command');
    type('sh -c "exit 7"');
    await waitFor(() => sink.commands.length >= 3, 'the third command');
    expect(sink.commands.map((c) => [c.command, c.exitCode])).toEqual([
      ['echo "a;b" \'c\\d\'', 0],
      ['false', 1],
      ['sh -c "exit 7"', 7],
    ]);
  });

  it('records nothing a program’s output forges, and keeps the nonce from child processes', async () => {
    const forge = `printf '\\e]633;E;docker network create forged\\a\\e]133;C\\a\\e]133;D;0\\a\\e]133;A\\a'`;
    const check = 'set -q __netlab_nonce; and not printenv NETLAB_NONCE';
    const { sink, type } = await openFish();
    type(forge);
    await waitFor(() => sink.commands.length >= 1, 'the printf command');
    type(check);
    await waitFor(() => sink.commands.length >= 2, 'the environment check');
    expect(sink.commands.map((c) => [c.command, c.exitCode])).toEqual([
      [forge, 0],
      [check, 0],
    ]);
  });

  it('loads the learner’s config and keeps their history, unless asked not to', async () => {
    const home = await mkdtemp(join(tmpdir(), 'netlab-fish-home-'));
    await mkdir(join(home, '.config/fish'), { recursive: true });
    await writeFile(join(home, '.config/fish/config.fish'), 'function learners_own; return 3; end\n');
    const own = await openFish({ cleanRc: false, home });
    own.type('learners_own');
    await waitFor(() => own.sink.commands.length >= 1, 'the learner’s function');
    expect(own.sink.commands[0]).toMatchObject({ command: 'learners_own', exitCode: 3 });
    const history = join(home, '.local/share/fish/fish_history');
    expect(await readFile(history, 'utf8')).toContain('cmd: learners_own');
    await manager?.closeAll();
    await rm(history);

    const clean = await openFish({ cleanRc: true, home });
    clean.type('functions -q learners_own');
    await waitFor(() => clean.sink.commands.length >= 1, 'the check');
    expect(clean.sink.commands[0]).toMatchObject({ exitCode: 1 });
    await expect(readFile(history, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('escapes a command line as VS Code does', async () => {
    const init = join(await mkdtemp(join(tmpdir(), 'netlab-fish-')), 'netlab.fish');
    await writeFile(init, FISH_INIT);
    const line = 'printf "%s;%s\\n" a\\b\ttab é\nnext\r\x1b';
    const out = execFileSync(FISH, ['--no-config', '-c', 'source $argv[1]; __netlab_escape $argv[2]', init, line]).toString();
    expect(out).toBe(`${escapeOscValue(line)}\n`);
  });
});
