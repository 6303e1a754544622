// Launch codes: what the printed address carries instead of the session
// credential. A code works once and for at most a minute, so the copy left in
// the browser's history, in a browser's command line (/proc/*/cmdline) or in
// the terminal's scrollback is worth nothing by the time anyone reads it.
import { newSecret, secretMatches } from './auth';

export const LAUNCH_CODE_TTL_MS = 60_000;
/** Codes that may be live at once; the oldest goes first (nobody opens more tabs than this in a minute). */
const MAX_LIVE = 32;

interface LaunchCodeOptions {
  /** How long a code lives, at most LAUNCH_CODE_TTL_MS (tests shorten it). */
  ttlMs?: number;
  /** A monotonic clock in ms (tests inject one). */
  now?: () => number;
}

interface Live {
  code: string;
  expiresAt: number;
}

export class LaunchCodes {
  private live: Live[] = [];
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: LaunchCodeOptions = {}) {
    const ttl = options.ttlMs ?? LAUNCH_CODE_TTL_MS;
    this.ttlMs = Number.isFinite(ttl) ? Math.min(Math.max(ttl, 0), LAUNCH_CODE_TTL_MS) : LAUNCH_CODE_TTL_MS;
    this.now = options.now ?? ((): number => performance.now());
  }

  mint(): string {
    this.prune();
    if (this.live.length >= MAX_LIVE) this.live.shift();
    const code = newSecret();
    this.live.push({ code, expiresAt: this.now() + this.ttlMs });
    return code;
  }

  /** True once for a live code; a used, expired or unknown one is refused. */
  redeem(given: string): boolean {
    const now = this.now();
    // Every live code is compared, in constant time each: no early exit tells how close a guess came.
    let index = -1;
    this.live.forEach((entry, i) => {
      if (secretMatches(entry.code, given)) index = i;
    });
    if (index < 0) return false;
    const [entry] = this.live.splice(index, 1);
    return entry !== undefined && now < entry.expiresAt;
  }

  private prune(): void {
    const now = this.now();
    this.live = this.live.filter((entry) => now < entry.expiresAt);
  }
}

/** The TTL from NETLAB_LAUNCH_TTL_MS (tests set 0 to get codes that are already expired), else the default. */
export function launchTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NETLAB_LAUNCH_TTL_MS;
  const ms = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(ms) ? ms : LAUNCH_CODE_TTL_MS;
}
