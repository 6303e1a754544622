import { describe, expect, it } from 'vitest';
import { ScreenReaderMode, type ScreenReaderApi } from './screen-reader.svelte';

function fakeSettings(saved = false, opts: { failSet?: boolean } = {}) {
  let value = saved;
  const writes: boolean[] = [];
  const api: ScreenReaderApi = {
    get: async () => value,
    set: async (enabled) => {
      if (opts.failSet) throw new Error('settings file is read-only');
      writes.push(enabled);
      value = enabled;
      return value;
    },
  };
  return { api, writes };
}

describe('ScreenReaderMode', () => {
  it('is off until the saved choice is read, then follows it', async () => {
    const mode = new ScreenReaderMode(fakeSettings(true).api);
    expect(mode.enabled).toBe(false);
    await mode.load();
    expect(mode.enabled).toBe(true);
  });

  it('toggles at once and saves each change', async () => {
    const settings = fakeSettings(false);
    const mode = new ScreenReaderMode(settings.api);
    await mode.load();
    const pending = mode.toggle();
    expect(mode.enabled).toBe(true);
    await pending;
    await mode.toggle();
    expect(mode.enabled).toBe(false);
    expect(settings.writes).toEqual([true, false]);
  });

  it('goes back to the saved state and says why when saving fails', async () => {
    const mode = new ScreenReaderMode(fakeSettings(false, { failSet: true }).api);
    await mode.toggle();
    expect(mode.enabled).toBe(false);
    expect(mode.error).toMatch(/read-only/);
  });

  it('keeps a change made while the saved choice was still loading', async () => {
    let answer: (value: boolean) => void = () => {};
    const mode = new ScreenReaderMode({
      get: () => new Promise<boolean>((resolve) => (answer = resolve)),
      set: async (enabled) => enabled,
    });
    const loading = mode.load();
    await mode.set(true);
    answer(false);
    await loading;
    expect(mode.enabled).toBe(true);
  });
});
