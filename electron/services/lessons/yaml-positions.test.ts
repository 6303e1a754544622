import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYaml, quickData, toData } from './yaml-positions';

const LESSONS = join(__dirname, '../../../lessons');

/** The full parser's verdict: plain data, or undefined when it reports a problem. */
function fullData(text: string): unknown {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) return undefined;
  const data = toData(parsed);
  return 'error' in data ? undefined : data.value;
}

describe('quickData (the fast path without positions)', () => {
  it('gives the same data as the full parser for every built-in manifest', () => {
    const manifests = readdirSync(LESSONS).map((d) => join(LESSONS, d, 'lesson.yaml'));
    expect(manifests.length).toBeGreaterThan(0);
    for (const file of manifests) {
      const text = readFileSync(file, 'utf8');
      expect(quickData(text), file).toEqual({ value: fullData(text) });
    }
  });

  it('leaves to the full parser what needs its checks', () => {
    expect(quickData('a: 1\na: 2\n')).toBeUndefined(); // duplicate key
    expect(quickData('a: [1\n')).toBeUndefined(); // syntax error
    expect(quickData('a: 1\n---\nb: 2\n')).toBeUndefined(); // two documents
    expect(quickData('a: &x [1, 2]\nb: *x\n')).toBeUndefined(); // shared collection
  });

  it('keeps the core schema: dates stay strings, merge keys are left to the full parser', () => {
    expect(quickData('d: 2024-01-02\n')).toEqual({ value: { d: '2024-01-02' } });
    expect(quickData('a: {b: 1}\n<<: {a: 1}\n')).toBeUndefined();
    expect(quickData('')).toEqual({ value: null });
  });

  it('agrees with the full parser on the data whenever both read a text', () => {
    const piece = fc.constantFrom(
      'a', 'b', ': ', '- ', '\n', '  ', '"', "'", '[', ']', '{', '}', ',', '&x ', '*x', '#', '1', 'true', '~', '|', '>',
      '!!str ', '?', '%', '---', '...', '\\', '@', '0x1', '.inf', '1e3', '0o7', 'null', 'yes', '中', '\t',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), (text) => {
        const quick = quickData(text);
        const full = fullData(text);
        if (quick && full !== undefined) expect(quick.value).toStrictEqual(full);
      }),
      { numRuns: 5000 },
    );
  }, 60_000);
});
