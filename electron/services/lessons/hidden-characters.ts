// Characters that make a command run differently from how it reads. A terminal
// acts on control characters (^U erases the line, DEL rubs out what came
// before, ESC starts a sequence), and bidi controls and zero-width characters
// reorder or hide text on screen. None of them belongs in a command a lesson
// runs, so the loader refuses them in runnable blocks, solutions, near-misses
// and probes. Tab and newline are the only controls allowed.

/** C0 (but tab and newline), DEL, C1, invisible format characters and bidi controls. */
const HIDDEN =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/u;

const NAMES: Record<number, string> = {
  0x08: 'BACKSPACE',
  0x0d: 'CARRIAGE RETURN',
  0x15: 'NEGATIVE ACKNOWLEDGE (^U, erases the line)',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

interface HiddenCharacter {
  /** 0-based line within the text, and the character's index in the text. */
  line: number;
  index: number;
  /** e.g. "U+202E RIGHT-TO-LEFT OVERRIDE". */
  name: string;
}

/** The first character of `text` that would run differently from how it reads, if any. */
export function findHiddenCharacter(text: string): HiddenCharacter | undefined {
  const match = HIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const label = NAMES[code] ?? (code < 0x20 || (code >= 0x7f && code <= 0x9f) ? 'control character' : 'invisible character');
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
  return { line, index: match.index, name: `U+${hex} ${label}` };
}

/** The problem text the loader reports for a hidden character in a command. */
export function hiddenCharacterMessage(found: HiddenCharacter, where: string): string {
  return `${where} holds ${found.name}: it would make the command run differently from how it reads; remove it`;
}
