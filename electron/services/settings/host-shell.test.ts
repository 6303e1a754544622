import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShellProbe } from '../terminals/host-shells';
import { HostShellSetting } from './host-shell';
import { SettingsStore } from './settings-store';

const executables = new Set(['/bin/bash', '/usr/bin/fish', '/bin/dash']);
const probe: ShellProbe = {
  env: { SHELL: '/bin/bash' },
  platform: 'linux',
  fileStatus: (path) => (executables.has(path) ? 'ok' : path === '/etc' ? 'not-a-file' : 'missing'),
  passwdShell: () => undefined,
  listedShells: () => ['/bin/bash', '/usr/bin/fish', '/bin/dash'],
  realPath: (path) => path,
};

async function store(): Promise<SettingsStore> {
  const s = new SettingsStore(join(await mkdtemp(join(tmpdir(), 'netlab-shell-setting-')), 'settings.json'));
  await s.load();
  return s;
}

describe('HostShellSetting', () => {
  it('runs the login shell by default and offers the shells found, each with its integration', async () => {
    const setting = new HostShellSetting(await store(), probe);
    expect(setting.program()).toBe('/bin/bash');
    expect(setting.view()).toEqual({
      current: { path: '/bin/bash', integrated: true },
      source: 'login',
      login: { path: '/bin/bash', integrated: true },
      found: [
        { path: '/bin/bash', integrated: true },
        { path: '/usr/bin/fish', integrated: true },
        { path: '/bin/dash', integrated: false },
      ],
    });
  });

  it('runs the saved choice, or the login shell with a warning once it is gone', async () => {
    const s = await store();
    const setting = new HostShellSetting(s, probe);
    await s.update((d) => void (d.hostShell = '/usr/bin/fish'));
    expect(setting.program()).toBe('/usr/bin/fish');
    expect(setting.view()).toMatchObject({ source: 'chosen', chosen: '/usr/bin/fish', current: { path: '/usr/bin/fish' } });
    await s.update((d) => void (d.hostShell = '/opt/gone/zsh'));
    expect(setting.program()).toBe('/bin/bash');
    expect(setting.view()).toMatchObject({ source: 'login', chosen: '/opt/gone/zsh', warning: expect.stringMatching(/There is no \/opt\/gone\/zsh/) });
  });

  it('runs --shell for this run until the learner chooses in Settings', async () => {
    const s = await store();
    await s.update((d) => void (d.hostShell = '/usr/bin/fish'));
    const setting = new HostShellSetting(s, probe, '/bin/dash');
    expect(setting.view()).toMatchObject({ source: 'command-line', current: { path: '/bin/dash', integrated: false } });
    await s.update((d) => void delete d.hostShell);
    setting.chosen();
    expect(setting.view()).toMatchObject({ source: 'login', current: { path: '/bin/bash' } });
  });

  it('refuses a path that cannot run, saying why', () => {
    const setting = new HostShellSetting(new SettingsStore('/nonexistent/settings.json'), probe);
    expect(() => setting.check('/usr/bin/fish')).not.toThrow();
    expect(() => setting.check('/etc')).toThrow(/Cannot use \/etc as the host shell: \/etc is not a file/);
    expect(() => setting.check('/nope')).toThrow(expect.objectContaining({ code: 'invalid' }));
  });
});
