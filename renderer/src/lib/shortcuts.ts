// Keyboard shortcuts of the lesson view: which key does what, and where.
// Keys that a shell or a text box needs are never taken there: inside a
// terminal only tab switching, search and F6 (out of the terminal, which
// keeps Tab for the shell) and the screen-reader switch work, inside a text box only tab switching and that
// switch. Pure, so the rules are tested without a DOM.
import type { MessageKey } from './i18n';

export type ShortcutAction =
  | { kind: 'next-step' }
  | { kind: 'prev-step' }
  | { kind: 'run-block' }
  | { kind: 'switch-tab'; index: number }
  | { kind: 'search' }
  /** F6 back to the lesson's steps; Shift+F6 (forward) on to the network map, past the terminals. */
  | { kind: 'leave-terminal'; forward?: true }
  | { kind: 'screen-reader' }
  | { kind: 'help' };

/** Where the key was pressed. */
export type FocusZone = 'terminal' | 'editable' | 'code-block' | 'page';

/** The parts of a KeyboardEvent the rules read. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
  isComposing?: boolean;
}

/** The parts of an Element zoneOf reads. */
export interface ElementLike {
  tagName: string;
  isContentEditable?: boolean;
  closest(selector: string): unknown;
}

const TERMINAL = '.xterm, [data-testid="terminal"]';
const RUNNABLE_BLOCK = '.code-block.runnable';
const EDITABLE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function zoneOf(target: ElementLike | null | undefined): FocusZone {
  if (!target || typeof target.closest !== 'function') return 'page';
  // xterm's input is a textarea: check for the terminal before text boxes.
  if (target.closest(TERMINAL)) return 'terminal';
  if (EDITABLE_TAGS.has(target.tagName.toUpperCase()) || target.isContentEditable) return 'editable';
  if (target.closest(RUNNABLE_BLOCK)) return 'code-block';
  return 'page';
}

/** Alt+1…9 by physical key, so layouts where Alt changes the character (macOS) still work. */
function tabDigit(event: KeyLike): number | null {
  const match = /^Digit([1-9])$/.exec(event.code ?? '') ?? /^([1-9])$/.exec(event.key);
  return match?.[1] ? Number(match[1]) : null;
}

export function shortcutFor(event: KeyLike, zone: FocusZone): ShortcutAction | null {
  // An IME (Chinese input) is composing: the keys belong to it.
  if (event.isComposing) return null;
  const { ctrlKey: ctrl, altKey: alt, shiftKey: shift, metaKey: meta } = event;

  const digit = tabDigit(event);
  if (alt && !ctrl && !meta && !shift && digit !== null) return { kind: 'switch-tab', index: digit - 1 };

  // Alt+Shift+R, by physical key: on macOS Option changes the character. Wherever focus is, so a
  // learner in a terminal can turn on what lets their screen reader read it.
  const isR = event.code === 'KeyR' || (!event.code && event.key.toLowerCase() === 'r');
  if (alt && shift && !ctrl && !meta && isR) return { kind: 'screen-reader' };

  const isF = event.code === 'KeyF' || event.key.toLowerCase() === 'f';
  if ((ctrl || meta) && shift && !alt && isF && zone !== 'editable') return { kind: 'search' };

  // A terminal keeps Tab and Shift+Tab for the shell (completion): these two keys are its way out, both ways.
  if (event.key === 'F6' && !ctrl && !alt && !meta && zone === 'terminal') return shift ? { kind: 'leave-terminal', forward: true } : { kind: 'leave-terminal' };
  if (zone === 'terminal' || zone === 'editable') return null;

  if (alt && !ctrl && !meta && !shift) {
    if (event.key === 'ArrowRight') return { kind: 'next-step' };
    if (event.key === 'ArrowLeft') return { kind: 'prev-step' };
  }
  if ((ctrl || meta) && !alt && !shift && event.key === 'Enter' && zone === 'code-block') return { kind: 'run-block' };
  if (event.key === '?' && !ctrl && !alt && !meta) return { kind: 'help' };
  return null;
}

/** The Run button of the code block that holds the target, if any. */
export function runButtonFor(target: Element | null): HTMLButtonElement | null {
  return target?.closest(RUNNABLE_BLOCK)?.querySelector<HTMLButtonElement>('button[data-testid="run-in-terminal"]') ?? null;
}

/** The help list: key combinations (each a list of keys) and what they do. */
export const SHORTCUT_LIST: readonly { keys: readonly (readonly string[])[]; label: MessageKey }[] = [
  { keys: [['Alt', '→']], label: 'shortcuts.nextStep' },
  { keys: [['Alt', '←']], label: 'shortcuts.prevStep' },
  { keys: [['Ctrl', 'Enter']], label: 'shortcuts.runBlock' },
  { keys: [['Alt', '1…9']], label: 'shortcuts.switchTab' },
  { keys: [['Ctrl', 'Shift', 'F']], label: 'shortcuts.search' },
  { keys: [['Enter'], ['Shift', 'Enter']], label: 'shortcuts.searchNext' },
  { keys: [['Esc']], label: 'shortcuts.searchClose' },
  { keys: [['F6']], label: 'shortcuts.leaveTerminal' },
  { keys: [['Shift', 'F6']], label: 'shortcuts.leaveTerminalForward' },
  { keys: [['Alt', 'Shift', 'R']], label: 'shortcuts.screenReader' },
  { keys: [['?']], label: 'shortcuts.help' },
];
