import { describe, expect, it } from 'vitest';
import { createWriteCoalescer } from './write-coalescer';

/** A stand-in for xterm's write: records chunks; `finish()` completes the oldest. */
function fakeXterm(): { writes: string[]; finish(): void; pending: number } {
  const done: (() => void)[] = [];
  const writes: string[] = [];
  return {
    writes,
    finish: () => done.shift()?.(),
    get pending() {
      return done.length;
    },
    ...{ write: (d: string, cb: () => void) => (writes.push(d), done.push(cb)) },
  } as never;
}

describe('createWriteCoalescer', () => {
  it('writes a lone chunk at once', () => {
    const x = fakeXterm() as ReturnType<typeof fakeXterm> & { write: (d: string, cb: () => void) => void };
    const out = createWriteCoalescer(x.write);
    out.push('a', () => {});
    expect(x.writes).toEqual(['a']);
  });

  it('joins what arrives while a write is parsed into one next write, and acks each write once parsed', () => {
    const x = fakeXterm() as ReturnType<typeof fakeXterm> & { write: (d: string, cb: () => void) => void };
    const acked: number[] = [];
    const ack = (n: number): void => void acked.push(n);
    const out = createWriteCoalescer(x.write);
    out.push('first', ack);
    out.push('b', ack);
    out.push('cd', ack);
    expect(x.writes).toEqual(['first']);
    expect(acked).toEqual([]);
    x.finish();
    expect(acked).toEqual([5]);
    expect(x.writes).toEqual(['first', 'bcd']);
    x.finish();
    expect(acked).toEqual([5, 3]);
  });

  it("keeps a restarted session's output after the old one's, acked to its own session", () => {
    const x = fakeXterm() as ReturnType<typeof fakeXterm> & { write: (d: string, cb: () => void) => void };
    const old: number[] = [];
    const fresh: number[] = [];
    const ackOld = (n: number): void => void old.push(n);
    const ackFresh = (n: number): void => void fresh.push(n);
    const out = createWriteCoalescer(x.write);
    out.push('o1', ackOld);
    out.push('o2', ackOld);
    out.push('n1', ackFresh);
    out.push('n2', ackFresh);
    x.finish();
    x.finish();
    x.finish();
    expect(x.writes).toEqual(['o1', 'o2', 'n1n2']);
    expect(old).toEqual([2, 2]);
    expect(fresh).toEqual([4]);
  });

  it('drops queued output after dispose', () => {
    const x = fakeXterm() as ReturnType<typeof fakeXterm> & { write: (d: string, cb: () => void) => void };
    const out = createWriteCoalescer(x.write);
    out.push('a', () => {});
    out.push('b', () => {});
    out.dispose();
    x.finish();
    out.push('c', () => {});
    expect(x.writes).toEqual(['a']);
  });
});

describe('createWriteCoalescer size cap', () => {
  it('stops joining at maxChars, so one parse never holds a key press for long', () => {
    const x = fakeXterm() as ReturnType<typeof fakeXterm> & { write: (d: string, cb: () => void) => void };
    const ack = (): void => {};
    const out = createWriteCoalescer(x.write, 10);
    out.push('first', ack);
    for (const part of ['aaaa', 'bbbb', 'cccc', 'dddddddddddd']) out.push(part, ack);
    x.finish();
    x.finish();
    x.finish();
    expect(x.writes).toEqual(['first', 'aaaabbbb', 'cccc', 'dddddddddddd']);
  });
});
