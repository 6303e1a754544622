import { describe, expect, it } from 'vitest';
import { LAUNCH_CODE_TTL_MS, LaunchCodes, launchTtlFromEnv } from './launch-codes';
import { SECRET_PATTERN } from '../api/ws-protocol';

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('LaunchCodes', () => {
  it('mints distinct codes that fit a URL fragment and a WebSocket protocol', () => {
    const codes = new LaunchCodes();
    const a = codes.mint();
    const b = codes.mint();
    expect(a).not.toBe(b);
    expect(a).toMatch(SECRET_PATTERN);
  });

  it('accepts a code once', () => {
    const codes = new LaunchCodes();
    const code = codes.mint();
    expect(codes.redeem(code)).toBe(true);
    expect(codes.redeem(code)).toBe(false);
  });

  it('refuses unknown codes, including near misses', () => {
    const codes = new LaunchCodes();
    const code = codes.mint();
    expect(codes.redeem('')).toBe(false);
    expect(codes.redeem(code.slice(0, -1))).toBe(false);
    expect(codes.redeem(`${code}x`)).toBe(false);
    expect(codes.redeem(code)).toBe(true);
  });

  it('refuses a code once its time is up, and never lets one live past a minute', () => {
    const t = clock();
    const codes = new LaunchCodes({ now: t.now, ttlMs: 10_000 });
    const early = codes.mint();
    const late = codes.mint();
    t.advance(9_999);
    expect(codes.redeem(early)).toBe(true);
    t.advance(1);
    expect(codes.redeem(late)).toBe(false);

    const capped = new LaunchCodes({ now: t.now, ttlMs: 10 * LAUNCH_CODE_TTL_MS });
    const code = capped.mint();
    t.advance(LAUNCH_CODE_TTL_MS);
    expect(capped.redeem(code)).toBe(false);
  });

  it('with a TTL of 0 every code is already expired', () => {
    const t = clock();
    const codes = new LaunchCodes({ now: t.now, ttlMs: 0 });
    expect(codes.redeem(codes.mint())).toBe(false);
  });

  it('keeps a bounded number of live codes, dropping the oldest', () => {
    const codes = new LaunchCodes();
    const first = codes.mint();
    const minted = Array.from({ length: 40 }, () => codes.mint());
    expect(codes.redeem(first)).toBe(false);
    expect(codes.redeem(minted.at(-1)!)).toBe(true);
  });
});

describe('launchTtlFromEnv', () => {
  it('reads NETLAB_LAUNCH_TTL_MS, else the default', () => {
    expect(launchTtlFromEnv({})).toBe(LAUNCH_CODE_TTL_MS);
    expect(launchTtlFromEnv({ NETLAB_LAUNCH_TTL_MS: '0' })).toBe(0);
    expect(launchTtlFromEnv({ NETLAB_LAUNCH_TTL_MS: 'soon' })).toBe(LAUNCH_CODE_TTL_MS);
  });
});
