// A lazily loaded screen whose files fail to arrive: Chromium aborts a page's
// requests in flight when the machine's network addresses change
// (ERR_NETWORK_CHANGED), and Docker changes them whenever it adds a bridge or
// a veth, which a lab does all the time. Vite then fires `vite:preloadError`.
// The page reloads once: the hash route reopens the same screen and the tab's
// sessionStorage keeps it signed in. A second failure within a minute is shown
// as the error it is, never a reload loop.

const KEY = 'netlab.chunkReloadAt';
const WINDOW_MS = 60_000;

export interface ReloadHost {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  reload(): void;
  now(): number;
}

/** Whether to reload for this failure (and, if so, notes when, so a second one does not). */
export function reloadForFailedChunk(host: ReloadHost): boolean {
  const last = Number(host.storage.getItem(KEY));
  if (Number.isFinite(last) && last > 0 && host.now() - last < WINDOW_MS) return false;
  host.storage.setItem(KEY, String(host.now()));
  host.reload();
  return true;
}

export function reloadOnFailedChunks(win: Window = window): void {
  win.addEventListener('vite:preloadError', (event) => {
    const host: ReloadHost = { storage: win.sessionStorage, reload: () => win.location.reload(), now: () => Date.now() };
    // Handled: the import's own error is not thrown into the screen.
    if (reloadForFailedChunk(host)) event.preventDefault();
  });
}
