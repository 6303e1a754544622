// Validates one call from any transport and runs it, telling the handler who
// called (the transport's caller context). Errors come back as data
// ({ error }), never as a transport's generic failure.
import { isMethodName, methods, type CallContext, type Handlers, type WireError } from './contract';
import { LabError, toWireError } from './errors';

type CallOutcome = { result: unknown } | { error: WireError };

/** Runs one call from a transport; `context` names the caller (none for the main process's own calls). */
export type Dispatcher = (method: unknown, input: unknown, context?: CallContext) => Promise<CallOutcome>;

/** Told about every call that ends in an error (the transports log it). */
type DispatchErrorListener = (method: string, error: WireError) => void;

export function createDispatcher(handlers: Handlers, onError?: DispatchErrorListener): Dispatcher {
  const run = dispatchOne(handlers);
  return async (method, input, context) => {
    const outcome = await run(method, input, context);
    if ('error' in outcome) onError?.(String(method).slice(0, 64), outcome.error);
    return outcome;
  };
}

function dispatchOne(handlers: Handlers): Dispatcher {
  return async (method, input, context) => {
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
      const handler = handlers[method] as (input: unknown, context?: CallContext) => Promise<unknown>;
      return { result: await handler(parsed.data, context) };
    } catch (err) {
      return { error: toWireError(err) };
    }
  };
}
