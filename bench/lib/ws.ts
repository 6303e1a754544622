// A Node client for browser mode's /api WebSocket: the same frames the
// renderer's ws-client sends. Terminal output it receives is acknowledged so
// flow control never holds a shell it drives.
import WebSocket from 'ws';
import { openApiSocket } from '../../test/support/api-socket';
import type { EventName, Events, MethodInput, MethodName, MethodResult } from '../../electron/api/contract';
import type { ServeHandle } from './serve';
import { epochMs } from './stats';

type Frame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number | null; error: { name: string; message: string; code?: string } }
  | { type: 'event'; name: EventName; payload: unknown };

export interface TimedEvent<E extends EventName> {
  at: number;
  payload: Events[E];
}

export class ApiClient {
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(name: EventName, payload: unknown, at: number) => void>();
  /** Terminal ids whose output this client acknowledges (ones it opened). */
  private readonly acking = new Set<string>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = epochMs();
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.type === 'event') {
        if (frame.name === 'terminal.data') {
          const { id, data: text } = frame.payload as Events['terminal.data'];
          if (this.acking.has(id)) void this.call('terminal.ack', { id, chars: text.length }).catch(() => undefined);
        }
        for (const l of this.listeners) l(frame.name, frame.payload, at);
        return;
      }
      if (frame.id === null) return;
      const p = this.pending.get(frame.id);
      if (!p) return;
      this.pending.delete(frame.id);
      if (frame.type === 'result') p.resolve(frame.result);
      else p.reject(new Error(`${frame.error.name}: ${frame.error.message}`));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  static async connect(serve: ServeHandle): Promise<ApiClient> {
    return new ApiClient(await openApiSocket(serve.origin, serve.token, { maxPayload: 64 * 1024 * 1024 }));
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ type: 'call', id, method, input }));
    });
  }

  on<E extends EventName>(name: E, listener: (payload: Events[E], at: number) => void): () => void {
    const wrapped = (n: EventName, payload: unknown, at: number): void => {
      if (n === name) listener(payload as Events[E], at);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Resolves with the first event of that name matching `match`, and when it arrived. */
  next<E extends EventName>(name: E, match: (payload: Events[E]) => boolean, timeoutMs = 30_000): Promise<TimedEvent<E>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(name, (payload, at) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        off();
        resolve({ at, payload });
      });
    });
  }

  /** Opens a host shell whose output this client acknowledges; resolves once its first output arrived. */
  async openHost(cols = 120, rows = 30): Promise<string> {
    let firstOutput: Promise<unknown> | undefined;
    const seen = new Set<string>();
    const off = this.on('terminal.data', ({ id }) => seen.add(id));
    const { id } = await this.call('terminal.open', { kind: 'host', cols, rows });
    this.acking.add(id);
    if (!seen.has(id)) firstOutput = this.next('terminal.data', (d) => d.id === id, 15_000);
    off();
    await firstOutput;
    return id;
  }

  /** Types a command line into a host shell and waits for the shell to report it finished. */
  async run(terminalId: string, command: string, timeoutMs = 60_000): Promise<Events['terminal.command']> {
    const done = this.next('terminal.command', (c) => c.terminalId === terminalId, timeoutMs);
    await this.call('terminal.input', { id: terminalId, data: `${command}\r` });
    return (await done).payload;
  }

  close(): void {
    this.ws.close();
  }
}
