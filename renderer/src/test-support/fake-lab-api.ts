// For unit tests only: a LabApi whose methods answer from handlers the test
// sets, which records every call and lets the test push events.
import type { EventName, Events, LabApi, MethodInput, MethodName, MethodResult } from '../../../electron/api/contract';

type Handler<M extends MethodName> = (input: MethodInput<M>) => MethodResult<M> | Promise<MethodResult<M>>;
type Handlers = { [M in MethodName]?: Handler<M> };

export class FakeLabApi implements LabApi {
  readonly calls: { method: MethodName; input: unknown }[] = [];
  readonly #handlers: Handlers = {};
  readonly #listeners = new Map<EventName, Set<(payload: never) => void>>();

  /** Answers `method` with `handler` (a method without one resolves with undefined). */
  handle<M extends MethodName>(method: M, handler: Handler<M>): this {
    (this.#handlers as Record<M, Handler<M>>)[method] = handler;
    return this;
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, input });
    const handler = this.#handlers[method] as Handler<M> | undefined;
    try {
      return Promise.resolve(handler ? handler(input) : (undefined as MethodResult<M>));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) (listener as (p: Events[E]) => void)(payload);
  }

  listeners(event: EventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** The inputs of every call to `method`, in order. */
  inputs<M extends MethodName>(method: M): MethodInput<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input as MethodInput<M>);
  }
}

/** A promise the test settles. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve: (value: T) => void = () => {};
  let reject: (err: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every settled promise run its callbacks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}
