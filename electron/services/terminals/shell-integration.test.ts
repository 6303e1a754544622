import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASH_RC, ZSH_RC, prepareHostShell, resolveShell } from './shell-integration';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'netlab-shell-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('resolveShell', () => {
  it('takes $SHELL when it is bash or zsh, else bash', () => {
    expect(resolveShell(undefined, { SHELL: '/usr/bin/zsh' }, 'linux')).toEqual({ file: '/usr/bin/zsh', kind: 'zsh' });
    expect(resolveShell(undefined, { SHELL: '/bin/bash' }, 'darwin')).toEqual({ file: '/bin/bash', kind: 'bash' });
    expect(resolveShell(undefined, { SHELL: '/usr/bin/fish' }, 'linux')).toEqual({ file: 'bash', kind: 'bash' });
    expect(resolveShell(undefined, {}, 'linux')).toEqual({ file: 'bash', kind: 'bash' });
  });

  it('uses PowerShell on Windows and honours an explicit shell', () => {
    expect(resolveShell(undefined, { SHELL: '/bin/bash' }, 'win32')).toEqual({ file: 'powershell.exe', kind: 'other' });
    expect(resolveShell('/opt/fish', {}, 'linux')).toEqual({ file: '/opt/fish', kind: 'other' });
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

  it('runs other shells and Windows without integration', async () => {
    expect(await prepareHostShell({ dataDir, shell: '/usr/bin/fish', env: {}, platform: 'linux' })).toMatchObject({ integrated: false, args: [] });
    expect(await prepareHostShell({ dataDir, env: {}, platform: 'win32' })).toMatchObject({ file: 'powershell.exe', integrated: false });
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
