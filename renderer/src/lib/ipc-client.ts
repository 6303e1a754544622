// Electron: the preload's bridge, which returns errors as data so the renderer
// can rethrow them with their real name and message.
import type { EventName, Events, LabApi, MethodInput, MethodName, MethodResult, WireError } from '../../../electron/api/contract';
import { fromWireError } from '../../../electron/api/errors';

export interface NetlabBridge {
  invoke(method: string, input: unknown): Promise<{ result: unknown } | { error: WireError }>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function createIpcClient(bridge: NetlabBridge): LabApi {
  // One bridge subscription per event name, fanned out here: every terminal
  // listens for output, and each bridge listener is an IPC listener in the preload.
  const listeners = new Map<string, { set: Set<(payload: unknown) => void>; off: () => void }>();

  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
      const reply = await bridge.invoke(method, input);
      if ('error' in reply) throw fromWireError(reply.error);
      return reply.result as MethodResult<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let entry = listeners.get(event);
      if (!entry) {
        const set = new Set<(payload: unknown) => void>();
        const off = bridge.on(event, (payload) => {
          for (const l of [...set]) {
            try {
              l(payload);
            } catch (err) {
              console.error('event listener failed', err);
            }
          }
        });
        entry = { set, off };
        listeners.set(event, entry);
      }
      const wrapped = listener as (payload: unknown) => void;
      const current = entry;
      current.set.add(wrapped);
      return () => {
        current.set.delete(wrapped);
        if (current.set.size === 0 && listeners.get(event) === current) {
          listeners.delete(event);
          current.off();
        }
      };
    },
  };
}
