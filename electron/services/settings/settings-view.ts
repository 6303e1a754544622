// The settings as the Settings screen shows them: what this run uses, what the
// learner chose for the next start, and whether a restart is needed to apply it;
// and the host shell, whose choice applies at once (host-shell.ts).
import type { AppSettings } from '../../api/types';
import type { HostShellSetting } from './host-shell';
import type { SettingsStore } from './settings-store';

export class SettingsView {
  /** A data directory or endpoint was chosen during this run (applies at the next start). */
  private changedThisRun = false;

  constructor(
    private readonly store: SettingsStore,
    /** What this run uses: the data directory, and the Docker endpoint as a URL. */
    private readonly current: { dataDir: string; endpoint: string },
    private readonly hostShell: HostShellSetting,
  ) {}

  /** A choice that applies at the next start was made. */
  restartNeeded(): void {
    this.changedThisRun = true;
  }

  snapshot(): AppSettings {
    const s = this.store.get();
    const warning = this.store.loadWarning();
    return {
      settingsFile: this.store.file,
      dataDir: { current: this.current.dataDir, ...(s.dataDir ? { chosen: s.dataDir } : {}) },
      dockerEndpoint: { current: this.current.endpoint, ...(s.dockerEndpoint ? { chosen: s.dockerEndpoint } : {}) },
      hostShell: this.hostShell.view(),
      lessonFolders: s.lessonFolders,
      screenReaderMode: s.screenReaderMode ?? false,
      restartNeeded: this.changedThisRun,
      ...(warning ? { warning } : {}),
    };
  }
}
