// The output path of one terminal: decode, batch, and hold the source back
// while the renderer is behind. One IPC message per pty read would flood the
// renderer, and a fast producer (`yes`) would grow memory without bound, so:
// - bytes go through a StringDecoder (a multi-byte character split across
//   reads stays whole);
// - output goes out in batches at most every 5 ms (the first after a quiet
//   spell at once), or as soon as 512 KiB are buffered; while a stream runs
//   (the last batch was large) at most every 33 ms instead: fewer, larger
//   messages cost the page less per byte, with the renderer's one write in
//   flight (bench/scenarios/throughput.ts measures a flood), while an
//   echo or a command's short output still goes out within 5 ms;
// - every flushed character counts as unacknowledged until the renderer acks
//   it (after xterm wrote it); above the high mark the source is paused, and
//   resumed below the low mark. While paused the source delivers nothing, so
//   the buffer stays within one batch plus one read.
// A lost ack must not freeze a terminal forever: paused with no ack for 5 s,
// the count is reset and the source resumed.
import { StringDecoder } from 'node:string_decoder';
import { HIGH_WATER_CHARS, LOW_WATER_CHARS } from '../../api/flow-control';

interface PausableSource {
  pause(): void;
  resume(): void;
}

export interface OutputPipeOptions {
  source: PausableSource;
  /** Receives each batch; must not throw. */
  onBatch: (text: string) => void;
  flushMs?: number;
  /** Flush interval while a stream runs: after a batch of at least streamChars. */
  streamFlushMs?: number;
  streamChars?: number;
  maxBatchChars?: number;
  highWaterChars?: number;
  lowWaterChars?: number;
  ackTimeoutMs?: number;
}

export const OUTPUT_DEFAULTS = {
  flushMs: 5,
  streamFlushMs: 33,
  streamChars: 32 * 1024,
  maxBatchChars: 512 * 1024,
  highWaterChars: HIGH_WATER_CHARS,
  lowWaterChars: LOW_WATER_CHARS,
  ackTimeoutMs: 5_000,
} as const;

export class OutputPipe {
  private readonly decoder = new StringDecoder('utf8');
  private readonly opts: Required<Omit<OutputPipeOptions, 'source' | 'onBatch'>>;
  private buffer = '';
  private flushTimer: NodeJS.Timeout | undefined;
  private flushSoon: NodeJS.Immediate | undefined;
  /** When the last batch went out: output after a quiet spell (an echo) is not held back. */
  private lastFlushAt = 0;
  private lastBatchChars = 0;
  private ackTimer: NodeJS.Timeout | undefined;
  private unackedChars = 0;
  private isPaused = false;
  private closed = false;

  constructor(private readonly options: OutputPipeOptions) {
    this.opts = {
      flushMs: options.flushMs ?? OUTPUT_DEFAULTS.flushMs,
      streamFlushMs: options.streamFlushMs ?? OUTPUT_DEFAULTS.streamFlushMs,
      streamChars: options.streamChars ?? OUTPUT_DEFAULTS.streamChars,
      maxBatchChars: options.maxBatchChars ?? OUTPUT_DEFAULTS.maxBatchChars,
      highWaterChars: options.highWaterChars ?? OUTPUT_DEFAULTS.highWaterChars,
      lowWaterChars: options.lowWaterChars ?? OUTPUT_DEFAULTS.lowWaterChars,
      ackTimeoutMs: options.ackTimeoutMs ?? OUTPUT_DEFAULTS.ackTimeoutMs,
    };
  }

  get unacked(): number {
    return this.unackedChars;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Bytes are decoded here; strings (node-pty decodes with its own StringDecoder) pass through. */
  write(chunk: Buffer | string): void {
    if (this.closed) return;
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.buffer.length >= this.opts.maxBatchChars) this.flush();
    else if (this.buffer.length > 0 && !this.flushTimer && !this.flushSoon) {
      // A keystroke's echo after a quiet spell goes out on the next turn (chunks of
      // the same read still join); a stream of output is batched every flushMs.
      const interval = this.lastBatchChars >= this.opts.streamChars ? this.opts.streamFlushMs : this.opts.flushMs;
      const since = Date.now() - this.lastFlushAt;
      if (since >= interval) this.flushSoon = setImmediate(() => this.flush());
      else this.flushTimer = setTimeout(() => this.flush(), interval - since);
    }
  }

  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.flushSoon) {
      clearImmediate(this.flushSoon);
      this.flushSoon = undefined;
    }
    if (this.buffer.length === 0) return;
    this.lastFlushAt = Date.now();
    this.lastBatchChars = this.buffer.length;
    const text = this.buffer;
    this.buffer = '';
    this.unackedChars += text.length;
    if (!this.isPaused && !this.closed && this.unackedChars > this.opts.highWaterChars) this.pause();
    this.options.onBatch(text);
  }

  ack(chars: number): void {
    if (this.closed || !(chars > 0)) return;
    this.unackedChars = Math.max(0, this.unackedChars - chars);
    if (!this.isPaused) return;
    if (this.unackedChars < this.opts.lowWaterChars) this.resume();
    else this.armAckTimer();
  }

  /** The source ended: emit what is left, including an incomplete trailing character. */
  end(): void {
    if (this.closed) return;
    const rest = this.decoder.end();
    if (rest) this.buffer += rest;
    this.flush();
    this.dispose();
  }

  /** Stops the timers and lets the source run free; nothing is emitted after this. */
  dispose(): void {
    this.closed = true;
    this.buffer = '';
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.flushSoon) clearImmediate(this.flushSoon);
    this.flushSoon = undefined;
    if (this.isPaused) this.resume();
  }

  private pause(): void {
    this.isPaused = true;
    this.options.source.pause();
    this.armAckTimer();
  }

  private resume(): void {
    this.isPaused = false;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.options.source.resume();
  }

  private armAckTimer(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => {
      // The renderer lost track (reload, dropped message): start counting afresh.
      this.ackTimer = undefined;
      this.unackedChars = 0;
      this.resume();
    }, this.opts.ackTimeoutMs);
  }
}
