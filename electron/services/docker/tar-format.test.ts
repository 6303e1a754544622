import { describe, expect, it } from 'vitest';
import { parseNumber, writeNumber } from './tar-format';

describe('tar numbers', () => {
  it('writes octal when it fits and base-256 above 8 GiB, and reads both back', () => {
    const h = Buffer.alloc(512);
    writeNumber(h, 124, 12, 0o644);
    expect(h.toString('latin1', 124, 136)).toBe('00000000644\u0000');
    expect(parseNumber(h.subarray(124, 136))).toBe(0o644);

    const big = 10 * 1024 ** 3 + 5;
    writeNumber(h, 124, 12, big);
    expect(h[124]).toBe(0x80);
    expect(parseNumber(h.subarray(124, 136))).toBe(big);
  });

  it('reads space-padded octal and refuses junk', () => {
    expect(parseNumber(Buffer.from('   1750 \u0000'))).toBe(0o1750);
    expect(parseNumber(Buffer.from('12a4\u0000'))).toBeUndefined();
    expect(parseNumber(Buffer.from('\u0000\u0000'))).toBeUndefined();
    expect(parseNumber(Buffer.from([0xff, 0xff, 0xff]))).toBeUndefined();
    expect(() => writeNumber(Buffer.alloc(12), 0, 12, -1)).toThrow(/out of range/);
  });
});
