// Every Docker operation the UI waits on gets a deadline and reports when it is
// slow, so a remote or stalled engine gives a clear message instead of a frozen UI.
import type { Handler, MethodName } from '../../api/contract';
import { LabError } from '../../api/errors';
import type { OperationProgress } from '../../api/types';

export const DEFAULT_ENGINE_TIMEOUT_MS = 30_000;
/** After this long without an answer the UI is told the operation is still waiting. */
export const DEFAULT_SLOW_AFTER_MS = 1500;

/**
 * A duration in ms from the environment (NETLAB_ENGINE_TIMEOUT_MS,
 * NETLAB_SLOW_AFTER_MS: a slow remote engine, or a test); anything but a whole
 * number from 100 ms to 10 minutes is ignored.
 */
export function durationFromEnv(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  const ms = Number(value.trim());
  return ms >= 100 && ms <= 600_000 ? ms : undefined;
}

export class EngineTimeoutError extends LabError {
  constructor(endpoint: string, timeoutMs: number, what: string) {
    super(engineTimeoutMessage(endpoint, timeoutMs, what), 'engine-timeout');
  }
}

export function engineTimeoutMessage(endpoint: string, timeoutMs: number, what: string): string {
  const seconds = Number.isInteger(timeoutMs / 1000) ? String(timeoutMs / 1000) : (timeoutMs / 1000).toFixed(1);
  return (
    `The Docker engine at ${endpoint} did not answer within ${seconds} s while ${what}. ` +
    'It may be slow, remote or stuck: check that `docker info` answers in a terminal, then try again. ' +
    'NetLab stopped waiting; nothing else was removed.'
  );
}

/**
 * Resolves or rejects like `work`, or rejects with EngineTimeoutError after
 * timeoutMs. The work itself cannot be cancelled: onLate receives a result
 * that arrives after the deadline, so the caller can undo it (e.g. close a
 * terminal nobody waits for any more).
 */
export function withDeadline<T>(
  work: Promise<T>,
  options: { timeoutMs: number; endpoint: string; what: string; onLate?: (value: T) => void },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(new EngineTimeoutError(options.endpoint, options.timeoutMs, options.what));
    }, options.timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (expired) options.onLate?.(value);
        else resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!expired) reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

interface OperationRunnerOptions {
  endpoint: string;
  timeoutMs: number;
  slowAfterMs: number;
  report: (progress: OperationProgress) => void;
}

interface RunOptions<T> {
  /** What the learner waits for, as the end of "…did not answer within N s while <what>". */
  what: string;
  /** false: progress only (the operation has its own deadlines, e.g. the preflight). */
  deadline?: boolean;
  onLate?: (value: T) => void;
}

export type OperationRunner = <T>(op: string, work: () => Promise<T>, options: RunOptions<T>) => Promise<T>;

/**
 * Runs one operation: says "slow" once it outlasts slowAfterMs, and "done" or
 * "failed" afterwards (only then, so fast calls send no events at all).
 */
export function createOperationRunner(options: OperationRunnerOptions): OperationRunner {
  return async <T>(op: string, work: () => Promise<T>, run: RunOptions<T>): Promise<T> => {
    const started = Date.now();
    let slow = false;
    const base = { op, endpoint: options.endpoint, timeoutMs: options.timeoutMs };
    const timer = setTimeout(() => {
      slow = true;
      options.report({ ...base, phase: 'slow', elapsedMs: Date.now() - started });
    }, options.slowAfterMs);
    try {
      const promise = work();
      const value = await (run.deadline === false
        ? promise
        : withDeadline(promise, { timeoutMs: options.timeoutMs, endpoint: options.endpoint, what: run.what, ...(run.onLate ? { onLate: run.onLate } : {}) }));
      if (slow) options.report({ ...base, phase: 'done', elapsedMs: Date.now() - started });
      return value;
    } catch (err) {
      if (slow || err instanceof EngineTimeoutError) {
        const message = err instanceof Error ? err.message : String(err);
        options.report({ ...base, phase: 'failed', elapsedMs: Date.now() - started, message });
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * A contract method the UI waits on the engine for: run as one operation under
 * the method's name, with its deadline and its slow/done/failed progress. `what`
 * ends the timeout message: "…did not answer within N s while <what>".
 */
export function engineCall<M extends MethodName>(run: OperationRunner, method: M, what: string, handler: Handler<M>): Handler<M> {
  return (input, context) => run(method, () => handler(input, context), { what });
}

/**
 * For long streams (image pulls, packs) a total deadline is wrong: a big pull
 * may rightly take minutes. What is wrong is silence: `expired` rejects once no
 * progress was seen for timeoutMs; every sign of life calls `touch()`.
 */
interface IdleDeadline {
  touch(): void;
  stop(): void;
  expired: Promise<never>;
}

export function idleDeadline(options: { timeoutMs: number; endpoint: string; what: string; onExpire?: () => void }): IdleDeadline {
  let timer: NodeJS.Timeout | undefined;
  let fire: (err: Error) => void = () => undefined;
  const expired = new Promise<never>((_resolve, reject) => (fire = reject));
  expired.catch(() => undefined);
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      options.onExpire?.();
      fire(new EngineTimeoutError(options.endpoint, options.timeoutMs, options.what));
    }, options.timeoutMs);
  };
  arm();
  return { touch: arm, stop: () => clearTimeout(timer), expired };
}

/** Runs work that reports signs of life through `touch`; fails it after a silence of timeoutMs. */
export async function withIdleDeadline<T>(
  options: { timeoutMs: number; endpoint: string; what: string },
  work: (touch: () => void) => Promise<T>,
): Promise<T> {
  const idle = idleDeadline(options);
  try {
    return await Promise.race([work(idle.touch), idle.expired]);
  } finally {
    idle.stop();
  }
}
