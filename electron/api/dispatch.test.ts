import { describe, expect, it } from 'vitest';
import { createDispatcher } from './dispatch';
import type { Handlers } from './contract';

function handlers(overrides: Partial<Handlers>): Handlers {
  return new Proxy(overrides, {
    get: (target, key) => (target as Record<string, unknown>)[key as string] ?? (async () => undefined),
  }) as Handlers;
}

describe('dispatch', () => {
  it('runs a valid call', async () => {
    const d = createDispatcher(handlers({ 'lessons.get': async ({ id }) => ({ id }) as never }));
    expect(await d('lessons.get', { id: 'dns' })).toEqual({ result: { id: 'dns' } });
  });

  it("hands the handler the transport's caller context", async () => {
    const seen: unknown[] = [];
    const d = createDispatcher(handlers({ 'terminal.list': async (_input, context) => (seen.push(context), []) }));
    await d('terminal.list', {}, { caller: 'ws-1' });
    await d('terminal.list', {});
    expect(seen).toEqual([{ caller: 'ws-1' }, undefined]);
  });

  it('tells the error listener about failed calls only', async () => {
    const seen: string[] = [];
    const d = createDispatcher(
      handlers({
        'lessons.get': async () => {
          throw new Error('boom');
        },
      }),
      (method, error) => seen.push(`${method}: ${error.message}`),
    );
    await d('app.info', {});
    await d('lessons.get', { id: 'dns' });
    await d('nope', {});
    expect(seen).toEqual(['lessons.get: boom', 'nope: unknown method: nope']);
  });

  it('rejects an unknown method', async () => {
    const d = createDispatcher(handlers({}));
    const out = await d('shell.exec', {});
    expect(out).toMatchObject({ error: { code: 'bad-request' } });
    expect('error' in out && out.error.message).toContain('unknown method');
  });

  it.each([
    ['lessons.get', { id: '../../etc/passwd' }],
    ['lessons.get', { id: 42 }],
    ['terminal.resize', { id: 't1', cols: 0, rows: 10 }],
    ['terminal.resize', { id: 't1', cols: 80, rows: 24, extra: true }],
    ['terminal.open', { kind: 'container', container: 'a b', cols: 80, rows: 24 }],
    ['terminal.open', { kind: 'root', cols: 80, rows: 24 }],
    ['lab.open', 'dns'],
  ])('rejects bad input for %s: %j', async (method, input) => {
    let called = false;
    const d = createDispatcher(handlers({ [method]: async () => { called = true; } } as Partial<Handlers>));
    const out = await d(method, input);
    expect(out).toMatchObject({ error: { code: 'bad-request' } });
    expect(called).toBe(false);
  });

  it('returns a thrown error as data', async () => {
    const d = createDispatcher(handlers({ 'lab.reset': async () => { throw new Error('engine gone'); } }));
    expect(await d('lab.reset', {})).toEqual({ error: { name: 'Error', message: 'engine gone' } });
  });
});
