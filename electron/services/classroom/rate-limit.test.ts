import { describe, expect, it } from 'vitest';
import { backoffDelayMs, TokenBucket } from './rate-limit';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate on the injected clock', () => {
    let t = 0;
    const b = new TokenBucket(3, 2, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.waitMs()).toBe(500);
    t += 499;
    expect(b.take()).toBe(false);
    t += 1;
    expect(b.take()).toBe(true);
    t += 60_000;
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });

  it('takes several tokens at once for a byte budget, and never more than it holds', () => {
    let t = 0;
    const b = new TokenBucket(1000, 100, () => t);
    expect(b.take(600)).toBe(true);
    expect(b.take(600)).toBe(false);
    expect(b.waitMs(600)).toBe(2000);
    t += 2000;
    expect(b.take(600)).toBe(true);
    expect(b.take(1001)).toBe(false);
  });

  it('ignores a clock that goes backwards', () => {
    let t = 10_000;
    const b = new TokenBucket(1, 1, () => t);
    expect(b.take()).toBe(true);
    t = 0;
    expect(b.take()).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  it('doubles up to the cap, half fixed and half random', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelayMs(a, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffDelayMs(a, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(40, () => 1)).toBe(30_000);
    expect(backoffDelayMs(40, () => 0)).toBe(15_000);
  });
});
