// Docker's event stream as a resilient subscription: newline-delimited JSON
// split robustly across chunks, and a reconnect with backoff when it drops.
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';

export interface DockerEvent {
  Type: string;
  /** e.g. "create", "exec_start: sh -c ...", "health_status: healthy". */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Splits a byte stream into lines, keeping partial lines and multi-byte characters intact. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  push(chunk: Buffer | string): string[] {
    this.rest += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.rest.split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((line) => line.trim()).filter((line) => line.length > 0);
  }
}

export function parseEvent(line: string): DockerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<DockerEvent>;
  if (typeof v.Type !== 'string' || typeof v.Action !== 'string' || typeof v.Actor?.ID !== 'string') return undefined;
  return { ...v, Actor: { ID: v.Actor.ID, Attributes: v.Actor.Attributes ?? {} } } as DockerEvent;
}

interface SubscriptionHandlers {
  onEvent(event: DockerEvent): void;
  /** The stream dropped (false) or is back and the caller has resynced (true). */
  onConnection(reachable: boolean, message?: string): void;
  /** Runs after a reconnect, before onConnection(true): events may have been missed. */
  onReconnected(): Promise<void>;
}

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 5000;

export class EventSubscription {
  private stream: NodeJS.ReadableStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoff = BACKOFF_START_MS;

  constructor(
    private readonly docker: Dockerode,
    private readonly filters: Dockerode.GetEventsOptions['filters'],
    private readonly handlers: SubscriptionHandlers,
  ) {}

  /** Subscribes once; rejects when the engine cannot be reached. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    (stream as { destroy?: () => void } | undefined)?.destroy?.();
  }

  private async connect(): Promise<NodeJS.ReadableStream | undefined> {
    const stream = await this.docker.getEvents({ filters: this.filters });
    if (this.stopped) {
      (stream as { destroy?: () => void }).destroy?.();
      return undefined;
    }
    this.stream = stream;
    const splitter = new LineSplitter();
    let dropped = false;
    const drop = (message: string): void => {
      if (dropped || this.stopped || this.stream !== stream) return;
      dropped = true;
      this.stream = undefined;
      (stream as { destroy?: () => void }).destroy?.();
      this.handlers.onConnection(false, message);
      this.scheduleReconnect();
    };
    stream.on('data', (chunk: Buffer | string) => {
      if (this.stopped || this.stream !== stream) return;
      for (const line of splitter.push(chunk)) {
        const event = parseEvent(line);
        if (event) this.handlers.onEvent(event);
      }
    });
    stream.on('error', (err: Error) => drop(`Docker event stream failed: ${err.message}`));
    stream.on('end', () => drop('Docker event stream ended'));
    stream.on('close', () => drop('Docker event stream closed'));
    return stream;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    let stream: NodeJS.ReadableStream | undefined;
    try {
      stream = await this.connect();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (!stream) return;
    this.backoff = BACKOFF_START_MS;
    try {
      await this.handlers.onReconnected();
    } catch {
      // The model stays stale until the next event; the stream itself is back.
    }
    // Only if this stream is still the live one (it may have dropped meanwhile).
    if (!this.stopped && this.stream === stream) this.handlers.onConnection(true);
  }
}
