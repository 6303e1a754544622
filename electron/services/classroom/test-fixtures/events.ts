// Waiting on what the classroom emits, shared by its unit, loopback and integration tests.
import { EventEmitter, once } from 'node:events';
import type { EventName, Events, EventSink } from '../../../api/contract';

/** An app event sink a test can wait on: every emit is a listener call, so events back to back are all seen. */
export class WaitingSink extends EventEmitter implements EventSink {
  override emit<E extends EventName>(name: E, payload: Events[E]): boolean {
    return super.emit(name, payload);
  }
  /** The first payload of `name` that satisfies `pred`. */
  until<E extends EventName>(name: E, pred: (p: Events[E]) => boolean): Promise<Events[E]> {
    return new Promise((resolve) => {
      const listener = (p: Events[E]): void => {
        if (!pred(p)) return;
        this.off(name, listener);
        resolve(p);
      };
      this.on(name, listener);
    });
  }
}

/** Waits for an event whose payload satisfies `pred`. */
export async function until<T>(emitter: EventEmitter, event: string, pred: (v: T) => boolean = () => true): Promise<T> {
  for (;;) {
    const [v] = (await once(emitter, event)) as [T];
    if (pred(v)) return v;
  }
}
