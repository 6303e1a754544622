/**
 * A token bucket: `capacity` messages at once, refilled at `perSecond`.
 * The clock is injected so tests (and the bench) decide what time it is.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /**
   * Takes `n` tokens (one message, or `n` bytes for a byte budget); false when fewer are left
   * (the caller drops or defers it). `n` above the capacity never passes.
   */
  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until `n` tokens are available (0 when they are). */
  waitMs(n = 1): number {
    this.refill();
    return this.tokens >= n ? 0 : Math.ceil(((n - this.tokens) / this.perSecond) * 1000);
  }

  private refill(): void {
    const t = this.now();
    const elapsed = Math.max(0, t - this.last) / 1000;
    this.last = t;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perSecond);
  }
}

/** Exponential backoff with "equal jitter" (half fixed, half random) so a room of learners does not reconnect in lockstep, capped; `random` is injected for tests. */
export function backoffDelayMs(attempt: number, random: () => number, baseMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
