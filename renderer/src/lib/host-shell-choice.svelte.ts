// The host shell form in Settings: the login shell (the default), a shell
// found on this machine, or another program by its path. The main process
// checks the path (an executable file) and applies the choice to the host
// terminals opened after it; the form only says which one and shows the answer.
import type { AppSettings, HostShellSettings } from '../../../electron/api/types';

/** The select's values besides the found shells' paths. */
export const LOGIN_SHELL = 'login';
export const OTHER_SHELL = 'other';

export interface HostShellApi {
  /** settings.set with hostShell: null goes back to the login shell. */
  save(hostShell: string | null): Promise<AppSettings>;
}

export class HostShellChoice {
  /** LOGIN_SHELL, OTHER_SHELL or a found shell's path. */
  selected = $state(LOGIN_SHELL);
  customPath = $state('');
  busy = $state(false);
  outcome = $state<{ ok: true } | { ok: false; message: string } | null>(null);

  constructor(private readonly api: HostShellApi) {}

  /** Shows the saved choice: a found shell, another path, or none. */
  load(settings: HostShellSettings): void {
    const { chosen } = settings;
    if (!chosen) {
      this.selected = LOGIN_SHELL;
    } else if (settings.found.some((s) => s.path === chosen)) {
      this.selected = chosen;
    } else {
      this.selected = OTHER_SHELL;
      this.customPath = chosen;
    }
  }

  /** What Save sends: null for the login shell, '' when another program was picked but not named. */
  get value(): string | null {
    if (this.selected === LOGIN_SHELL) return null;
    if (this.selected === OTHER_SHELL) return this.customPath.trim();
    return this.selected;
  }

  get canSave(): boolean {
    return !this.busy && this.value !== '';
  }

  /** Saves the choice; resolves with the new settings, or undefined when it was refused (outcome says why). */
  async save(): Promise<AppSettings | undefined> {
    if (!this.canSave) return undefined;
    this.busy = true;
    this.outcome = null;
    try {
      const settings = await this.api.save(this.value);
      this.outcome = { ok: true };
      return settings;
    } catch (err) {
      this.outcome = { ok: false, message: err instanceof Error ? err.message : String(err) };
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
