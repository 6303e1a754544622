import { describe, expect, it } from 'vitest';
import { parseCallFrame } from './http-server';

describe('parseCallFrame', () => {
  it('takes a call with an id, a method name and any input', () => {
    expect(parseCallFrame({ type: 'call', id: 7, method: 'lessons.list', input: { a: 1 } })).toEqual({ type: 'call', id: 7, method: 'lessons.list', input: { a: 1 } });
    expect(parseCallFrame({ type: 'call', id: 0, method: 'preflight.run' })).toEqual({ type: 'call', id: 0, method: 'preflight.run', input: undefined });
  });

  it('refuses anything else, leaving the method and input to the dispatcher', () => {
    const bad: unknown[] = [
      null,
      'call',
      [{ type: 'call', id: 1, method: 'm' }],
      { type: 'result', id: 1, method: 'm' },
      { type: 'call', method: 'm' },
      { type: 'call', id: -1, method: 'm' },
      { type: 'call', id: 1.5, method: 'm' },
      { type: 'call', id: '1', method: 'm' },
      { type: 'call', id: Number.MAX_SAFE_INTEGER + 1, method: 'm' },
      { type: 'call', id: 1, method: 42 },
      { type: 'call', id: 1, method: 'x'.repeat(65) },
    ];
    for (const frame of bad) expect(parseCallFrame(frame), JSON.stringify(frame)).toBeUndefined();
  });
});
