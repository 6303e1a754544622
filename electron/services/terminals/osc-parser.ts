// Reads the shell-integration marks (OSC 133 / 633) out of a terminal's output
// stream. Output arrives in arbitrary chunks, so the scanner is a small state
// machine that carries a half-read sequence over to the next chunk. The marks
// stay in the output: xterm ignores OSC sequences it does not handle.
import type { CommandRecord } from '../../api/types';

const ESC = '\x1b';
const BEL = '\x07';
/** CAN and SUB abort a control sequence (ECMA-48, as xterm does). */
const CAN = '\x18';
const SUB = '\x1a';
/** A command line longer than this is not a mark we produce: drop it. */
const MAX_PAYLOAD = 256 * 1024;

const enum State {
  Ground,
  Escape,
  Osc,
  OscEscape,
  /** Inside an oversized OSC: skip to its terminator. */
  OscIgnore,
  OscIgnoreEscape,
}

/** Streaming scanner: returns the payload of every complete `ESC ] … (BEL | ESC \)`. */
export class OscParser {
  private state = State.Ground;
  private payload = '';

  push(chunk: string): string[] {
    const out: string[] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.state === State.Ground) {
        // Fast path: most output holds no escape at all.
        const esc = chunk.indexOf(ESC, i);
        if (esc < 0) return out;
        this.state = State.Escape;
        i = esc + 1;
        continue;
      }
      const ch = chunk[i] as string;
      i++;
      switch (this.state) {
        case State.Escape:
          if (ch === ']') {
            this.state = State.Osc;
            this.payload = '';
          } else if (ch !== ESC) {
            this.state = State.Ground;
          }
          break;
        case State.Osc:
          if (ch === BEL) {
            out.push(this.payload);
            this.reset();
          } else if (ch === ESC) {
            this.state = State.OscEscape;
          } else if (ch === CAN || ch === SUB) {
            this.reset();
          } else {
            this.payload += ch;
            if (this.payload.length > MAX_PAYLOAD) {
              this.payload = '';
              this.state = State.OscIgnore;
            }
          }
          break;
        case State.OscEscape:
          if (ch === '\\') {
            out.push(this.payload);
            this.reset();
          } else {
            // Any other ESC sequence aborts the OSC and starts over.
            this.payload = '';
            this.state = State.Escape;
            i--;
          }
          break;
        case State.OscIgnore:
          if (ch === BEL || ch === CAN || ch === SUB) this.state = State.Ground;
          else if (ch === ESC) this.state = State.OscIgnoreEscape;
          break;
        case State.OscIgnoreEscape:
          if (ch === '\\') {
            this.state = State.Ground;
          } else {
            this.state = State.Escape;
            i--;
          }
          break;
      }
    }
    return out;
  }

  private reset(): void {
    this.payload = '';
    this.state = State.Ground;
  }
}

/** Undoes VS Code's 633 escaping: `\\` is a backslash, `\xHH` a byte below 0x20, `;` or BEL. */
export function unescapeOscValue(value: string): string {
  return value.replace(/\\(\\|x([0-9a-fA-F]{2}))/g, (_m, op: string, hex: string | undefined) =>
    hex === undefined ? op : String.fromCharCode(parseInt(hex, 16)),
  );
}

/** The inverse of unescapeOscValue, as the shell scripts do it (for tests and tools). */
export function escapeOscValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (code < 0x20 || ch === ';') out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

export type MarkEvent = { kind: 'prompt' } | { kind: 'start'; command: string } | { kind: 'command'; record: CommandRecord };

/**
 * Turns OSC 133/633 marks into prompt and command events:
 * 633;E;<line>;<nonce> names the command, 133;C;<nonce> says it started,
 * 133;D;<code>;<nonce> that it finished, 133;A;<nonce> that a prompt is shown.
 * A mark without this terminal's nonce is ignored: a program's output can
 * print marks too (shell-integration.ts). A D without a started command (the
 * first prompt, an empty Enter) reports nothing; a command whose E was lost is
 * reported with an empty line.
 */
export class CommandMarkParser {
  private readonly osc = new OscParser();
  private command: string | undefined;
  private started = false;

  constructor(
    private readonly terminalId: string,
    private readonly nonce: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (nonce.length === 0 || nonce.includes(';')) throw new Error('a mark nonce must be a non-empty word');
  }

  push(chunk: string): MarkEvent[] {
    const events: MarkEvent[] = [];
    for (const payload of this.osc.push(chunk)) {
      const event = this.handle(payload);
      if (event) events.push(event);
    }
    return events;
  }

  private handle(payload: string): MarkEvent | undefined {
    // The escaped line holds no raw `;`, so each mark splits into fixed fields, the nonce last.
    const fields = payload.split(';');
    if (fields.length < 3 || fields.at(-1) !== this.nonce) return undefined;
    const [code, mark, arg] = fields;
    if (code === '633' && mark === 'E' && fields.length === 4) {
      this.command = unescapeOscValue(arg ?? '');
      return undefined;
    }
    if (code !== '133') return undefined;
    if (mark === 'A' && fields.length === 3) return { kind: 'prompt' };
    if (mark === 'C' && fields.length === 3) {
      this.started = true;
      return { kind: 'start', command: this.command ?? '' };
    }
    if (mark !== 'D') return undefined;
    const ran = this.started || this.command !== undefined;
    const command = this.command ?? '';
    this.started = false;
    this.command = undefined;
    if (!ran || fields.length !== 4 || !/^-?\d{1,10}$/.test(arg ?? '')) return undefined;
    return {
      kind: 'command',
      record: { terminalId: this.terminalId, command, exitCode: Number(arg), finishedAt: this.now().toISOString() },
    };
  }
}
