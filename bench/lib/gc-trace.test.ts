import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fullGcs } from './gc-trace';

describe('fullGcs', () => {
  it('reads the full GCs this Node prints, and skips everything else', () => {
    // Two forced full GCs, the second after 40 MB were let go.
    const script = 'globalThis.k = Array.from({ length: 1e6 }, (_, i) => ({ i })); gc(); console.log("between"); globalThis.k = null; gc();';
    const run = spawnSync(process.execPath, ['--trace-gc', '--trace-gc-ignore-scavenger', '--expose-gc', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const gcs = fullGcs(run.stdout);
    expect(gcs).toHaveLength(2);
    const [held, freed] = gcs as [NonNullable<(typeof gcs)[0]>, NonNullable<(typeof gcs)[0]>];
    expect(held.liveMB).toBeGreaterThan(freed.liveMB + 20);
    expect(held.committedMB).toBeGreaterThanOrEqual(held.liveMB);
    expect(freed.atMs).toBeGreaterThanOrEqual(held.atMs);
  });

  it('reads a reducing full GC, and nothing from a scavenge', () => {
    const out = [
      '[1:0x5e2f0a0]    41123 ms: Scavenge 20.1 (24.0) -> 19.0 (24.0) MB, 1.2 / 0.0 ms  allocation failure;',
      '[1:0x5e2f0a0]    52000 ms: Mark-Compact (reduce) 14.8 (46.4) -> 12.9 (20.1) MB, 5.12 / 0.00 ms  (average mu = 0.9) memory reducer',
    ].join('\n');
    expect(fullGcs(out)).toEqual([{ atMs: 52000, liveMB: 12.9, committedMB: 20.1 }]);
  });
});
