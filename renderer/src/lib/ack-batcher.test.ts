import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAckBatcher } from './ack-batcher';

describe('createAckBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at once when the threshold is reached', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher((n) => sent.push(n), { threshold: 5000, delayMs: 50 });
    batcher.ack(3000);
    expect(sent).toEqual([]);
    batcher.ack(2500);
    expect(sent).toEqual([5500]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([5500]);
  });

  it('sends small amounts 50 ms after the last write callback', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher((n) => sent.push(n));
    batcher.ack(10);
    vi.advanceTimersByTime(40);
    batcher.ack(20);
    vi.advanceTimersByTime(40);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(sent).toEqual([30]);
  });

  it('never loses an ack: dispose flushes, later acks go straight out', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher((n) => sent.push(n));
    batcher.ack(7);
    batcher.dispose();
    expect(sent).toEqual([7]);
    batcher.ack(3);
    expect(sent).toEqual([7, 3]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([7, 3]);
  });

  it('ignores zero and sends nothing when nothing is pending', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher((n) => sent.push(n));
    batcher.ack(0);
    batcher.flush();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
