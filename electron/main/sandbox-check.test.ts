import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apparmorPath, appImageProfileCommands, readSandboxFacts, sandboxVerdict } from './sandbox-check';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fake /proc with the AppArmor switch set to `restrict` (undefined: no such file, as without AppArmor). */
function fakeProc(restrict?: string): string {
  const proc = mkdtempSync(path.join(os.tmpdir(), 'netlab-proc-'));
  temps.push(proc);
  mkdirSync(path.join(proc, 'sys', 'kernel'), { recursive: true });
  if (restrict !== undefined) writeFileSync(path.join(proc, 'sys', 'kernel', 'apparmor_restrict_unprivileged_userns'), `${restrict}\n`);
  return proc;
}

const APPIMAGE = '/home/张三/Apps/NetLab 1.0.AppImage';

describe('readSandboxFacts and sandboxVerdict', () => {
  it('refuses an AppImage run without the sandbox on Ubuntu 24.04, with the deb and the profile as ways out', () => {
    const facts = readSandboxFacts({ noSandbox: true, packaged: true }, { APPIMAGE }, 'linux', fakeProc('1'));
    expect(facts).toMatchObject({ appImage: APPIMAGE, apparmorRestrictsUserns: '1' });
    const verdict = sandboxVerdict(facts);
    expect(verdict).toMatchObject({ action: 'refuse', reason: 'appimage-apparmor', title: 'NetLab cannot start its sandbox' });
    if (verdict.action !== 'refuse') throw new Error('refused above');
    expect(verdict.message).toContain('.deb');
    expect(verdict.message).toContain(`profile netlab-appimage "${APPIMAGE}" flags=(unconfined) {`);
    expect(verdict.message).toContain('sudo apparmor_parser -r /etc/apparmor.d/netlab-appimage');
    const zh = sandboxVerdict(facts, 'zh-CN');
    expect(zh).toMatchObject({ action: 'refuse', title: 'NetLab 无法启动沙箱' });
  });

  it('says why for an AppImage where AppArmor is not the cause', () => {
    for (const proc of [fakeProc('0'), fakeProc()]) {
      const verdict = sandboxVerdict(readSandboxFacts({ noSandbox: true, packaged: true }, { APPIMAGE }, 'linux', proc));
      expect(verdict).toMatchObject({ action: 'refuse', reason: 'appimage-no-userns' });
      expect(verdict.action === 'refuse' && verdict.message).toContain('unshare -Ur true');
    }
  });

  it('runs whenever the sandbox is on, whatever AppArmor says', () => {
    const facts = readSandboxFacts({ noSandbox: false, packaged: true }, { APPIMAGE }, 'linux', fakeProc('1'));
    expect(sandboxVerdict(facts)).toEqual({ action: 'run' });
  });

  it('refuses --no-sandbox in any packaged app, and only warns in a development run', () => {
    const deb = readSandboxFacts({ noSandbox: true, packaged: true }, {}, 'linux', fakeProc('1'));
    expect(deb.appImage).toBeUndefined();
    expect(sandboxVerdict(deb)).toMatchObject({ action: 'refuse', reason: 'no-sandbox-switch' });
    expect(sandboxVerdict(readSandboxFacts({ noSandbox: true, packaged: true }, {}, 'darwin'))).toMatchObject({ action: 'refuse', reason: 'no-sandbox-switch' });
    // APPIMAGE means nothing outside Linux.
    expect(readSandboxFacts({ noSandbox: true, packaged: true }, { APPIMAGE }, 'win32').appImage).toBeUndefined();
    expect(sandboxVerdict(readSandboxFacts({ noSandbox: true, packaged: false }, { APPIMAGE }, 'linux', fakeProc('1')))).toMatchObject({ action: 'warn' });
  });
});

describe('the AppImage profile commands', () => {
  it("escapes AppArmor's pattern characters so the profile matches that one file", () => {
    expect(apparmorPath('/home/a/NetLab.AppImage')).toBe('"/home/a/NetLab.AppImage"');
    expect(apparmorPath('/home/a/[x]{y}*?@"\\.AppImage')).toBe('"/home/a/\\[x\\]\\{y\\}\\*\\?\\@\\"\\\\.AppImage"');
    expect(apparmorPath('relative/NetLab.AppImage')).toBeUndefined();
    expect(apparmorPath('/home/a/line\nbreak.AppImage')).toBeUndefined();
    expect(appImageProfileCommands('/home/a/line\nbreak.AppImage')).toBeUndefined();
  });

  it('writes exactly the profile when run by a shell (tee and the parser stood in)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlab-profile-'));
    temps.push(dir);
    const commands = appImageProfileCommands("/home/o'brien/$HOME `x` NetLab.AppImage") ?? '';
    // sudo runs its command; tee writes into the temp dir instead of /etc/apparmor.d.
    writeFileSync(path.join(dir, 'sudo'), '#!/bin/sh\n"$@"\n', { mode: 0o755 });
    writeFileSync(path.join(dir, 'tee'), `#!/bin/sh\ncat > "${dir}/profile"\n`, { mode: 0o755 });
    writeFileSync(path.join(dir, 'apparmor_parser'), `#!/bin/sh\necho "$*" > "${dir}/parsed"\n`, { mode: 0o755 });
    const r = spawnSync('/bin/sh', ['-c', commands], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    // Nothing in the path was expanded by the shell.
    expect(readFileSync(path.join(dir, 'profile'), 'utf8')).toBe(
      'abi <abi/4.0>,\ninclude <tunables/global>\nprofile netlab-appimage "/home/o\'brien/$HOME `x` NetLab.AppImage" flags=(unconfined) {\n  userns,\n}\n',
    );
    expect(readFileSync(path.join(dir, 'parsed'), 'utf8')).toBe('-r /etc/apparmor.d/netlab-appimage\n');
  });
});
