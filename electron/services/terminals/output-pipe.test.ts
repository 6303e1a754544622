import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTPUT_DEFAULTS, OutputPipe, type OutputPipeOptions } from './output-pipe';

class FakeSource {
  paused = false;
  pauses = 0;
  resumes = 0;
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
    this.resumes++;
  }
}

function setup(extra: Partial<OutputPipeOptions> = {}): { pipe: OutputPipe; source: FakeSource; batches: string[] } {
  const source = new FakeSource();
  const batches: string[] = [];
  const pipe = new OutputPipe({ source, onBatch: (t) => batches.push(t), ...extra });
  return { pipe, source, batches };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('OutputPipe batching', () => {
  it('sends output after a quiet spell on the next turn, joining chunks of the same turn', () => {
    const { pipe, batches } = setup();
    vi.advanceTimersByTime(100);
    pipe.write('a');
    pipe.write(Buffer.from('b'));
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(batches).toEqual(['ab']);
  });

  it('joins a stream of chunks that arrive within 5 ms of the last batch', () => {
    const { pipe, batches } = setup();
    vi.advanceTimersByTime(100);
    pipe.write('a');
    vi.advanceTimersByTime(0);
    pipe.write('b');
    pipe.write(Buffer.from('c'));
    vi.advanceTimersByTime(4);
    expect(batches).toEqual(['a']);
    pipe.write('d');
    vi.advanceTimersByTime(1);
    expect(batches).toEqual(['a', 'bcd']);
    vi.advanceTimersByTime(50);
    pipe.write('e');
    vi.advanceTimersByTime(0);
    expect(batches).toEqual(['a', 'bcd', 'e']);
  });

  it('flushes at once when 512 KiB are buffered', () => {
    const { pipe, batches } = setup();
    pipe.write('x'.repeat(300_000));
    expect(batches).toHaveLength(0);
    pipe.write('y'.repeat(300_000));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(600_000);
  });

  it('while a stream runs (a large last batch) sends every 33 ms, and goes back to 5 ms after small output', () => {
    const { pipe, batches } = setup();
    vi.advanceTimersByTime(100);
    pipe.write('s'.repeat(40_000));
    vi.advanceTimersByTime(0);
    expect(batches).toHaveLength(1);
    pipe.write('t');
    vi.advanceTimersByTime(32);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual(['s'.repeat(40_000), 't']);
    // The last batch was small: the next one waits 5 ms at most.
    pipe.write('u');
    vi.advanceTimersByTime(5);
    expect(batches.at(-1)).toBe('u');
  });

  it('never splits a multi-byte character across chunks', () => {
    const { pipe, batches } = setup();
    const bytes = Buffer.from('é中🙂', 'utf8');
    for (const b of bytes) pipe.write(Buffer.from([b]));
    vi.advanceTimersByTime(5);
    expect(batches.join('')).toBe('é中🙂');
    // A split 4-byte emoji straddling a flush stays whole in the next batch.
    pipe.write(bytes.subarray(0, 7));
    vi.advanceTimersByTime(5);
    pipe.write(bytes.subarray(7));
    vi.advanceTimersByTime(5);
    expect(batches.slice(1)).toEqual(['é中', '🙂']);
  });

  it('end() flushes the tail, including a truncated character, and then stays silent', () => {
    const { pipe, batches } = setup();
    pipe.write('bye');
    pipe.write(Buffer.from([0xe4, 0xb8]));
    pipe.end();
    expect(batches).toEqual(['bye\ufffd']);
    pipe.write('late');
    vi.advanceTimersByTime(10);
    expect(batches).toHaveLength(1);
  });
});

// The mechanism with small marks; the defaults are checked separately below.
const MARKS = { highWaterChars: 100_000, lowWaterChars: 5_000, maxBatchChars: 64 * 1024 };

describe('OutputPipe flow control', () => {
  it('pauses above the high mark and resumes only below the low mark', () => {
    const { pipe, source } = setup(MARKS);
    pipe.write('x'.repeat(65_536));
    expect(source.paused).toBe(false);
    pipe.write('x'.repeat(65_536));
    expect(pipe.unacked).toBe(131_072);
    expect(source.paused).toBe(true);
    expect(pipe.paused).toBe(true);
    pipe.ack(100_000);
    expect(source.paused).toBe(true);
    pipe.ack(26_073);
    expect(pipe.unacked).toBe(4_999);
    expect(source.paused).toBe(false);
    expect(source.pauses).toBe(1);
    expect(source.resumes).toBe(1);
  });

  it('pauses once however many batches arrive while paused', () => {
    const { pipe, source } = setup(MARKS);
    for (let i = 0; i < 5; i++) pipe.write('x'.repeat(65_536));
    expect(source.pauses).toBe(1);
  });

  it('counts the characters of timer-flushed batches too', () => {
    const { pipe, source } = setup(MARKS);
    for (let i = 0; i < 11; i++) {
      pipe.write('x'.repeat(10_000));
      vi.advanceTimersByTime(5);
    }
    expect(pipe.unacked).toBe(110_000);
    expect(source.paused).toBe(true);
  });

  it('resumes after 5 s without an ack (lost-ack guard) and resets the count', () => {
    const { pipe, source } = setup(MARKS);
    pipe.write('x'.repeat(150_000));
    expect(source.paused).toBe(true);
    vi.advanceTimersByTime(4_999);
    expect(source.paused).toBe(true);
    vi.advanceTimersByTime(1);
    expect(source.paused).toBe(false);
    expect(pipe.unacked).toBe(0);
  });

  it('an ack that does not reach the low mark restarts the guard', () => {
    const { pipe, source } = setup(MARKS);
    pipe.write('x'.repeat(150_000));
    vi.advanceTimersByTime(4_000);
    pipe.ack(10_000);
    vi.advanceTimersByTime(4_000);
    expect(source.paused).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(source.paused).toBe(false);
  });

  it('ignores acks beyond what was sent and nonsense acks', () => {
    const { pipe } = setup(MARKS);
    pipe.write('abc');
    vi.advanceTimersByTime(5);
    pipe.ack(-5);
    pipe.ack(Number.NaN);
    expect(pipe.unacked).toBe(3);
    pipe.ack(1_000);
    expect(pipe.unacked).toBe(0);
  });

  it('dispose() resumes a paused source so it can drain and exit', () => {
    const { pipe, source } = setup(MARKS);
    pipe.write('x'.repeat(150_000));
    expect(source.paused).toBe(true);
    pipe.dispose();
    expect(source.paused).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(source.resumes).toBe(1);
  });

  it('keeps memory bounded: a source honouring pause leaves at most one batch buffered', () => {
    const { pipe, source, batches } = setup(MARKS);
    let produced = 0;
    // A producer that writes 16 KiB reads while not paused, like a pty.
    for (let tick = 0; tick < 200; tick++) {
      if (!source.paused) {
        pipe.write('y'.repeat(16_384));
        produced += 16_384;
      }
      vi.advanceTimersByTime(1);
    }
    const sent = batches.reduce((n, b) => n + b.length, 0);
    expect(source.paused).toBe(true);
    expect(sent).toBeLessThanOrEqual(100_000 + 65_536);
    expect(produced - sent).toBeLessThanOrEqual(65_536);
  });

  it('by default resumes while much output is still unacknowledged, so xterm is never left waiting', () => {
    const { pipe, source } = setup();
    const { highWaterChars, lowWaterChars } = OUTPUT_DEFAULTS;
    expect(lowWaterChars).toBeGreaterThanOrEqual(highWaterChars / 2);
    while (!source.paused) pipe.write('x'.repeat(65_536));
    pipe.ack(pipe.unacked - lowWaterChars);
    expect(source.paused).toBe(true);
    pipe.ack(1);
    expect(pipe.unacked).toBe(lowWaterChars - 1);
    expect(source.paused).toBe(false);
  });
});
