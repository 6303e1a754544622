// Validates one call from any transport and runs it. Errors come back as data
// ({ error }), never as a transport's generic failure.
import { isMethodName, methods, type Handlers, type MethodName, type WireError } from './contract';
import { LabError, toWireError } from './errors';

export type CallOutcome = { result: unknown } | { error: WireError };

/** Told about every call that ends in an error (the transports log it). */
export type DispatchErrorListener = (method: string, error: WireError) => void;

export function createDispatcher(handlers: Handlers, onError?: DispatchErrorListener): (method: unknown, input: unknown) => Promise<CallOutcome> {
  const run = dispatchOne(handlers);
  return async (method, input) => {
    const outcome = await run(method, input);
    if ('error' in outcome) onError?.(String(method).slice(0, 64), outcome.error);
    return outcome;
  };
}

function dispatchOne(handlers: Handlers): (method: unknown, input: unknown) => Promise<CallOutcome> {
  return async (method, input) => {
    if (!isMethodName(method)) {
      return { error: toWireError(new LabError(`unknown method: ${String(method).slice(0, 64)}`, 'bad-request')) };
    }
    const parsed = methods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
      return { error: toWireError(new LabError(`invalid input for ${method}${where}: ${first?.message ?? 'rejected'}`, 'bad-request')) };
    }
    try {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      return { result: await handler(parsed.data) };
    } catch (err) {
      return { error: toWireError(err) };
    }
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
export type { MethodName };
