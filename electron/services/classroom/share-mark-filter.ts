// Takes the shell-integration marks (OSC 133 / 633, terminals/osc-parser.ts) out of a shared
// terminal's output. They carry the terminal's nonce, which keeps a program's output from forging
// command records; the instructor's viewer needs none of them (xterm ignores them anyway).
// Streaming: a mark split across chunks is still removed whole.

const ESC = '\x1b';
const BEL = '\x07';
const CAN = '\x18';
const SUB = '\x1a';
const MARK_CODES = new Set(['133', '633']);

const enum State {
  Ground,
  Escape,
  /** After ESC ]: the OSC's number, until its ';'. */
  Prefix,
  /** Inside a mark: dropped up to its terminator. */
  Mark,
  MarkEscape,
}

export class ShareMarkFilter {
  private state = State.Ground;
  private prefix = '';

  push(chunk: string): string {
    let out = '';
    let i = 0;
    while (i < chunk.length) {
      if (this.state === State.Ground) {
        const esc = chunk.indexOf(ESC, i);
        if (esc < 0) return out + chunk.slice(i);
        out += chunk.slice(i, esc);
        this.state = State.Escape;
        i = esc + 1;
        continue;
      }
      const ch = chunk[i]!;
      i++;
      switch (this.state) {
        case State.Escape:
          if (ch === ']') {
            this.state = State.Prefix;
            this.prefix = '';
          } else {
            out += ESC + ch;
            this.state = State.Ground;
          }
          break;
        case State.Prefix:
          if (ch === ';' && MARK_CODES.has(this.prefix)) {
            this.state = State.Mark;
          } else if (/[0-9]/.test(ch) && this.prefix.length < 4) {
            this.prefix += ch;
          } else {
            // Another OSC (a title, a link): passed on as it came.
            out += `${ESC}]${this.prefix}${ch}`;
            this.state = State.Ground;
          }
          break;
        case State.Mark:
          if (ch === BEL || ch === CAN || ch === SUB) this.state = State.Ground;
          else if (ch === ESC) this.state = State.MarkEscape;
          break;
        case State.MarkEscape:
          this.state = ch === ESC ? State.MarkEscape : ch === '\\' ? State.Ground : State.Mark;
          break;
      }
    }
    return out;
  }
}
