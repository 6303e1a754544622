import { describe, expect, it } from 'vitest';
import { createIpcClient, type NetlabBridge } from './ipc-client';

describe('createIpcClient', () => {
  it('returns results and rethrows wire errors as real errors', async () => {
    const calls: [string, unknown][] = [];
    const bridge: NetlabBridge = {
      invoke: async (method, input) => {
        calls.push([method, input]);
        if (method === 'lab.reset') return { error: { name: 'LabError', message: 'no lab', code: 'no-lab' } };
        return { result: { lessons: [], problems: [] } };
      },
      on: () => () => {},
    };
    const api = createIpcClient(bridge);
    await expect(api.call('lessons.list', {})).resolves.toEqual({ lessons: [], problems: [] });
    const err = await api.call('lab.reset', {}).catch((e: unknown) => e);
    expect((err as Error).name).toBe('LabError');
    expect((err as Error).message).toBe('no lab');
    expect(calls).toEqual([
      ['lessons.list', {}],
      ['lab.reset', {}],
    ]);
  });

  it('subscribes to the bridge once per event, fans out, and unsubscribes with the last listener', () => {
    const registered = new Map<string, (payload: unknown) => void>();
    let subscriptions = 0;
    const bridge: NetlabBridge = {
      invoke: async () => ({ result: undefined }),
      on: (event, listener) => {
        subscriptions++;
        registered.set(event, listener);
        return () => registered.delete(event);
      },
    };
    const api = createIpcClient(bridge);
    const seen: string[] = [];
    const offA = api.on('engine.status', (p) => seen.push(`a:${p.reachable}`));
    const offB = api.on('engine.status', (p) => seen.push(`b:${p.reachable}`));
    expect(subscriptions).toBe(1);
    registered.get('engine.status')?.({ reachable: false });
    offA();
    registered.get('engine.status')?.({ reachable: true });
    expect(registered.has('engine.status')).toBe(true);
    offB();
    expect(seen).toEqual(['a:false', 'b:false', 'b:true']);
    expect(registered.has('engine.status')).toBe(false);
    api.on('engine.status', () => {});
    expect(subscriptions).toBe(2);
  });
});
