// settings.set / settings.get for screen-reader mode: off by default, kept in
// the settings file, and left alone by a call that sets something else.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShellProbe } from '../terminals/host-shells';
import { HostShellSetting } from './host-shell';
import { createSettingsHandlers } from './settings-handlers';
import { SettingsStore } from './settings-store';
import { SettingsView } from './settings-view';

const probe: ShellProbe = {
  env: { SHELL: '/bin/bash' },
  platform: 'linux',
  fileStatus: (path) => (path === '/bin/bash' ? 'ok' : 'missing'),
  passwdShell: () => undefined,
  listedShells: () => ['/bin/bash'],
  realPath: (path) => path,
};

async function handlers(file?: string): Promise<{ api: ReturnType<typeof createSettingsHandlers>; file: string }> {
  const store = new SettingsStore(file ?? join(await mkdtemp(join(tmpdir(), 'netlab-settings-handlers-')), 'settings.json'));
  await store.load();
  const hostShell = new HostShellSetting(store, probe);
  const view = new SettingsView(store, { dataDir: '/tmp/netlab', endpoint: 'unix:///var/run/docker.sock' }, hostShell);
  return { api: createSettingsHandlers({ store, view, hostShell, env: {} }), file: store.file };
}

describe('screen-reader mode setting', () => {
  it('is off by default, and a choice is kept in the settings file across a restart', async () => {
    const { api, file } = await handlers();
    expect((await api['settings.get']({})).screenReaderMode).toBe(false);
    const on = await api['settings.set']({ screenReaderMode: true });
    expect(on.screenReaderMode).toBe(true);
    // It applies at once: no restart is asked for.
    expect(on.restartNeeded).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ screenReaderMode: true });

    const again = await handlers(file);
    expect((await again.api['settings.get']({})).screenReaderMode).toBe(true);
    expect((await again.api['settings.set']({ screenReaderMode: false })).screenReaderMode).toBe(false);
  });

  it('is left as it is by a call that sets something else', async () => {
    const { api } = await handlers();
    await api['settings.set']({ screenReaderMode: true });
    expect((await api['settings.set']({ hostShell: null })).screenReaderMode).toBe(true);
  });
});
