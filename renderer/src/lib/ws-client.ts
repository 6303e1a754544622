// Browser mode: the LabApi over one WebSocket. JSON text frames:
//   → { type: 'call', id, method, input }
//   ← { type: 'result', id, result } | { type: 'error', id, error } | { type: 'event', name, payload }
import type { EventName, Events, LabApi, MethodInput, MethodName, MethodResult, WireError } from '../../../electron/api/contract';
import { fromWireError } from '../../../electron/api/errors';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onClose(): void;
}

/** Opens the transport and wires it to the handlers; returns how to send. */
export type Connect = (handlers: SocketHandlers) => { send(data: string): void };

export interface ConnectedApi extends LabApi {
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class DisconnectedError extends Error {
  override name = 'DisconnectedError';
  constructor() {
    super('Disconnected from the lab server');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asWireError(value: unknown): WireError {
  if (isRecord(value) && typeof value.message === 'string') {
    return {
      name: typeof value.name === 'string' ? value.name : 'Error',
      message: value.message,
      ...(typeof value.code === 'string' ? { code: value.code } : {}),
    };
  }
  return { name: 'Error', message: 'The lab server sent an invalid error' };
}

/** Calls one listener, keeping a faulty one from breaking the others. */
export function safeCall<T>(listener: (payload: T) => void, payload: T): void {
  try {
    listener(payload);
  } catch (err) {
    console.error('event listener failed', err);
  }
}

export function createWsClient(connect: Connect): ConnectedApi {
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  const pending = new Map<number, Pending>();
  // Frames written before the socket opened, sent in order on open.
  let queue: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) safeCall(listener, next);
  }

  function handleMessage(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.error('lab server sent a frame that is not JSON');
      return;
    }
    if (!isRecord(message)) return;
    if (message.type === 'event' && typeof message.name === 'string') {
      const set = listeners.get(message.name);
      if (set) for (const listener of [...set]) safeCall(listener, message.payload);
      return;
    }
    if ((message.type === 'result' || message.type === 'error') && typeof message.id === 'number') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.type === 'result') call.resolve(message.result);
      else call.reject(fromWireError(asWireError(message.error)));
    }
  }

  function handleClose(): void {
    setState('closed');
    queue = [];
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(new DisconnectedError());
  }

  const socket = connect({
    onOpen(): void {
      if (state === 'closed') return;
      setState('open');
      const frames = queue;
      queue = [];
      for (const frame of frames) socket.send(frame);
    },
    onMessage: handleMessage,
    onClose: handleClose,
  });

  return {
    call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
      if (state === 'closed') return Promise.reject(new DisconnectedError());
      const id = nextId++;
      const frame = JSON.stringify({ type: 'call', id, method, input });
      return new Promise<MethodResult<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        if (state === 'open') {
          try {
            socket.send(frame);
          } catch (err) {
            pending.delete(id);
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        } else {
          queue.push(frame);
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    connection: () => state,
    onConnection(listener: (state: ConnectionState) => void): () => void {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
  };
}

/** The real transport: a browser WebSocket. */
export function browserSocket(url: string): Connect {
  return (handlers) => {
    const ws = new WebSocket(url);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      handlers.onClose();
    };
    ws.addEventListener('open', () => handlers.onOpen());
    ws.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data === 'string') handlers.onMessage(event.data);
    });
    ws.addEventListener('close', close);
    ws.addEventListener('error', close);
    return { send: (data: string) => ws.send(data) };
  };
}

/** ws:// or wss:// to /api on the page's own host, carrying the session token. */
export function apiSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
}
