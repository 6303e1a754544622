import { describe, expect, it } from 'vitest';
import { dictionaries } from './i18n';
import { SHORTCUT_LIST, shortcutFor, zoneOf, type ElementLike, type KeyLike } from './shortcuts';

function key(key: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods };
}

/** A stand-in element: `inside` lists the selectors its ancestors (or itself) match. */
function element(tagName: string, inside: string[] = [], isContentEditable = false): ElementLike {
  return { tagName, isContentEditable, closest: (selector: string) => (inside.includes(selector) ? {} : null) };
}

describe('zoneOf', () => {
  it('finds terminals before text boxes (xterm types into a textarea)', () => {
    expect(zoneOf(element('TEXTAREA', ['.xterm, [data-testid="terminal"]']))).toBe('terminal');
  });

  it('tells text boxes, runnable code blocks and the rest of the page apart', () => {
    expect(zoneOf(element('INPUT'))).toBe('editable');
    expect(zoneOf(element('select'))).toBe('editable');
    expect(zoneOf(element('DIV', [], true))).toBe('editable');
    expect(zoneOf(element('PRE', ['.code-block.runnable']))).toBe('code-block');
    expect(zoneOf(element('BUTTON'))).toBe('page');
    expect(zoneOf(null)).toBe('page');
  });
});

