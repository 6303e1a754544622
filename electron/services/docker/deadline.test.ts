import { describe, expect, it } from 'vitest';
import type { OperationProgress } from '../../api/types';
import { createOperationRunner, durationFromEnv, engineCall, EngineTimeoutError, engineTimeoutMessage, idleDeadline, withDeadline } from './deadline';

const never = new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('passes a result or an error through untouched', async () => {
    await expect(withDeadline(Promise.resolve(7), { timeoutMs: 1000, endpoint: 'x', what: 'w' })).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('boom')), { timeoutMs: 1000, endpoint: 'x', what: 'w' })).rejects.toThrow('boom');
  });

  it('rejects with a LabError naming the endpoint, the seconds and what it waited for', async () => {
    const err = await withDeadline(never, { timeoutMs: 20, endpoint: 'tcp://10.0.0.5:2375', what: 'resetting the lab' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineTimeoutError);
    expect((err as EngineTimeoutError).code).toBe('engine-timeout');
    expect((err as Error).message).toBe(engineTimeoutMessage('tcp://10.0.0.5:2375', 20, 'resetting the lab'));
    expect((err as Error).message).toContain('at tcp://10.0.0.5:2375 did not answer within 0.0 s while resetting the lab.');
    expect(engineTimeoutMessage('e', 30_000, 'w')).toContain('within 30 s while w.');
  });

  it('hands a result that arrives after the deadline to onLate', async () => {
    let finish: (v: string) => void = () => undefined;
    const late: string[] = [];
    const work = new Promise<string>((r) => (finish = r));
    await expect(withDeadline(work, { timeoutMs: 10, endpoint: 'e', what: 'w', onLate: (v) => late.push(v) })).rejects.toThrow(EngineTimeoutError);
    finish('shell-1');
    await work;
    expect(late).toEqual(['shell-1']);
  });
});

describe('createOperationRunner', () => {
  it('reports nothing for an operation that answers at once', async () => {
    const events: OperationProgress[] = [];
    const run = createOperationRunner({ endpoint: 'e', timeoutMs: 1000, slowAfterMs: 1000, report: (p) => events.push(p) });
    await expect(run('lab.topology', async () => 'ok', { what: 'listing' })).resolves.toBe('ok');
    expect(events).toEqual([]);
  });

  it('reports slow, then failed with the timeout message, for a stuck operation', async () => {
    const events: OperationProgress[] = [];
    const run = createOperationRunner({ endpoint: 'unix:///s', timeoutMs: 60, slowAfterMs: 5, report: (p) => events.push(p) });
    await expect(run('lab.reset', () => never, { what: 'resetting' })).rejects.toThrow(/did not answer within/);
    expect(events.map((e) => [e.op, e.phase])).toEqual([
      ['lab.reset', 'slow'],
      ['lab.reset', 'failed'],
    ]);
    expect(events[1]?.message).toContain('unix:///s');
  });

  it('without a deadline it only reports progress', async () => {
    const events: OperationProgress[] = [];
    const run = createOperationRunner({ endpoint: 'e', timeoutMs: 5, slowAfterMs: 1, report: (p) => events.push(p) });
    const slow = new Promise<string>((r) => setTimeout(() => r('done'), 30));
    await expect(run('preflight.run', () => slow, { what: 'checking', deadline: false })).resolves.toBe('done');
    expect(events.map((e) => e.phase)).toEqual(['slow', 'done']);
  });
});

describe('engineCall', () => {
  it("runs a handler as one operation under its method's name, with the caller's input and context", async () => {
    const events: OperationProgress[] = [];
    const run = createOperationRunner({ endpoint: 'e', timeoutMs: 40, slowAfterMs: 5, report: (p) => events.push(p) });
    const seen: unknown[] = [];
    const evaluate = engineCall(run, 'lab.evaluate', 'checking the checkpoints', async (input, context) => (seen.push(input, context), never));
    await expect(evaluate({}, { caller: 'ws-1' })).rejects.toThrow(/did not answer within .* s while checking the checkpoints\./);
    expect(seen).toEqual([{}, { caller: 'ws-1' }]);
    expect(events.map((e) => [e.op, e.phase])).toEqual([
      ['lab.evaluate', 'slow'],
      ['lab.evaluate', 'failed'],
    ]);
  });
});

describe('durationFromEnv', () => {
  it('takes whole milliseconds within bounds and ignores anything else', () => {
    expect(durationFromEnv('4000')).toBe(4000);
    expect(durationFromEnv(' 250 ')).toBe(250);
    for (const bad of [undefined, '', 'abc', '-5', '1.5', '50', '9999999', '1e4']) expect(durationFromEnv(bad)).toBeUndefined();
  });
});

describe('idleDeadline', () => {
  it('expires only after a silence as long as its timeout; every touch restarts it', async () => {
    let expiredCalls = 0;
    const idle = idleDeadline({ timeoutMs: 60, endpoint: 'unix:///x.sock', what: 'pulling busybox (no progress)', onExpire: () => expiredCalls++ });
    let settled = false;
    idle.expired.catch(() => (settled = true));
    // Signs of life every 20 ms for 150 ms: more than twice the timeout in all, never silent for 60 ms.
    for (let i = 0; i < 7; i++) {
      await new Promise((r) => setTimeout(r, 20));
      idle.touch();
    }
    expect(settled).toBe(false);
    await expect(idle.expired).rejects.toThrow('did not answer within 0.1 s while pulling busybox (no progress)');
    expect(expiredCalls).toBe(1);
  });

  it('never fires once stopped', async () => {
    const idle = idleDeadline({ timeoutMs: 20, endpoint: 'e', what: 'w' });
    let settled = false;
    idle.expired.catch(() => (settled = true));
    idle.stop();
    await new Promise((r) => setTimeout(r, 60));
    expect(settled).toBe(false);
  });
});
