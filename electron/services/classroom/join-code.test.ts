import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintForHumans, formatFullCode, formatShortCode, generateSecret, parseJoinCode, secretsEqual } from './join-code';

describe('join codes', () => {
  it('round-trips the short and the full code', () => {
    const secret = generateSecret();
    const fp = randomBytes(32);
    expect(formatShortCode(secret)).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(parseJoinCode(formatShortCode(secret))).toEqual({ secret, fingerprint: null });
    const full = parseJoinCode(formatFullCode(secret, fp));
    expect(full.secret).toBe(secret);
    expect(full.fingerprint!.equals(fp)).toBe(true);
  });

  it('forgives case, spaces and the letters people confuse with digits', () => {
    expect(parseJoinCode(' k7qfm 2xdOi ').secret).toBe('K7QFM2XD01');
    expect(parseJoinCode('K7QFM-2XDLI').secret).toBe('K7QFM2XD11');
  });

  it('refuses a code of the wrong length or alphabet with advice', () => {
    expect(() => parseJoinCode('K7QFM-2XD9')).toThrow(/looks like K7QFM-2XD9A/);
    expect(() => parseJoinCode('K7QFM-2XD9U')).toThrow(/looks like/);
    expect(() => parseJoinCode('K7QFM-2XD9A.ABC')).toThrow(/fingerprint part .* damaged/);
    expect(() => parseJoinCode('K7QFM-2XD9A.A.B')).toThrow(/looks like/);
  });

  it('shows 80 bits of the fingerprint in groups of four, different for different certificates', () => {
    const a = randomBytes(32);
    const b = Buffer.from(a);
    b[9] = b[9]! ^ 1;
    expect(fingerprintForHumans(a)).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){3}$/);
    expect(fingerprintForHumans(a)).toBe(fingerprintForHumans(Buffer.from(a)));
    // The 10th byte lies within the first 80 bits.
    expect(fingerprintForHumans(a)).not.toBe(fingerprintForHumans(b));
  });

  it('compares secrets exactly', () => {
    expect(secretsEqual('ABCDE12345', 'ABCDE12345')).toBe(true);
    expect(secretsEqual('ABCDE12345', 'ABCDE12346')).toBe(false);
    expect(secretsEqual('ABCDE12345', 'ABCDE1234')).toBe(false);
  });
});
