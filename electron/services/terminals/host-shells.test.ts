import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findShells, isIntegrated, loginShell, shellKind, shellPathProblem, systemProbe, type ShellProbe } from './host-shells';

/** A machine described by its executable files (path -> the program it really is). */
function machine(options: {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  files?: Record<string, string>;
  passwd?: string;
  etcShells?: string[];
  notExecutable?: string[];
}): ShellProbe {
  const files = options.files ?? {};
  return {
    env: options.env ?? {},
    platform: options.platform ?? 'linux',
    fileStatus: (path) => (options.notExecutable?.includes(path) ? 'not-executable' : path in files ? 'ok' : 'missing'),
    passwdShell: () => options.passwd,
    listedShells: () => options.etcShells ?? [],
    realPath: (path) => files[path] ?? path,
  };
}

describe('shellKind and isIntegrated', () => {
  it('knows bash, zsh, fish and PowerShell by name, in either path style', () => {
    expect(shellKind('/usr/bin/bash')).toBe('bash');
    expect(shellKind('/bin/zsh')).toBe('zsh');
    expect(shellKind('/opt/homebrew/bin/fish')).toBe('fish');
    expect(shellKind('/usr/bin/pwsh')).toBe('powershell');
    expect(shellKind('C:\\Program Files\\PowerShell\\7\\pwsh.exe')).toBe('powershell');
    expect(shellKind('powershell.exe')).toBe('powershell');
    expect(shellKind('C:\\Windows\\System32\\cmd.exe')).toBe('plain');
    expect(shellKind('/bin/dash')).toBe('plain');
    expect(shellKind('/bin/sh')).toBe('plain');
  });

  it('integrates PowerShell everywhere, the POSIX shells outside Windows, nothing else', () => {
    expect(isIntegrated('fish', 'linux')).toBe(true);
    expect(isIntegrated('bash', 'darwin')).toBe(true);
    expect(isIntegrated('powershell', 'win32')).toBe(true);
    expect(isIntegrated('powershell', 'linux')).toBe(true);
    expect(isIntegrated('bash', 'win32')).toBe(false);
    expect(isIntegrated('plain', 'linux')).toBe(false);
  });
});

describe('loginShell', () => {
  it('takes $SHELL whatever it is', () => {
    expect(loginShell(machine({ env: { SHELL: '/usr/bin/fish' }, files: { '/usr/bin/fish': '/usr/bin/fish' } }))).toBe('/usr/bin/fish');
    expect(loginShell(machine({ env: { SHELL: '/bin/dash' }, files: { '/bin/dash': '/bin/dash' } }))).toBe('/bin/dash');
  });

  it('falls back to the passwd entry, then bash on PATH, then sh', () => {
    const files = { '/usr/bin/zsh': '/usr/bin/zsh', '/usr/bin/bash': '/usr/bin/bash' };
    expect(loginShell(machine({ env: {}, passwd: '/usr/bin/zsh', files }))).toBe('/usr/bin/zsh');
    // $SHELL names a shell that is gone, the passwd entry refuses sessions.
    expect(loginShell(machine({ env: { SHELL: '/opt/gone/fish', PATH: '/usr/bin' }, passwd: '/usr/sbin/nologin', files: { ...files, '/usr/sbin/nologin': 'x' } }))).toBe(
      '/usr/bin/bash',
    );
    expect(loginShell(machine({ env: { SHELL: 'zsh' }, files }))).toBe('/bin/sh');
  });

  it('is pwsh on Windows when it is on PATH, else Windows PowerShell', () => {
    const pwsh = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
    const win = (files: Record<string, string>) => machine({ platform: 'win32', env: { Path: 'C:\\Windows\\system32;C:\\Program Files\\PowerShell\\7\\', SHELL: '/usr/bin/bash' }, files });
    expect(loginShell(win({ [pwsh]: pwsh }))).toBe(pwsh);
    expect(loginShell(win({}))).toBe('powershell.exe');
  });
});

describe('findShells', () => {
  it('offers the interactive shells /etc/shells and PATH hold, each program once', () => {
    const probe = machine({
      env: { PATH: '/usr/local/bin:/usr/bin' },
      etcShells: ['# /etc/shells', '/bin/sh', '/bin/bash', '/usr/bin/bash', '/usr/bin/tmux', '/bin/dash', '/usr/bin/zsh', '/usr/bin/gone', ''],
      files: {
        '/bin/sh': '/usr/bin/dash',
        '/bin/dash': '/usr/bin/dash',
        '/bin/bash': '/usr/bin/bash',
        '/usr/bin/bash': '/usr/bin/bash',
        '/usr/bin/tmux': '/usr/bin/tmux',
        '/usr/bin/zsh': '/usr/bin/zsh',
        // Not listed in /etc/shells: found on PATH.
        '/usr/local/bin/pwsh': '/opt/microsoft/powershell/7/pwsh',
      },
    });
    expect(findShells(probe)).toEqual(['/bin/sh', '/bin/bash', '/usr/bin/zsh', '/usr/local/bin/pwsh']);
  });

  it('offers PowerShell and cmd on Windows', () => {
    const probe = machine({
      platform: 'win32',
      env: { Path: 'C:\\Windows\\system32', SystemRoot: 'C:\\Windows' },
      files: {
        'C:\\Windows\\system32\\cmd.exe': 'C:\\Windows\\System32\\cmd.exe',
        'C:\\Windows\\System32\\cmd.exe': 'C:\\Windows\\System32\\cmd.exe',
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe': 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      },
    });
    expect(findShells(probe)).toEqual(['C:\\Windows\\system32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
  });
});

describe('shellPathProblem', () => {
  const probe = machine({ files: { '/bin/fish': '/bin/fish' }, notExecutable: ['/etc/passwd'] });
  it('accepts an absolute path to an executable file, and says what is wrong with anything else', () => {
    expect(shellPathProblem('/bin/fish', probe)).toBeUndefined();
    expect(shellPathProblem('fish', probe)).toMatch(/not an absolute path/);
    expect(shellPathProblem('/nope/fish', probe)).toMatch(/There is no \/nope\/fish/);
    expect(shellPathProblem('/etc/passwd', probe)).toMatch(/not executable/);
  });
});

describe('systemProbe', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netlab-probe-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads files, execute bits and links on this machine', async () => {
    const shell = join(dir, 'myshell');
    await writeFile(shell, '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'plain'), 'x', { mode: 0o644 });
    await symlink(shell, join(dir, 'link'));
    const probe = systemProbe({}, 'linux');
    expect(probe.fileStatus(shell)).toBe('ok');
    // Even root may run only a file with an execute bit.
    expect(probe.fileStatus(join(dir, 'plain'))).toBe('not-executable');
    expect(probe.fileStatus(dir)).toBe('not-a-file');
    expect(probe.fileStatus(join(dir, 'nope'))).toBe('missing');
    expect(probe.realPath(join(dir, 'link'))).toBe(probe.realPath(shell));
  });
});
