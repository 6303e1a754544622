import { describe, expect, it } from 'vitest';
import { ShareBacklog, ShareOutbox } from './share-outbox';

describe('ShareOutbox', () => {
  it('hands out chunks in order, at most the chunk size, and empties', () => {
    const box = new ShareOutbox(100);
    box.push('hello ');
    box.push('world');
    expect(box.peek(4)).toEqual({ data: 'hell', skipped: 0 });
    // peek does not take.
    expect(box.peek(4)).toEqual({ data: 'hell', skipped: 0 });
    box.take(4);
    expect(box.peek(100)).toEqual({ data: 'o world', skipped: 0 });
    box.take(7);
    expect(box.peek()).toBeNull();
    expect(box.pending).toBe(0);
  });

  it('drops the oldest output past its bound and says how many bytes were skipped, once', () => {
    const box = new ShareOutbox(10);
    box.push('0123456789');
    box.push('é'.repeat(3)); // 3 characters, 6 UTF-8 bytes
    expect(box.pending).toBe(10);
    // "012" (3 bytes) dropped to make room.
    expect(box.peek(100)).toEqual({ data: '3456789ééé', skipped: 3 });
    box.take(5);
    expect(box.peek(100)).toEqual({ data: '89ééé', skipped: 0 });
  });

  it('stays bounded under a flood, keeping the newest output', () => {
    const box = new ShareOutbox(1000);
    for (let i = 0; i < 10_000; i++) box.push(`line ${i}\r\n`);
    expect(box.pending).toBeLessThanOrEqual(1000);
    const chunk = box.peek(2000)!;
    expect(chunk.data.endsWith('line 9999\r\n')).toBe(true);
    expect(chunk.skipped).toBeGreaterThan(80_000);
  });

  it('never splits a surrogate pair, when chunking or when dropping', () => {
    const box = new ShareOutbox(100);
    box.push('ab😀cd');
    expect(box.peek(3)).toEqual({ data: 'ab', skipped: 0 });
    const small = new ShareOutbox(3);
    small.push('a😀b');
    small.push('c');
    // Dropping two characters would cut the pair: the whole emoji goes.
    expect(small.peek(10)).toEqual({ data: 'bc', skipped: 5 });
  });

  it('clears everything, skipped count included', () => {
    const box = new ShareOutbox(2);
    box.push('abcdef');
    box.clear();
    box.push('x');
    expect(box.peek()).toEqual({ data: 'x', skipped: 0 });
  });
});

describe('ShareBacklog', () => {
  it('keeps about the last maxChars characters in whole chunks', () => {
    const backlog = new ShareBacklog(10);
    for (const piece of ['aaaa', 'bbbb', 'cccc', 'dddd']) backlog.push(piece);
    expect(backlog.text()).toBe('bbbbccccdddd');
    backlog.push('e'.repeat(50));
    expect(backlog.text()).toBe('e'.repeat(50));
  });
});
