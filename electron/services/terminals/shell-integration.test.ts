import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FISH_INIT } from './fish-integration';
import type { ShellProbe } from './host-shells';
import { POWERSHELL_INIT } from './powershell-integration';
import { BASH_RC, ZSH_RC, prepareHostShell, resolveShell } from './shell-integration';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'netlab-shell-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('resolveShell', () => {
  const probe: ShellProbe = {
    env: { SHELL: '/usr/bin/fish' },
    platform: 'linux',
    fileStatus: (path) => (path === '/usr/bin/fish' ? 'ok' : 'missing'),
    passwdShell: () => undefined,
    listedShells: () => [],
    realPath: (path) => path,
  };
  it('takes the login shell whatever it is, or the given one', () => {
    expect(resolveShell(undefined, probe)).toEqual({ file: '/usr/bin/fish', kind: 'fish' });
    expect(resolveShell('/bin/dash', probe)).toEqual({ file: '/bin/dash', kind: 'plain' });
    expect(resolveShell('bash', probe)).toEqual({ file: 'bash', kind: 'bash' });
  });
});

describe('prepareHostShell', () => {
  it('starts bash with the app rcfile and the terminal environment', async () => {
    const spec = await prepareHostShell({ dataDir, shell: '/bin/bash', env: { PATH: '/bin', FOO: 'x' }, cleanRc: true, platform: 'linux' });
    const rc = join(dataDir, 'shell', 'bashrc');
    expect(spec).toMatchObject({ file: '/bin/bash', args: ['--rcfile', rc, '-i'], kind: 'bash', integrated: true });
    expect(spec.env).toMatchObject({ PATH: '/bin', FOO: 'x', TERM: 'xterm-256color', COLORTERM: 'truecolor', NETLAB: '1', NETLAB_CLEAN_RC: '1' });
    expect(await readFile(rc, 'utf8')).toBe(BASH_RC);
  });

  it('passes the terminal’s nonce, never one inherited from an outer terminal', async () => {
    const spec = await prepareHostShell({ dataDir, shell: 'bash', env: { NETLAB_NONCE: 'outer' }, nonce: 'c0ffee', platform: 'linux' });
    expect(spec.env.NETLAB_NONCE).toBe('c0ffee');
    const none = await prepareHostShell({ dataDir, shell: 'bash', env: { NETLAB_NONCE: 'outer' }, platform: 'linux' });
    expect(none.env.NETLAB_NONCE).toBeUndefined();
  });

  it('does not pass NETLAB_CLEAN_RC on unless asked', async () => {
    const spec = await prepareHostShell({ dataDir, shell: 'bash', env: { NETLAB_CLEAN_RC: '1' }, platform: 'linux' });
    expect(spec.env.NETLAB_CLEAN_RC).toBeUndefined();
  });

  it('points zsh at the app ZDOTDIR and remembers the user one', async () => {
    const spec = await prepareHostShell({ dataDir, shell: '/bin/zsh', env: { ZDOTDIR: '/home/u/.config/zsh' }, platform: 'linux' });
    const zdot = join(dataDir, 'shell', 'zsh');
    expect(spec.args).toEqual(['-i']);
    expect(spec.env).toMatchObject({ ZDOTDIR: zdot, NETLAB_ZDOTDIR: zdot, NETLAB_USER_ZDOTDIR: '/home/u/.config/zsh' });
    expect(await readFile(join(zdot, '.zshrc'), 'utf8')).toBe(ZSH_RC);
    expect(await readFile(join(zdot, '.zshenv'), 'utf8')).toContain('ZDOTDIR=$NETLAB_ZDOTDIR');
  });

  it('starts fish with its init file, after the learner’s config or with none', async () => {
    const init = join(dataDir, 'shell', 'netlab.fish');
    const spec = await prepareHostShell({ dataDir, shell: '/usr/bin/fish', env: {}, nonce: 'c0ffee', platform: 'linux' });
    expect(spec).toMatchObject({ file: '/usr/bin/fish', kind: 'fish', integrated: true, args: ['--init-command', `source '${init}'`] });
    expect(spec.env.NETLAB_NONCE).toBe('c0ffee');
    expect(await readFile(init, 'utf8')).toBe(FISH_INIT);
    const clean = await prepareHostShell({ dataDir, shell: '/usr/bin/fish', env: {}, cleanRc: true, platform: 'linux' });
    expect(clean.args).toEqual(['--no-config', '--init-command', `source '${init}'`]);
  });

  it('starts PowerShell with its script, on Windows and elsewhere', async () => {
    const init = join(dataDir, 'shell', 'netlab.ps1');
    const win = await prepareHostShell({ dataDir, env: {}, cleanRc: true, platform: 'win32' });
    expect(win).toMatchObject({ file: 'powershell.exe', kind: 'powershell', integrated: true });
    expect(win.args).toEqual(['-NoExit', '-NoProfile', '-Command', expect.stringContaining(`. '${init}'`)]);
    expect(await readFile(init, 'utf8')).toBe(POWERSHELL_INIT);
    const pwsh = await prepareHostShell({ dataDir, shell: '/usr/bin/pwsh', env: {}, platform: 'linux' });
    expect(pwsh).toMatchObject({ kind: 'powershell', integrated: true });
    expect(pwsh.args.slice(0, 2)).toEqual(['-NoExit', '-Command']);
  });

  it('runs other shells plain, and bash on Windows too', async () => {
    expect(await prepareHostShell({ dataDir, shell: '/bin/dash', env: {}, platform: 'linux' })).toMatchObject({ kind: 'plain', integrated: false, args: [] });
    expect(await prepareHostShell({ dataDir, shell: 'C:\\Windows\\System32\\cmd.exe', env: {}, platform: 'win32' })).toMatchObject({
      kind: 'plain',
      integrated: false,
      args: [],
    });
    expect(await prepareHostShell({ dataDir, shell: 'C:\\Program Files\\Git\\bin\\bash.exe', env: {}, platform: 'win32' })).toMatchObject({
      kind: 'bash',
      integrated: false,
      args: [],
    });
  });
});

describe('the bash rc file', () => {
  it('is valid bash with the shell variables intact', () => {
    expect(BASH_RC).toContain('${NETLAB_CLEAN_RC-}');
    expect(BASH_RC).not.toContain('\\${');
    const rc = join(tmpdir(), `netlab-rc-${process.pid}.bash`);
    execFileSync('bash', ['-c', 'cat > "$1" && bash -n "$1"; s=$?; rm -f "$1"; exit $s', 'x', rc], { input: BASH_RC });
  });

  it('keeps the nonce in a shell variable and out of its children’s environment', async () => {
    const { env } = await prepareHostShell({ dataDir, shell: 'bash', env: { PATH: process.env.PATH, HOME: dataDir }, cleanRc: true, nonce: 'c0ffee', platform: 'linux' });
    const rc = join(dataDir, 'shell', 'bashrc');
    const out = execFileSync('bash', ['--rcfile', rc, '-i', '-c', 'printenv NETLAB_NONCE; echo "child=$? shell=$__netlab_nonce"'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.toString()).toBe('child=1 shell=c0ffee\n');
  });

  it('escapes a command line as VS Code does', () => {
    const line = 'printf "%s;%s\\n" a\\b\ttab é';
    const out = execFileSync('bash', ['-c', `eval "$(sed -n '/^  __netlab_escape()/,/^  }/p')"; __netlab_escape "$1"; printf '%s' "$__netlab_reply"`, 'x', line], {
      input: BASH_RC,
    }).toString();
    expect(out).toBe('printf "%s\\x3b%s\\\\n" a\\\\b\\x09tab é');
  });
});
