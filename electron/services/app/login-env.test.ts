import { chmodSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDockerEndpoint } from '../docker/endpoint';
import { findOnPath, systemProbe } from '../terminals/host-shells';
import { dockerCliFolders, loginEnvironment, loginEnvPlan, mergeLoginEnv } from './login-env';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlab-login-env-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function executable(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

/**
 * A fake home whose login shell is a real script: it reads the home's
 * .zprofile, then runs the command shell-env gives it (`-ilc COMMAND`) in bash,
 * the way zsh would after reading the learner's profile.
 */
function fakeHome(profile: string, before = ''): { home: string; shell: string } {
  const home = tempDir();
  writeFileSync(path.join(home, '.zprofile'), profile);
  const shell = executable(
    path.join(home, 'bin', 'zsh'),
    `#!/bin/sh\n${before}. "${home}/.zprofile"\nexec /bin/bash -c "$2"\n`,
  );
  return { home, shell };
}

/** What Finder gives an app: launchd's short PATH (here without /usr/bin, where this machine has a docker), no TERM. */
function finderEnv(shell: string): NodeJS.ProcessEnv {
  return { PATH: '/usr/sbin:/sbin', SHELL: shell, HOME: '/Users/learner', ELECTRON_EXTRA: 'kept' };
}

describe('loginEnvPlan', () => {
  it('reads the login shell for a Finder start on macOS, not for a start from a terminal', () => {
    const { shell } = fakeHome('');
    expect(loginEnvPlan('darwin', finderEnv(shell))).toEqual({ read: true, shell });
    expect(loginEnvPlan('darwin', { ...finderEnv(shell), TERM: 'xterm-256color' })).toMatchObject({ read: false, reason: 'started from a terminal' });
  });

  it('on Linux reads it only for a desktop start; never on Windows', () => {
    const { shell } = fakeHome('');
    expect(loginEnvPlan('linux', { ...finderEnv(shell), DISPLAY: ':0' })).toEqual({ read: true, shell });
    expect(loginEnvPlan('linux', { ...finderEnv(shell), WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ read: true, shell });
    expect(loginEnvPlan('linux', finderEnv(shell))).toMatchObject({ read: false });
    expect(loginEnvPlan('win32', { Path: 'C:\\Windows' })).toMatchObject({ read: false });
  });
});

describe('mergeLoginEnv', () => {
  it("lays the shell's values over the app's, keeps the app's PATH after the shell's, and drops non-names", () => {
    const merged = mergeLoginEnv(
      { PATH: '/usr/bin:/bin', ELECTRON_EXTRA: 'kept', DOCKER_HOST: 'old' },
      { PATH: '/opt/homebrew/bin:/usr/bin', DOCKER_HOST: 'unix:///x.sock', SHLVL: '2', _: '/usr/bin/env', 'BASH_FUNC_f%%': '() {', ' echo hi': '' },
      'linux',
      tempDir(),
    );
    expect(merged.PATH).toBe('/opt/homebrew/bin:/usr/bin:/bin');
    expect(merged.DOCKER_HOST).toBe('unix:///x.sock');
    expect(merged.ELECTRON_EXTRA).toBe('kept');
    expect(Object.keys(merged).sort()).toEqual(['DOCKER_HOST', 'ELECTRON_EXTRA', 'PATH']);
  });

  it('adds the docker CLI folders that exist on macOS, and only there', () => {
    const home = tempDir();
    const root = tempDir();
    mkdirSync(path.join(home, '.docker', 'bin'), { recursive: true });
    mkdirSync(path.join(root, 'opt', 'homebrew', 'bin'), { recursive: true });
    const merged = mergeLoginEnv({ PATH: '/usr/bin:/bin' }, undefined, 'darwin', home, root);
    expect(merged.PATH).toBe(`/usr/bin:/bin:${root}/opt/homebrew/bin:${home}/.docker/bin`);
    expect(mergeLoginEnv({ PATH: '/usr/bin:/bin' }, undefined, 'linux', home, root).PATH).toBe('/usr/bin:/bin');
    expect(dockerCliFolders('win32', home)).toEqual([]);
  });
});

/** Shells that do answer get this long: a shared, busy machine must not turn an answer into a timeout. */
const SLOW_MACHINE_MS = 30_000;

describe('loginEnvironment', { timeout: 60_000 }, () => {
  it("gives the host shell and the engine lookup the login shell's PATH and DOCKER_HOST", async () => {
    const { home, shell } = fakeHome('');
    const brew = path.join(home, 'homebrew', 'bin');
    executable(path.join(brew, 'docker'), '#!/bin/sh\necho fake docker\n');
    writeFileSync(path.join(home, '.zprofile'), `export PATH="${brew}:$PATH"\nexport DOCKER_HOST="unix://${home}/.colima/default/docker.sock"\n`);
    const env = finderEnv(shell);
    // Before: the Finder environment finds neither.
    expect(findOnPath('docker', systemProbe(env, 'darwin'))).toBeUndefined();

    const { env: loginEnv, outcome } = await loginEnvironment({ platform: 'darwin', env, home, root: tempDir(), timeoutMs: SLOW_MACHINE_MS });
    expect(outcome).toMatchObject({ kind: 'login-shell', shell });
    expect(loginEnv.PATH?.split(':')[0]).toBe(brew);
    expect(loginEnv.ELECTRON_EXTRA).toBe('kept');
    expect(findOnPath('docker', systemProbe(loginEnv, 'darwin'))).toBe(path.join(brew, 'docker'));
    expect(execFileSync('docker', [], { env: loginEnv, encoding: 'utf8' })).toBe('fake docker\n');
    const endpoint = resolveDockerEndpoint(loginEnv, home, 'darwin', tempDir());
    expect(endpoint.source).toBe('DOCKER_HOST');
    expect(endpoint.options.socketPath).toBe(`${home}/.colima/default/docker.sock`);
  });

  it('falls back to the app environment when the login shell fails or prints no environment', async () => {
    const failing = fakeHome('echo "broken profile" >&2; exit 3\n');
    const home = failing.home;
    mkdirSync(path.join(home, '.docker', 'bin'), { recursive: true });
    const r = await loginEnvironment({ platform: 'darwin', env: finderEnv(failing.shell), home, root: tempDir(), timeoutMs: SLOW_MACHINE_MS });
    expect(r.outcome).toMatchObject({ kind: 'failed', shell: failing.shell });
    expect(r.env.PATH).toBe(`/usr/sbin:/sbin:${home}/.docker/bin`);
    expect(r.env.ELECTRON_EXTRA).toBe('kept');

    // A shell that answers without the markers shell-env looks for (nushell, a broken rc).
    const silent = tempDir();
    const mute = executable(path.join(silent, 'nu'), '#!/bin/sh\necho "no env here"\n');
    const quiet = await loginEnvironment({ platform: 'darwin', env: finderEnv(mute), home: silent, root: tempDir(), timeoutMs: SLOW_MACHINE_MS });
    expect(quiet.outcome).toMatchObject({ kind: 'failed' });
    expect(quiet.env.PATH).toBe('/usr/sbin:/sbin');
  });

  it('starts with the app environment when the login shell does not answer in time', async () => {
    // The shell blocks until the test lets it go: it waits to open a FIFO.
    const dir = tempDir();
    const fifo = path.join(dir, 'gate');
    execFileSync('mkfifo', [fifo]);
    const { home, shell } = fakeHome('export FROM_SHELL=yes\n', `read _gate < "${fifo}"\n`);
    const r = await loginEnvironment({ platform: 'darwin', env: finderEnv(shell), home, root: tempDir(), timeoutMs: 300 });
    expect(r.outcome).toEqual({ kind: 'failed', shell, reason: 'no answer within 300 ms' });
    expect(r.env.FROM_SHELL).toBeUndefined();
    expect(r.env.PATH).toBe('/usr/sbin:/sbin');
    // Let the stray shell finish.
    const fd = openSync(fifo, 'w');
    writeFileSync(fd, 'go\n');
    closeSync(fd);
  });

  it('leaves the environment alone on a start from a terminal and on Windows', async () => {
    const { home, shell } = fakeHome('export FROM_SHELL=yes\n');
    const fromTerminal = { ...finderEnv(shell), TERM: 'xterm-256color', DISPLAY: ':0' };
    const linux = await loginEnvironment({ platform: 'linux', env: fromTerminal, home });
    expect(linux.outcome).toEqual({ kind: 'skipped', reason: 'started from a terminal' });
    expect(linux.env).toBe(fromTerminal);
    const windows = { Path: 'C:\\Windows;C:\\Program Files\\Docker\\Docker\\resources\\bin' };
    expect((await loginEnvironment({ platform: 'win32', env: windows, home: 'C:\\Users\\张三' })).env).toBe(windows);
  });

  it('reads it on a Linux desktop start', async () => {
    const { home, shell } = fakeHome('export FROM_SHELL=yes\n');
    const r = await loginEnvironment({ platform: 'linux', env: { ...finderEnv(shell), DISPLAY: ':0' }, home, timeoutMs: SLOW_MACHINE_MS });
    expect(r.outcome.kind).toBe('login-shell');
    expect(r.env.FROM_SHELL).toBe('yes');
  });
});
