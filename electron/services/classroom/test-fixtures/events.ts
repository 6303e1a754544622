// Waiting on what the classroom emits, shared by its unit, loopback and integration tests.
import { EventEmitter, once } from 'node:events';
import type { ClassDashboard, EventName, Events, EventSink } from '../../../api/contract';
import { applyDashboardUpdate } from '../../../api/dashboard-update';

const DASHBOARD = Symbol('dashboard');

/**
 * An app event sink a test can wait on: every emit is a listener call, so events back to back are all seen.
 * It folds `classroom.changed` updates into the dashboard a page would show; a gap in them throws.
 */
export class WaitingSink extends EventEmitter implements EventSink {
  dashboard: ClassDashboard | null = null;
  override emit<E extends EventName>(name: E, payload: Events[E]): boolean {
    if (name === 'classroom.changed') {
      const next = applyDashboardUpdate(this.dashboard, payload as Events['classroom.changed']);
      if (!next) throw new Error(`a dashboard update out of step: ${JSON.stringify((payload as Events['classroom.changed']).version)} after ${JSON.stringify(this.dashboard?.version)}`);
      this.dashboard = next;
      super.emit(DASHBOARD, next);
    }
    return super.emit(name, payload);
  }
  /** The first dashboard (folded from `classroom.changed`) that satisfies `pred`. */
  untilDashboard(pred: (d: ClassDashboard) => boolean): Promise<ClassDashboard> {
    return until<ClassDashboard>(this, DASHBOARD, pred);
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
export async function until<T>(emitter: EventEmitter, event: string | symbol, pred: (v: T) => boolean = () => true): Promise<T> {
  for (;;) {
    const [v] = (await once(emitter, event)) as [T];
    if (pred(v)) return v;
  }
}
