// The deb's after-install and after-remove scripts and its AppArmor profile
// (build/linux/), rendered the way electron-builder renders them and run for
// real against a temporary root ($DPKG_ROOT), never against this system.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(__dirname, '..', '..');
const NAMES = { executable: 'netlab', sanitizedProductName: 'NetLab', productFilename: 'NetLab' };

/** electron-builder's rule (FpmTarget's writeConfigFile): `${name}` from its options, an unknown name is an error. */
function render(file: string): string {
  return readFileSync(path.resolve(repo, file), 'utf8').replace(/\${([a-zA-Z]+)}/g, (_m, name: string) => {
    const value = (NAMES as Record<string, string>)[name];
    if (value === undefined) throw new Error(`Macro ${name} is not defined in ${file}`);
    return value;
  });
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlab-deb-'));
  temps.push(dir);
  return dir;
}

/** A root with what dpkg would have unpacked, and the folders update-alternatives keeps. */
function fakeRoot(options: { abi4?: boolean; restricted?: boolean } = {}): string {
  const root = tempDir();
  for (const dir of ['opt/NetLab/resources', 'usr/bin', 'etc/alternatives', 'var/lib/dpkg/alternatives', 'etc/apparmor.d/abi']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  writeFileSync(path.join(root, 'opt/NetLab/netlab'), '#!/bin/sh\n');
  chmodSync(path.join(root, 'opt/NetLab/netlab'), 0o755);
  writeFileSync(path.join(root, 'opt/NetLab/chrome-sandbox'), '');
  writeFileSync(path.join(root, 'opt/NetLab/resources/apparmor-profile'), render('build/linux/apparmor-profile.tpl'));
  if (options.abi4) writeFileSync(path.join(root, 'etc/apparmor.d/abi/4.0'), 'abi 4.0 stand-in\n');
  if (options.restricted) {
    mkdirSync(path.join(root, 'proc/sys/kernel'), { recursive: true });
    writeFileSync(path.join(root, 'proc/sys/kernel/apparmor_restrict_unprivileged_userns'), '1\n');
  }
  return root;
}

/** A stand-in apparmor_parser that records its arguments and accepts or refuses every profile. */
function standInParser(accepts: boolean): { dir: string; calls: () => string[] } {
  const dir = tempDir();
  const log = path.join(dir, 'calls');
  writeFileSync(path.join(dir, 'apparmor_parser'), `#!/bin/sh\necho "$*" >> "${log}"\nexit ${accepts ? 0 : 1}\n`);
  chmodSync(path.join(dir, 'apparmor_parser'), 0o755);
  return { dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function run(script: string, root: string, args: string[] = ['configure'], pathFirst?: string): { status: number | null; out: string } {
  const file = path.join(tempDir(), path.basename(script));
  writeFileSync(file, render(script));
  const PATH = [pathFirst, process.env.PATH].filter(Boolean).join(':');
  const r = spawnSync('/bin/sh', [file, ...args], { env: { PATH, DPKG_ROOT: root }, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the deb scripts', { timeout: 30_000 }, () => {
  it('render with only the names electron-builder gives, and are valid sh', () => {
    for (const script of ['build/linux/after-install.sh', 'build/linux/after-remove.sh']) {
      const text = render(script);
      expect(text).not.toMatch(/\$\{/);
      const file = path.join(tempDir(), 'script.sh');
      writeFileSync(file, text);
      expect(spawnSync('sh', ['-n', file]).status).toBe(0);
    }
    // The near miss: a shell-style ${VAR} in a script would stop electron-builder.
    const nearMiss = path.join(tempDir(), 'near-miss.sh');
    writeFileSync(nearMiss, 'echo "${HOME}"\n');
    expect(() => render(nearMiss)).toThrow(/Macro HOME is not defined/);
  });

  it('the profile lets only the installed binary create user namespaces, as Ubuntu requires', () => {
    const profile = render('build/linux/apparmor-profile.tpl');
    expect(profile).toContain('abi <abi/4.0>,');
    expect(profile).toContain('include <tunables/global>');
    expect(profile).toMatch(/^profile netlab "\/opt\/NetLab\/netlab" flags=\(unconfined\) \{$/m);
    expect(profile).toMatch(/^\s+userns,$/m);
    expect(profile).toContain('include if exists <local/netlab>');
  });

  it('electron-builder.yml uses them for the deb, and the AppImage adds no --no-sandbox', () => {
    const config = parse(readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(config.deb).toMatchObject({
      afterInstall: 'build/linux/after-install.sh',
      afterRemove: 'build/linux/after-remove.sh',
      appArmorProfile: 'build/linux/apparmor-profile.tpl',
    });
    expect(config.appImage?.executableArgs).toEqual([]);
    expect(readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')).not.toContain('no-sandbox');
    // electron-builder's schema accepts these keys: test/unit/packaging.test.ts.
  });

  it('without AppArmor 4 it links the command and installs no profile', () => {
    const root = fakeRoot();
    const r = run('build/linux/after-install.sh', root);
    expect(r.status).toBe(0);
    expect(r.out).toContain('no AppArmor 4 here');
    expect(existsSync(path.join(root, 'etc/apparmor.d/netlab'))).toBe(false);
    expect(readlinkSync(path.join(root, 'usr/bin/netlab'))).toBe('/etc/alternatives/netlab');
    expect(readlinkSync(path.join(root, 'etc/alternatives/netlab'))).toBe('/opt/NetLab/netlab');
    // The setuid helper only where this kernel has no user namespaces for the sandbox.
    const userns = spawnSync('unshare', ['--user', 'true']).status === 0 && lstatSync('/proc/self/ns/user').isSymbolicLink();
    expect(statSync(path.join(root, 'opt/NetLab/chrome-sandbox')).mode & 0o7777).toBe(userns ? 0o755 : 0o4755);
  });

  it('with AppArmor 4 it installs the profile the parser accepts, and loads nothing into this kernel for another root', () => {
    const root = fakeRoot({ abi4: true });
    const parser = standInParser(true);
    const r = run('build/linux/after-install.sh', root, ['configure'], parser.dir);
    expect(r.status).toBe(0);
    const installed = path.join(root, 'etc/apparmor.d/netlab');
    expect(readFileSync(installed, 'utf8')).toBe(render('build/linux/apparmor-profile.tpl'));
    expect(statSync(installed).mode & 0o777).toBe(0o644);
    expect(parser.calls()).toEqual([`--skip-kernel-load --debug --base ${root}/etc/apparmor.d ${root}/opt/NetLab/resources/apparmor-profile`]);
  });

  it('where AppArmor restricts user namespaces, the sandbox has the profile or else its setuid helper', () => {
    const userns = spawnSync('unshare', ['--user', 'true']).status === 0 && lstatSync('/proc/self/ns/user').isSymbolicLink();
    const withProfile = fakeRoot({ abi4: true, restricted: true });
    expect(run('build/linux/after-install.sh', withProfile, ['configure'], standInParser(true).dir).status).toBe(0);
    expect(existsSync(path.join(withProfile, 'etc/apparmor.d/netlab'))).toBe(true);
    expect(statSync(path.join(withProfile, 'opt/NetLab/chrome-sandbox')).mode & 0o7777).toBe(userns ? 0o755 : 0o4755);

    const refused = fakeRoot({ abi4: true, restricted: true });
    const r = run('build/linux/after-install.sh', refused, ['configure'], standInParser(false).dir);
    expect(r.status).toBe(0);
    expect(r.out).toContain('the sandbox uses its setuid helper');
    expect(statSync(path.join(refused, 'opt/NetLab/chrome-sandbox')).mode & 0o7777).toBe(0o4755);
  });

  it('with an AppArmor that refuses the profile it installs none and still succeeds', () => {
    const root = fakeRoot({ abi4: true });
    const parser = standInParser(false);
    const r = run('build/linux/after-install.sh', root, ['configure'], parser.dir);
    expect(r.status).toBe(0);
    expect(r.out).toContain('does not accept the profile');
    expect(existsSync(path.join(root, 'etc/apparmor.d/netlab'))).toBe(false);
  });

  it("this machine's own apparmor_parser decides the same way the script does", () => {
    const real = spawnSync('sh', ['-c', 'command -v apparmor_parser'], { encoding: 'utf8' }).stdout.trim();
    if (!real) return; // no AppArmor tools here: the stand-ins above cover both answers
    const root = fakeRoot({ abi4: true });
    // The real parser needs the real abi and tunables to read the profile.
    execFileSync('cp', ['-r', '/etc/apparmor.d/tunables', path.join(root, 'etc/apparmor.d/')]);
    const accepted = spawnSync(real, ['--skip-kernel-load', '--debug', '--base', path.join(root, 'etc/apparmor.d'), path.join(root, 'opt/NetLab/resources/apparmor-profile')]).status === 0;
    const r = run('build/linux/after-install.sh', root);
    expect(r.status).toBe(0);
    expect(existsSync(path.join(root, 'etc/apparmor.d/netlab'))).toBe(accepted);
  });

  it('after-remove takes the link and the profile away on remove, and keeps them on upgrade', () => {
    const root = fakeRoot({ abi4: true });
    const parser = standInParser(true);
    expect(run('build/linux/after-install.sh', root, ['configure'], parser.dir).status).toBe(0);
    const profile = path.join(root, 'etc/apparmor.d/netlab');
    expect(existsSync(profile)).toBe(true);

    expect(run('build/linux/after-remove.sh', root, ['upgrade', '1.0.0'], parser.dir).status).toBe(0);
    expect(existsSync(profile)).toBe(true);
    // Links into the installed root point at /opt/...: read them, do not follow them.
    expect(readlinkSync(path.join(root, 'etc/alternatives/netlab'))).toBe('/opt/NetLab/netlab');

    expect(run('build/linux/after-remove.sh', root, ['remove'], parser.dir).status).toBe(0);
    expect(existsSync(profile)).toBe(false);
    expect(() => lstatSync(path.join(root, 'etc/alternatives/netlab'))).toThrow();
    expect(() => lstatSync(path.join(root, 'usr/bin/netlab'))).toThrow();
    // Nothing was unloaded from this kernel: it was another root.
    expect(parser.calls().some((c) => c.startsWith('--remove'))).toBe(false);
  });
});
