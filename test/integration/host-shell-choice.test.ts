// The host shell chosen in Settings, through the real services: it applies to
// the next host terminal without a restart, over the services' shell option
// (--shell); clearing it runs the login shell; a path that cannot run is refused.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInShell, startTestServices, type TestServices } from '../support/services';
import { waitFor } from '../support/docker';

const FISH = '/usr/bin/fish';
const ZSH = '/usr/bin/zsh';

let t: TestServices;

beforeAll(async () => {
  // bash for this run (as --shell would say); zsh is the login shell.
  t = await startTestServices('netlab-shell-choice-', undefined, { SHELL: ZSH });
});

afterAll(async () => {
  await t?.services.dispose();
});

/** Opens a host terminal at its first prompt, runs `check` in it and closes it; resolves with the check's exit code. */
async function inNewHostShell(check: string): Promise<number> {
  const { id, reportsCommands } = await t.api['terminal.open']({ kind: 'host', cols: 120, rows: 30 });
  expect(reportsCommands).toBe(true);
  const prompts = (): number => t.sink.of('terminal.data').filter((d) => d.id === id && d.data.includes('\x1b]133;A;')).length;
  await waitFor(() => prompts() > 0, 'the first prompt', 15_000);
  await runInShell(t, id, check);
  const record = t.sink.of('terminal.command').findLast((c) => c.terminalId === id);
  await t.api['terminal.close']({ id });
  return record?.exitCode ?? -1;
}

describe('the host shell setting', () => {
  it('shows what runs now, the login shell and the shells found', async () => {
    const { hostShell } = await t.api['settings.get']({});
    expect(hostShell).toMatchObject({ current: { path: 'bash', integrated: true }, source: 'command-line', login: { path: ZSH, integrated: true } });
    expect(hostShell.found).toContainEqual({ path: expect.stringMatching(/\/fish$/), integrated: true });
    expect(hostShell.found).toContainEqual({ path: expect.stringMatching(/\/dash$|\/sh$/), integrated: false });
  });

  it('applies a choice to the next host terminal, over the shell of the run, and keeps it', async () => {
    const after = await t.api['settings.set']({ hostShell: FISH });
    expect(after.hostShell).toMatchObject({ current: { path: FISH, integrated: true }, source: 'chosen', chosen: FISH });
    expect(after.restartNeeded).toBe(false);
    expect(JSON.parse(await readFile(join(t.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ hostShell: FISH });
    expect(await inNewHostShell('set -q FISH_VERSION')).toBe(0);
  });

  it('runs a shell without integration plain, and says its terminal reports no commands', async () => {
    const dash = (await t.api['settings.get']({})).hostShell.found.find((s) => !s.integrated);
    expect(dash).toBeDefined();
    await t.api['settings.set']({ hostShell: dash?.path ?? '' });
    const info = await t.api['terminal.open']({ kind: 'host', cols: 120, rows: 30 });
    expect(info.reportsCommands).toBe(false);
    await t.api['terminal.close']({ id: info.id });
  });

  it('runs the login shell once the choice is cleared', async () => {
    const after = await t.api['settings.set']({ hostShell: null });
    expect(after.hostShell).toMatchObject({ current: { path: ZSH }, source: 'login' });
    expect(after.hostShell.chosen).toBeUndefined();
    expect(await inNewHostShell('[[ -n $ZSH_VERSION ]]')).toBe(0);
  });

  it('refuses a path that cannot run, saying why, and keeps the choice it had', async () => {
    await expect(t.api['settings.set']({ hostShell: '/etc' })).rejects.toThrow(/Cannot use \/etc as the host shell: \/etc is not a file/);
    const text = join(t.dataDir, 'not-a-program.txt');
    await writeFile(text, 'echo hi\n', { mode: 0o644 });
    await expect(t.api['settings.set']({ hostShell: text })).rejects.toThrow(/is not executable/);
    await expect(t.api['settings.set']({ hostShell: '/no/such/shell' })).rejects.toThrow(/There is no \/no\/such\/shell/);
    expect((await t.api['settings.get']({})).hostShell).toMatchObject({ source: 'login' });
  });
});
