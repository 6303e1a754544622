import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_BATCH_CHARS } from '../../../electron/api/flow-control';
import { createAckBatcher } from './ack-batcher';

describe('createAckBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at once when ACK_BATCH_CHARS are pending', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher((n) => sent.push(n));
    batcher.ack(ACK_BATCH_CHARS - 1);
    expect(sent).toEqual([]);
    batcher.ack(500);
    expect(sent).toEqual([ACK_BATCH_CHARS + 499]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([ACK_BATCH_CHARS + 499]);
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
    batcher.dispose();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
