// At most one call per interval, always of the latest state: the first request of a quiet spell
// goes out on the next turn, later ones within the interval join one trailing call. The dashboard
// event carries the whole class, so a room passing a checkpoint together must not send one per
// learner (bench/scenarios/class-dashboard.ts measures the page during such a burst).
import type { Timers } from './learner-client';

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface Throttled {
  request(): void;
  cancel(): void;
}

export function throttle(fn: () => void, intervalMs: number, timers: Timers = realTimers, now: () => number = () => performance.now()): Throttled {
  let timer: unknown = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  const fire = (): void => {
    timer = null;
    lastAt = now();
    fn();
  };
  return {
    request(): void {
      if (timer !== null) return;
      timer = timers.setTimeout(fire, Math.max(0, lastAt + intervalMs - now()));
    },
    cancel(): void {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
