// Chromium switches the desktop shell sets before the app is ready. Plain data
// (no electron import) so the benchmarks can launch Chromium the same way.

/**
 * DeferRendererTasksAfterInput: after a key press Chromium holds the page's
 * other tasks until the next frame, and a terminal's echo arrives as such a
 * task, so every keystroke's echo waited one extra frame. Measured in Chromium
 * over browser mode (npm run bench, echo): disabling it is the row "echo idle,
 * Chromium with the desktop switches".
 */
const DISABLED_FEATURES: readonly string[] = ['DeferRendererTasksAfterInput'];

/** The same switches as Chromium command-line arguments. */
export function chromiumArgs(): string[] {
  return [`--disable-features=${DISABLED_FEATURES.join(',')}`];
}

export function applyChromiumSwitches(commandLine: { appendSwitch(name: string, value?: string): void }): void {
  commandLine.appendSwitch('disable-features', DISABLED_FEATURES.join(','));
}
