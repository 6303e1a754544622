// Light or dark: follows the system unless the learner picked one. The choice
// is a renderer-only preference (localStorage), applied as data-theme on
// <html> so the CSS variables and the terminals follow it live.

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'netlab.theme';

export function parseThemePreference(value: unknown): ThemePreference {
  return THEME_PREFERENCES.includes(value as ThemePreference) ? (value as ThemePreference) : 'system';
}

export function effectiveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

/** What the controller touches, so that tests can hand in fakes. */
export interface ThemeEnvironment {
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  /** The `(prefers-color-scheme: dark)` query. */
  media?: Pick<MediaQueryList, 'matches' | 'addEventListener' | 'removeEventListener'> | undefined;
  root?: { setAttribute(name: string, value: string): void; style?: { colorScheme: string } } | undefined;
}

export class ThemeController {
  preference = $state<ThemePreference>('system');
  systemDark = $state(false);
  readonly theme = $derived(effectiveTheme(this.preference, this.systemDark));
  private readonly env: ThemeEnvironment;
  private readonly onSystemChange = (event: { matches: boolean }): void => {
    this.systemDark = event.matches;
    this.apply();
  };

  constructor(env: ThemeEnvironment) {
    this.env = env;
    let stored: string | null = null;
    try {
      stored = env.storage?.getItem(THEME_STORAGE_KEY) ?? null;
    } catch {
      // Storage can be unavailable; the system decides.
    }
    this.preference = parseThemePreference(stored);
    this.systemDark = env.media?.matches ?? false;
    env.media?.addEventListener('change', this.onSystemChange);
    this.apply();
  }

  set(preference: ThemePreference): void {
    this.preference = preference;
    try {
      this.env.storage?.setItem(THEME_STORAGE_KEY, preference);
    } catch {
      // Not persisted; lasts for this page.
    }
    this.apply();
  }

  dispose(): void {
    this.env.media?.removeEventListener('change', this.onSystemChange);
  }

  private apply(): void {
    const theme = effectiveTheme(this.preference, this.systemDark);
    this.env.root?.setAttribute('data-theme', theme);
    // Native controls and scrollbars follow too.
    if (this.env.root?.style) this.env.root.style.colorScheme = theme;
  }
}

function browserEnvironment(): ThemeEnvironment {
  if (typeof window === 'undefined') return {};
  let storage: Storage | undefined;
  try {
    storage = window.localStorage;
  } catch {
    storage = undefined;
  }
  return { storage, media: window.matchMedia?.('(prefers-color-scheme: dark)'), root: document.documentElement };
}

/** The app's one theme; importing it applies the theme before the first paint of the UI. */
export const theme = new ThemeController(browserEnvironment());
