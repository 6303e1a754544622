// The learner's side of a terminal share: output waits here until the hub's budget lets it go.
// The outbox is bounded: when the hub is slow (or the terminal floods), the oldest output is
// dropped and the next chunk says how many bytes were skipped, so the learner's app never holds
// an ever-growing queue and the instructor sees that something is missing.
import { SHARE_CHUNK_CHARS } from './protocol';

/** What the outbox holds at most, in characters (about the last screenful or two of a busy terminal). */
export const SHARE_OUTBOX_CHARS = 64 * 1024;

export interface ShareChunk {
  data: string;
  /** UTF-8 bytes dropped before this chunk (0: none). */
  skipped: number;
}

export class ShareOutbox {
  private queue: string[] = [];
  private chars = 0;
  private skipped = 0;

  constructor(private readonly maxChars = SHARE_OUTBOX_CHARS) {}

  /** Characters waiting to be sent. */
  get pending(): number {
    return this.chars;
  }

  push(text: string): void {
    if (!text) return;
    this.queue.push(text);
    this.chars += text.length;
    this.trim();
  }

  /** The next chunk to send, without taking it (the caller may have to wait for budget). */
  peek(maxChars = SHARE_CHUNK_CHARS): ShareChunk | null {
    if (!this.chars) return null;
    let data = '';
    for (const piece of this.queue) {
      data += piece.slice(0, maxChars - data.length);
      if (data.length >= maxChars) break;
    }
    // Never end a chunk between the two halves of a surrogate pair.
    if (data.length === maxChars && data.length < this.chars && isHighSurrogate(data.charCodeAt(data.length - 1))) data = data.slice(0, -1);
    return { data, skipped: this.skipped };
  }

  /** Takes what peek() returned: `chars` characters from the front, and the skipped count with them. */
  take(chars: number): void {
    this.skipped = 0;
    this.drop(chars);
  }

  clear(): void {
    this.queue = [];
    this.chars = 0;
    this.skipped = 0;
  }

  private trim(): void {
    const excess = this.chars - this.maxChars;
    if (excess <= 0) return;
    this.skipped += this.drop(excess);
  }

  /** Removes `chars` characters from the front (one more if that would split a pair); returns their UTF-8 bytes. */
  private drop(chars: number): number {
    let bytes = 0;
    let left = chars;
    while (left > 0 && this.queue.length) {
      const head = this.queue[0]!;
      if (head.length <= left) {
        this.queue.shift();
        left -= head.length;
        this.chars -= head.length;
        bytes += Buffer.byteLength(head);
        continue;
      }
      let cut = left;
      if (isLowSurrogate(head.charCodeAt(cut))) cut++;
      bytes += Buffer.byteLength(head.slice(0, cut));
      this.queue[0] = head.slice(cut);
      this.chars -= cut;
      left = 0;
    }
    return bytes;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The hub's copy of the last output of a share, for a viewer that opens late: at most about
 * `maxChars` characters (whole chunks are dropped from the front, so appending stays cheap).
 */
export class ShareBacklog {
  private chunks: string[] = [];
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  push(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.chars += text.length;
    while (this.chunks.length > 1 && this.chars - this.chunks[0]!.length >= this.maxChars) this.chars -= this.chunks.shift()!.length;
  }

  text(): string {
    return this.chunks.join('');
  }
}
