import { describe, expect, it } from 'vitest';
import { effectiveTheme, parseThemePreference, ThemeController, THEME_STORAGE_KEY, type ThemeEnvironment } from './theme.svelte';

function fakes(stored: string | null, systemDark: boolean) {
  const store = new Map<string, string>(stored === null ? [] : [[THEME_STORAGE_KEY, stored]]);
  const listeners = new Set<(e: { matches: boolean }) => void>();
  const attrs: Record<string, string> = {};
  const style = { colorScheme: '' };
  const media = {
    matches: systemDark,
    addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.delete(l),
  };
  const env = {
    storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    media,
    root: { setAttribute: (n: string, v: string) => void (attrs[n] = v), style },
  } as unknown as ThemeEnvironment;
  const flip = (matches: boolean): void => listeners.forEach((l) => l({ matches }));
  return { env, store, attrs, style, flip, listeners };
}

describe('theme preference', () => {
  it('reads only the three known values, anything else is "system"', () => {
    expect(parseThemePreference('dark')).toBe('dark');
    expect(parseThemePreference('light')).toBe('light');
    expect(parseThemePreference('system')).toBe('system');
    expect(parseThemePreference('purple')).toBe('system');
    expect(parseThemePreference(null)).toBe('system');
  });
  it('follows the system only when asked to', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
  });
});

describe('ThemeController', () => {
  it('follows the system by default and live when it changes', () => {
    const f = fakes(null, false);
    const c = new ThemeController(f.env);
    expect(c.preference).toBe('system');
    expect(f.attrs['data-theme']).toBe('light');
    f.flip(true);
    expect(c.theme).toBe('dark');
    expect(f.attrs['data-theme']).toBe('dark');
    expect(f.style.colorScheme).toBe('dark');
  });

  it('keeps a chosen theme whatever the system does, and remembers it', () => {
    const f = fakes(null, true);
    const c = new ThemeController(f.env);
    c.set('light');
    expect(f.attrs['data-theme']).toBe('light');
    expect(f.store.get(THEME_STORAGE_KEY)).toBe('light');
    f.flip(false);
    f.flip(true);
    expect(f.attrs['data-theme']).toBe('light');
    const again = new ThemeController(f.env);
    expect(again.preference).toBe('light');
  });

  it('applies a stored choice at start and stops listening when disposed', () => {
    const f = fakes('dark', false);
    const c = new ThemeController(f.env);
    expect(f.attrs['data-theme']).toBe('dark');
    expect(f.listeners.size).toBe(1);
    c.dispose();
    expect(f.listeners.size).toBe(0);
  });

  it('works without storage or matchMedia', () => {
    const c = new ThemeController({});
    expect(c.theme).toBe('light');
    c.set('dark');
    expect(c.theme).toBe('dark');
  });
});
