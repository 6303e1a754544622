// Browser mode: the LabApi over one WebSocket. JSON text frames:
//   → { type: 'call', id, method, input }
//   ← { type: 'result', id, result } | { type: 'error', id, error } | { type: 'event', name, payload }
// The socket proves itself with its subprotocols (electron/server/ws-protocol.ts).
import type { EventName, Events, LabApi, MethodInput, MethodName, MethodResult, WireError } from '../../../electron/api/contract';
import { fromWireError } from '../../../electron/api/errors';
import { SECRET_PATTERN } from '../../../electron/api/ws-protocol';

/** 'no-session': this tab holds no credential the server accepts (nothing opened). */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'no-session';

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onClose(): void;
  /** The socket never opened: no credential, or the server refused it. */
  onRefused(): void;
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

class DisconnectedError extends Error {
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
function safeCall<T>(listener: (payload: T) => void, payload: T): void {
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

  function handleClose(next: 'closed' | 'no-session'): void {
    setState(next);
    queue = [];
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(new DisconnectedError());
  }

  const socket = connect({
    onOpen(): void {
      if (state === 'closed' || state === 'no-session') return;
      setState('open');
      const frames = queue;
      queue = [];
      for (const frame of frames) socket.send(frame);
    },
    onMessage: handleMessage,
    onClose: () => handleClose('closed'),
    onRefused: () => handleClose('no-session'),
  });

  return {
    call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
      if (state === 'closed' || state === 'no-session') return Promise.reject(new DisconnectedError());
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

/** Where a socket's credential comes from, and what it learns (renderer/src/lib/session-credential.ts). */
export interface SocketAuth {
  /** The subprotocols to offer (the API's and a credential or a launch code), or undefined: this tab holds none. */
  protocols(): Promise<string[] | undefined>;
  /** The server handed over the session credential (its first frame, after a launch code). */
  onSession(credential: string): void;
  /** The socket opened: what protocols() offered was accepted. */
  onOpen(): void;
  /** It never opened: refused (or no server). */
  onRefused(): void;
}

/** The credential in the server's first frame, if that frame is a session frame; cheap for every other frame. */
export function sessionCredential(data: string): string | undefined {
  if (!data.startsWith('{"type":"session"')) return undefined;
  try {
    const credential = (JSON.parse(data) as { credential?: unknown }).credential;
    return typeof credential === 'string' && SECRET_PATTERN.test(credential) ? credential : undefined;
  } catch {
    return undefined;
  }
}

/** The real transport: a browser WebSocket, opened once its credential is known. */
export function browserSocket(url: string, auth: SocketAuth): Connect {
  return (handlers) => {
    let ws: WebSocket | undefined;
    let opened = false;
    let closed = false;
    let first = true;
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (opened) {
        handlers.onClose();
      } else {
        auth.onRefused();
        handlers.onRefused();
      }
    };
    void auth.protocols().then((protocols) => {
      if (!protocols) {
        close();
        return;
      }
      try {
        ws = new WebSocket(url, protocols);
      } catch {
        close();
        return;
      }
      ws.addEventListener('open', () => {
        opened = true;
        auth.onOpen();
        handlers.onOpen();
      });
      ws.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data !== 'string') return;
        if (first) {
          first = false;
          const credential = sessionCredential(event.data);
          if (credential) {
            auth.onSession(credential);
            return;
          }
        }
        handlers.onMessage(event.data);
      });
      ws.addEventListener('close', close);
      ws.addEventListener('error', close);
    }, close);
    return {
      send: (data: string) => {
        if (!ws) throw new Error('the lab server connection is not open');
        ws.send(data);
      },
    };
  };
}

/** ws:// or wss:// to /api on the page's own host. No credential: that goes in the subprotocols. */
export function apiSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api`;
}
