// The chosen UI language as shared reactive state. Switching re-renders text
// in place; no component state is lost.
import type { Locale, Localized, TerminalKind } from '../../../electron/api/types';
import { localize, pickLocale, translate, type MessageKey, type MessageParams } from './i18n';

const STORAGE_KEY = 'netlab.locale';

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

const state = $state<{ locale: Locale }>({
  locale: pickLocale(readStored(), navigator.languages?.length ? navigator.languages : [navigator.language]),
});
document.documentElement.lang = state.locale;

export function currentLocale(): Locale {
  return state.locale;
}

export function setLocale(locale: Locale): void {
  state.locale = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this page only.
  }
}

/** A UI string in the current locale (reactive when read in a template or $derived). */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(state.locale, key, params);
}

/** Lesson text in the current locale. */
export function loc(text: Localized | undefined): string {
  return localize(text, state.locale);
}

/** A terminal's name for people: the host shell, the Docker host view, or the container's name. */
export function terminalLabel(tab: { kind: TerminalKind; name: string }): string {
  if (tab.kind === 'host') return t('terminal.host');
  if (tab.kind === 'docker-host') return t('terminal.dockerHost');
  return tab.name;
}
