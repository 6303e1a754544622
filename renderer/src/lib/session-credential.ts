// Browser mode, the page's side of signing in (the server's: electron/server/auth.ts).
// The address it was opened with carries a launch code in its fragment; the
// page takes it out of the address bar at once and trades it on its WebSocket
// for this run's session credential, which it keeps in sessionStorage (this
// origin, port included, and this tab only) so a reload still works. A new tab
// starts with an empty sessionStorage (a link that opens it with noopener, or
// one the learner opens by hand), so it asks the tabs of this origin over a
// BroadcastChannel, which only same-origin pages can join. With no answer, the
// app says how to get a fresh address (banner.noSession).
import { parseLaunchFragment } from '../../../electron/api/launch-link';
import { credentialProtocols, launchProtocols, SECRET_PATTERN } from '../../../electron/api/ws-protocol';
import type { SocketAuth } from './ws-client';

export const CREDENTIAL_KEY = 'netlab.session';
export const CHANNEL_NAME = 'netlab.session';
/**
 * How long a tab without a credential waits for another tab's answer. A loaded tab answers at
 * once; this only bounds how long a lone tab shows nothing before it says what to do.
 */
const ASK_TIMEOUT_MS = 1500;

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
export type ChannelLike = Pick<BroadcastChannel, 'postMessage' | 'addEventListener' | 'removeEventListener'>;

type TabMessage = { type: 'ask' } | { type: 'credential'; credential: string };

/** Reads the launch code from the address and removes it there at once (the route stays). */
export function takeLaunchCode(location: Pick<Location, 'pathname' | 'search' | 'hash'>, history: Pick<History, 'state' | 'replaceState'>): string | undefined {
  const { code, hash } = parseLaunchFragment(location.hash);
  if (hash !== location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  return code;
}

function credentialIn(message: unknown): string | undefined {
  const m = message as Partial<{ type: string; credential: unknown }> | null;
  return m?.type === 'credential' && typeof m.credential === 'string' && SECRET_PATTERN.test(m.credential) ? m.credential : undefined;
}

/** The first credential another tab of this origin answers with, or undefined when none does in time. */
export function askOtherTabs(channel: ChannelLike, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const done = (credential: string | undefined): void => {
      clearTimeout(timer);
      channel.removeEventListener('message', onMessage);
      resolve(credential);
    };
    const onMessage = (event: MessageEvent): void => {
      const credential = credentialIn(event.data);
      if (credential) done(credential);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    channel.addEventListener('message', onMessage);
    channel.postMessage({ type: 'ask' } satisfies TabMessage);
  });
}

function read(storage: StorageLike | undefined): string | undefined {
  try {
    const value = storage?.getItem(CREDENTIAL_KEY);
    return value && SECRET_PATTERN.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function write(storage: StorageLike | undefined, credential: string | undefined): void {
  try {
    if (credential) storage?.setItem(CREDENTIAL_KEY, credential);
    else storage?.removeItem(CREDENTIAL_KEY);
  } catch {
    // Storage disabled: this tab works until it reloads.
  }
}

export interface SessionSources {
  /** The code taken from this page's address, if any. */
  launchCode?: string;
  storage?: StorageLike;
  channel?: ChannelLike;
  askTimeoutMs?: number;
}

/**
 * A launch code first (a fresh address wins), else the stored credential, else another tab's. A tab
 * answers other tabs only with a credential the server has accepted.
 */
export function createSocketAuth(sources: SessionSources): SocketAuth {
  const { launchCode, storage, channel } = sources;
  let offered: string | undefined;
  let accepted: string | undefined;
  channel?.addEventListener('message', (event: MessageEvent) => {
    if ((event.data as Partial<TabMessage> | null)?.type === 'ask' && accepted) {
      channel.postMessage({ type: 'credential', credential: accepted } satisfies TabMessage);
    }
  });
  return {
    async protocols() {
      if (launchCode) return launchProtocols(launchCode);
      offered = read(storage) ?? (channel ? await askOtherTabs(channel, sources.askTimeoutMs ?? ASK_TIMEOUT_MS) : undefined);
      return offered ? credentialProtocols(offered) : undefined;
    },
    onSession(credential) {
      accepted = credential;
      write(storage, credential);
    },
    onOpen() {
      if (!offered) return;
      accepted = offered;
      write(storage, offered);
    },
    onRefused() {
      // A credential of an earlier run (the server restarted): forget it, a reload would fail the same way.
      if (offered && read(storage) === offered) write(storage, undefined);
    },
  };
}
