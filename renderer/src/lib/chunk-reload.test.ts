import { describe, expect, it } from 'vitest';
import { reloadForFailedChunk, type ReloadHost } from './chunk-reload';

function host(start: number): ReloadHost & { reloads: number; clock: number } {
  const items = new Map<string, string>();
  const h = {
    reloads: 0,
    clock: start,
    storage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) },
    reload: () => void h.reloads++,
    now: () => h.clock,
  };
  return h;
}

describe('reloadForFailedChunk', () => {
  it('reloads once for a failed screen, not again within a minute, and again after', () => {
    const h = host(1_000_000);
    expect(reloadForFailedChunk(h)).toBe(true);
    expect(h.reloads).toBe(1);
    h.clock += 59_999;
    expect(reloadForFailedChunk(h)).toBe(false);
    expect(h.reloads).toBe(1);
    h.clock += 1;
    expect(reloadForFailedChunk(h)).toBe(true);
    expect(h.reloads).toBe(2);
  });
});
