// Who may call the API over IPC: only the app's own page. A frame qualifies
// when it is the main frame of one of the app's windows and its document is
// at the app's exact origin (app://netlab), or, in an unpackaged run on Vite's
// dev server, at that server's exact origin. Origins are compared whole, never
// by prefix (a prefix check lets :5173 match :51730), and a file:// document,
// which any local file could be, never qualifies. No electron import: index.ts
// gathers the facts from the IPC event.
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-protocol';

export interface SenderFacts {
  /** The sending frame's URL; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** The origin Chromium reports for the frame's document. */
  frameOrigin: string | undefined;
  /** The frame is the top frame of its page (no parent). */
  isMainFrame: boolean;
  /** The page is one of the windows the app opened. */
  inAppWindow: boolean;
  packaged: boolean;
  /** ELECTRON_RENDERER_URL, which electron-vite sets for `npm run dev`. */
  devServerUrl: string | undefined;
}

/**
 * The serialized origin of a URL, for the schemes a page of ours can have; undefined for anything else
 * (file:, data:, about:, blob: and the like have no origin we accept). Node gives a non-special scheme such as
 * app: the opaque origin "null", so app: is serialized here as Chromium serializes a standard scheme.
 */
export function originOf(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.username || u.password) return undefined;
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return APP_ORIGIN;
  return undefined;
}

/** The dev server's origin, in an unpackaged run that has one (an http(s) URL); never when packaged. */
export function devServerOrigin(packaged: boolean, devServerUrl: string | undefined): string | undefined {
  if (packaged || !devServerUrl) return undefined;
  const origin = originOf(devServerUrl);
  return origin?.startsWith('http') ? origin : undefined;
}

/** The origins whose main frame may call, in this run. */
export function allowedOrigins(packaged: boolean, devServerUrl: string | undefined): string[] {
  const dev = devServerOrigin(packaged, devServerUrl);
  return dev ? [APP_ORIGIN, dev] : [APP_ORIGIN];
}

/** Whether an IPC call comes from the app's own page. */
export function isAppSender(facts: SenderFacts): boolean {
  if (!facts.inAppWindow || !facts.isMainFrame || facts.frameUrl === undefined) return false;
  const origin = originOf(facts.frameUrl);
  if (origin === undefined) return false;
  // Chromium's origin for the document and its URL's must agree: two views of one fact, so a mismatch is refused.
  return facts.frameOrigin === origin && allowedOrigins(facts.packaged, facts.devServerUrl).includes(origin);
}
