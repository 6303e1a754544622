// Screen-reader mode for the terminals (xterm's screenReaderMode: an
// accessibility tree of the terminal's text that screen readers can read and
// browse). The choice lives in the app's settings, so it holds after a restart
// and in every window; the open terminals follow `enabled` at once. Settings
// offers a switch, and Alt+Shift+R (lib/shortcuts.ts) toggles it from anywhere
// in a lesson, terminals included.

export interface ScreenReaderApi {
  /** The saved choice. */
  get(): Promise<boolean>;
  /** Saves a choice; resolves with the saved value. */
  set(enabled: boolean): Promise<boolean>;
}

export class ScreenReaderMode {
  enabled = $state(false);
  /** Why the last change could not be saved ('' when it was). */
  error = $state('');
  /** Bumped by every change, so a load that answers after it cannot undo it. */
  #version = 0;
  readonly #api: ScreenReaderApi;

  constructor(api: ScreenReaderApi) {
    this.#api = api;
  }

  /** Reads the saved choice; a failure leaves the mode as it is (off at start). */
  async load(): Promise<void> {
    const started = this.#version;
    try {
      const saved = await this.#api.get();
      if (this.#version === started) this.enabled = saved;
    } catch {
      // Off until the settings can be read; the switch still works for this page.
    }
  }

  /** Applies at once and saves; if saving fails, the terminals go back to the saved state and `error` says why. */
  async set(enabled: boolean): Promise<void> {
    const version = ++this.#version;
    const previous = this.enabled;
    this.enabled = enabled;
    this.error = '';
    try {
      const saved = await this.#api.set(enabled);
      if (this.#version === version) this.enabled = saved;
    } catch (err) {
      if (this.#version !== version) return;
      this.enabled = previous;
      this.error = err instanceof Error ? err.message || err.name : String(err);
    }
  }

  toggle(): Promise<void> {
    return this.set(!this.enabled);
  }
}
