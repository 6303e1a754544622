import { describe, expect, it } from 'vitest';
import { throttle } from './event-throttle';
import { ManualTimers } from './test-fixtures/manual-timers';

describe('throttle', () => {
  it('sends the first request on the next turn, then one trailing call per interval, and none once cancelled', () => {
    const timers = new ManualTimers();
    let clock = 1000;
    let calls = 0;
    const t = throttle(() => calls++, 200, timers, () => clock);
    t.request();
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([0]);
    t.request();
    t.request();
    expect(timers.pending.size).toBe(1);
    timers.fireAll();
    expect(calls).toBe(1);
    // A burst right after: one call, 200 ms after the last one.
    clock += 50;
    for (let i = 0; i < 30; i++) t.request();
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([150]);
    clock += 150;
    timers.fireAll();
    expect(calls).toBe(2);
    // After a quiet spell the next request goes out at once again.
    clock += 5000;
    t.request();
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([0]);
    t.cancel();
    expect(timers.pending.size).toBe(0);
    timers.fireAll();
    expect(calls).toBe(2);
  });
});
