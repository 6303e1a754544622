// The contract's settings methods: what the Settings screen shows, the choices
// that apply at the next start (the data directory, the Docker endpoint), and
// the host shell, which applies to the host terminals opened after it, and
// screen-reader mode, which the renderer applies to its terminals at once.
import { access, constants, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Handlers, MethodInput } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { AppSettings } from '../../api/types';
import type { HostShellSetting } from './host-shell';
import type { SettingsStore } from './settings-store';
import type { SettingsView } from './settings-view';
import { describeEndpoint } from './startup';

type SettingsMethod = 'settings.get' | 'settings.set';

interface SettingsDeps {
  store: SettingsStore;
  view: SettingsView;
  hostShell: HostShellSetting;
  /** The environment the app started with (for resolving a new endpoint choice). */
  env: NodeJS.ProcessEnv;
}

export function createSettingsHandlers({ store, view, hostShell, env }: SettingsDeps) {
  async function getSettings(_input: MethodInput<'settings.get'>): Promise<AppSettings> {
    return view.snapshot();
  }

  /** null clears a choice; a chosen directory must be writable, an endpoint resolvable, a shell an executable file. */
  async function setSettings({ dataDir, dockerEndpoint, hostShell: shell, screenReaderMode }: MethodInput<'settings.set'>): Promise<AppSettings> {
    let nextDir: string | null | undefined = dataDir;
    if (typeof dataDir === 'string') {
      nextDir = resolve(dataDir);
      await checkWritableDir(nextDir);
    }
    if (typeof dockerEndpoint === 'string') {
      try {
        describeEndpoint(dockerEndpoint, env);
      } catch (err) {
        throw new LabError((err as Error).message, 'invalid');
      }
    }
    if (typeof shell === 'string') hostShell.check(shell);
    await store.update((s) => {
      if (nextDir === null) delete s.dataDir;
      else if (nextDir !== undefined) s.dataDir = nextDir;
      if (dockerEndpoint === null) delete s.dockerEndpoint;
      else if (dockerEndpoint !== undefined) s.dockerEndpoint = dockerEndpoint.trim();
      if (shell === null) delete s.hostShell;
      else if (shell !== undefined) s.hostShell = shell;
      if (screenReaderMode !== undefined) s.screenReaderMode = screenReaderMode;
    });
    if (shell !== undefined) hostShell.chosen();
    if (dataDir !== undefined || dockerEndpoint !== undefined) view.restartNeeded();
    return view.snapshot();
  }

  return {
    'settings.get': getSettings,
    'settings.set': setSettings,
  } satisfies Pick<Handlers, SettingsMethod>;
}

async function checkWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new LabError(`Cannot use ${dir} as the data directory: ${(err as Error).message}`, 'invalid');
  }
}