describe('shortcutFor', () => {
  it('moves between steps with Alt+arrows on the page', () => {
    expect(shortcutFor(key('ArrowRight', { altKey: true }), 'page')).toEqual({ kind: 'next-step' });
    expect(shortcutFor(key('ArrowLeft', { altKey: true }), 'code-block')).toEqual({ kind: 'prev-step' });
    // Plain arrows scroll; Ctrl/Shift+Alt combinations are left to the system.
    expect(shortcutFor(key('ArrowRight'), 'page')).toBeNull();
    expect(shortcutFor(key('ArrowRight', { altKey: true, shiftKey: true }), 'page')).toBeNull();
  });

  it('never takes step, run or help keys from a terminal or a text box', () => {
    for (const zone of ['terminal', 'editable'] as const) {
      expect(shortcutFor(key('ArrowRight', { altKey: true }), zone)).toBeNull();
      expect(shortcutFor(key('ArrowLeft', { altKey: true }), zone)).toBeNull();
      expect(shortcutFor(key('Enter', { ctrlKey: true }), zone)).toBeNull();
      expect(shortcutFor(key('?', { shiftKey: true }), zone)).toBeNull();
    }
  });

  it('runs a block with Ctrl+Enter (or Cmd+Enter) only when a runnable block has focus', () => {
    expect(shortcutFor(key('Enter', { ctrlKey: true }), 'code-block')).toEqual({ kind: 'run-block' });
    expect(shortcutFor(key('Enter', { metaKey: true }), 'code-block')).toEqual({ kind: 'run-block' });
    expect(shortcutFor(key('Enter', { ctrlKey: true }), 'page')).toBeNull();
    expect(shortcutFor(key('Enter'), 'code-block')).toBeNull();
  });

  it('switches terminal tabs with Alt+1…9 everywhere, by physical key', () => {
    expect(shortcutFor(key('1', { altKey: true, code: 'Digit1' }), 'terminal')).toEqual({ kind: 'switch-tab', index: 0 });
    expect(shortcutFor(key('9', { altKey: true, code: 'Digit9' }), 'editable')).toEqual({ kind: 'switch-tab', index: 8 });
    // macOS turns Alt+2 into '™': the physical key still counts.
    expect(shortcutFor(key('™', { altKey: true, code: 'Digit2' }), 'page')).toEqual({ kind: 'switch-tab', index: 1 });
    expect(shortcutFor(key('0', { altKey: true, code: 'Digit0' }), 'page')).toBeNull();
    expect(shortcutFor(key('1', { code: 'Digit1' }), 'page')).toBeNull();
    expect(shortcutFor(key('1', { altKey: true, ctrlKey: true, code: 'Digit1' }), 'page')).toBeNull();
  });

  it('opens the terminal search with Ctrl+Shift+F, also from inside the terminal, but not from a text box', () => {
    expect(shortcutFor(key('F', { ctrlKey: true, shiftKey: true, code: 'KeyF' }), 'terminal')).toEqual({ kind: 'search' });
    expect(shortcutFor(key('F', { ctrlKey: true, shiftKey: true, code: 'KeyF' }), 'page')).toEqual({ kind: 'search' });
    expect(shortcutFor(key('F', { ctrlKey: true, shiftKey: true, code: 'KeyF' }), 'editable')).toBeNull();
    // Ctrl+F alone stays with the shell (forward-char in bash).
    expect(shortcutFor(key('f', { ctrlKey: true, code: 'KeyF' }), 'terminal')).toBeNull();
  });

  it('leaves a terminal with F6 (the shell keeps Tab), and only from a terminal', () => {
    expect(shortcutFor(key('F6', { code: 'F6' }), 'terminal')).toEqual({ kind: 'leave-terminal' });
    expect(shortcutFor(key('F6', { code: 'F6' }), 'page')).toBeNull();
    expect(shortcutFor(key('Tab'), 'terminal')).toBeNull();
    expect(shortcutFor(key('Tab', { shiftKey: true }), 'terminal')).toBeNull();
  });

  it('leaves a terminal forward, past the terminals, with Shift+F6', () => {
    expect(shortcutFor(key('F6', { code: 'F6', shiftKey: true }), 'terminal')).toEqual({ kind: 'leave-terminal', forward: true });
    expect(shortcutFor(key('F6', { code: 'F6', shiftKey: true }), 'page')).toBeNull();
    expect(shortcutFor(key('F6', { code: 'F6', shiftKey: true, ctrlKey: true }), 'terminal')).toBeNull();
  });

  it('switches screen-reader mode with Alt+Shift+R wherever focus is, by physical key', () => {
    for (const zone of ['terminal', 'editable', 'code-block', 'page'] as const) {
      expect(shortcutFor(key('R', { altKey: true, shiftKey: true, code: 'KeyR' }), zone)).toEqual({ kind: 'screen-reader' });
    }
    // macOS turns Option+Shift+R into '‰': the physical key still counts.
    expect(shortcutFor(key('‰', { altKey: true, shiftKey: true, code: 'KeyR' }), 'terminal')).toEqual({ kind: 'screen-reader' });
    // Alt+R (readline's revert-line) and Ctrl+Shift+R (a reload) are not taken.
    expect(shortcutFor(key('r', { altKey: true, code: 'KeyR' }), 'terminal')).toBeNull();
    expect(shortcutFor(key('R', { ctrlKey: true, shiftKey: true, code: 'KeyR' }), 'page')).toBeNull();
    expect(shortcutFor(key('R', { altKey: true, shiftKey: true, ctrlKey: true, code: 'KeyR' }), 'page')).toBeNull();
  });

  it('shows the help with ? on the page', () => {
    expect(shortcutFor(key('?', { shiftKey: true }), 'page')).toEqual({ kind: 'help' });
    expect(shortcutFor(key('?', { ctrlKey: true, shiftKey: true }), 'page')).toBeNull();
  });

  it('leaves keys to an IME that is composing', () => {
    expect(shortcutFor(key('ArrowRight', { altKey: true, isComposing: true }), 'page')).toBeNull();
    expect(shortcutFor(key('1', { altKey: true, code: 'Digit1', isComposing: true }), 'page')).toBeNull();
  });
});

describe('SHORTCUT_LIST', () => {
  it('describes every shortcut in both languages', () => {
    for (const { label } of SHORTCUT_LIST) {
      expect(dictionaries.en[label]).toBeTruthy();
      expect(dictionaries['zh-CN'][label]).toBeTruthy();
    }
  });
});
