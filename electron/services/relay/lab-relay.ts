// The lab relay: a private Docker API endpoint for one host shell. The shell's
// DOCKER_HOST points here, and every request goes on to the engine the app
// uses, unchanged but for one thing: what a lab creates is labelled. Each call
// is recorded (operation, target, a capped JSON body, status, duration, what it
// created; an exec also its command and exit code), so a checkpoint can take
// the engine as its witness whatever shell, alias or script made the call.
//
// Bytes pass as they come, each learner connection on an engine connection of
// its own: the relay reads the HTTP framing (http-framing.ts) to know where each
// request and answer starts and ends, holds back only the bodies it labels or
// records, and reads an answer's body only for a create's id or a refusal's
// message. Taking each call through Node's http server and client instead cost
// 0.5-0.7 ms a call on a 2-core machine (bench/scenarios/relay.ts). Upgraded
// and hijacked connections (`docker run -it`, `docker exec -it`, `docker
// attach`, BuildKit's session) go raw both ways once the engine agrees; long
// streams (`docker logs -f`, `docker events`, `docker cp`, builds) pass as they
// come, the engine paused while the learner's client reads slowly. A request
// it cannot read gets a 400 and nothing of it is forwarded; an engine it
// cannot reach gets the CLI a 502 that says so.
import { chmod, mkdir, rm } from 'node:fs/promises';
import net, { type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import type { EngineConnector } from './engine-connection';
import type { EngineRecord } from './engine-record';
import { BodyReader, FramingError, readHead, requestBody, responseBody, type Head } from './http-framing';
import { engineOperation, LABELLED_CREATES, type EngineOperation } from './operations';

export type { EngineRecord };

export interface LabRelayOptions {
  socketPath: string;
  /** Opens a connection to the engine the app uses. */
  connect: EngineConnector;
  /** The label to put on what is created now (a lab is open), or undefined. */
  label: () => { key: string; value: string } | undefined;
  /** Asks the engine directly how an exec exited, and in which container it ran (after its stream ended). */
  execResult: (execId: string) => Promise<{ exitCode?: number; containerId?: string }>;
  onRecord: (record: EngineRecord) => void;
  /** The engine, for the message a learner sees when it cannot be reached. */
  endpoint: string;
}

/** Request bodies read whole (JSON for the calls below); anything larger is refused. */
const MAX_JSON_BODY = 4 * 1024 * 1024;
/** What a record keeps of a body or a response. */
const MAX_RECORDED = 64 * 1024;
/** Bodies recorded: what lessons ask about, never /auth (docker login) or anything else. */
const RECORDED_BODIES = new Set(['container.create', 'container.exec', 'exec.start', 'network.create', 'network.connect', 'network.disconnect', 'volume.create']);
/** Responses read for a record: small JSON telling what was created, or why a call failed. */
const CREATES = new Set(['container.create', 'container.exec', 'network.create', 'volume.create']);
/** A client sending on while its answer is still coming is paused past this much. */
const MAX_WAITING = 1024 * 1024;
/** Hijacked without an upgrade (an older client's attach): the answer's stream, then raw both ways. */
const RAW_STREAM = /application\/vnd\.docker\.(?:raw|multiplexed)-stream/;
/**
 * A streamed answer's bytes wait this long for more before they go back to the learner's client,
 * or until this much has gathered: the engine flushes `docker logs` line by line (100 MB is over a
 * million writes), and a write to the client for each cost the relay more CPU than the engine spent
 * making them, on the cores the engine needs (bench/scenarios/relay.ts). A head, and the end of an
 * answer, go at once (`docker run` waits for the head of its long-polled `wait` before it starts).
 */
const STREAM_BATCH_MS = 2;
const STREAM_BATCH_BYTES = 64 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);

interface PendingExec {
  container: string;
  command: string[];
}

/** One call on a learner's connection, from its head to the end of its answer. */
interface Exchange {
  op: EngineOperation;
  method: string;
  startedAt: number;
  upgrade: boolean;
  /** Some of the request went on to the engine (it can no longer be refused cleanly). */
  forwarded: boolean;
  /** Some of the answer went back to the client. */
  answered: boolean;
  /** The request's JSON body, when it was read (an exec's Cmd). */
  json?: unknown;
  /** What the record keeps of that body. */
  body?: unknown;
  /** A detached exec start (`docker exec -d`): its exec's command, known from its create. */
  detached?: PendingExec;
  status?: number;
  answer?: BodyReader;
  capture?: { chunks: Buffer[]; size: number };
}

function isJson(head: Head): boolean {
  return /\bjson\b/i.test(head.headers.get('content-type') ?? '');
}

function parseJson(buffer: Buffer): unknown {
  try {
    return buffer.length ? JSON.parse(buffer.toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}

/** A create or exec body with Env values left out: they may hold passwords. */
function recordedBody(op: string, body: unknown): unknown {
  if ((op !== 'container.create' && op !== 'container.exec') || typeof body !== 'object' || body === null) return body;
  const env = (body as { Env?: unknown }).Env;
  if (!Array.isArray(env)) return body;
  return { ...body, Env: env.map((e) => (typeof e === 'string' ? `${e.split('=')[0]}=` : e)) };
}

/**
 * The query as a record keeps it: a build's argument values left out (`--build-arg TOKEN=…`),
 * and any user:password@ in a URL (`docker import http://user:pw@host/x.tar`).
 */
function recordedQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) {
    if (key === 'buildargs') {
      const args = parseJson(Buffer.from(value));
      out[key] = typeof args === 'object' && args !== null && !Array.isArray(args) ? JSON.stringify(Object.fromEntries(Object.keys(args).map((k) => [k, '']))) : '';
    } else out[key] = value.replace(/\/\/[^/@\s]*@/g, '//');
  }
  return out;
}

/** A whole answer of the relay's own, after which the connection closes. */
function ownAnswer(status: number, reason: string, message: string): Buffer {
  const body = Buffer.from(JSON.stringify({ message }));
  return Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, 'latin1'), body]);
}

function append(a: Buffer, b: Buffer): Buffer {
  return a.length === 0 ? b : Buffer.concat([a, b]);
}

export class LabRelay {
  private seq = 0;
  /** Execs created through this relay and not started yet, by id. */
  readonly execs = new Map<string, PendingExec>();
  private readonly connections = new Set<RelayConnection>();

  private constructor(
    private readonly server: net.Server,
    readonly options: LabRelayOptions,
  ) {}

  /** Listens on a unix socket (mode 0600, in a 0700 directory) or a named pipe. */
  static async listen(options: LabRelayOptions): Promise<LabRelay> {
    // Half-open: a hijacked stream's client ends its input (stdin's EOF) and still reads the output.
    const server = net.createServer({ allowHalfOpen: true });
    const relay = new LabRelay(server, options);
    server.on('connection', (socket: Socket) => {
      const connection = new RelayConnection(relay, socket);
      relay.connections.add(connection);
      socket.once('close', () => relay.connections.delete(connection));
    });
    const isPipe = options.socketPath.startsWith('\\\\');
    if (!isPipe) {
      await mkdir(dirname(options.socketPath), { recursive: true, mode: 0o700 });
      await chmod(dirname(options.socketPath), 0o700);
      await rm(options.socketPath, { force: true });
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Never readableAll/writableAll: a pipe keeps Windows' default access, a socket its 0600 below.
      server.listen({ path: options.socketPath, readableAll: false, writableAll: false }, () => resolve());
    });
    if (!isPipe) await chmod(options.socketPath, 0o600);
    return relay;
  }

  get socketPath(): string {
    return this.options.socketPath;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (!this.options.socketPath.startsWith('\\\\')) await rm(this.options.socketPath, { force: true });
  }

  record(exchange: Exchange, fields: Partial<EngineRecord>): void {
    const { op, method, startedAt } = exchange;
    const record: EngineRecord = {
      seq: ++this.seq,
      at: new Date(Date.now() - (performance.now() - startedAt)).toISOString(),
      op: op.op,
      method,
      path: op.path,
      query: recordedQuery(op.query),
      ...(op.target !== undefined ? { target: op.target } : {}),
      status: 0,
      durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
      ...fields,
    };
    try {
      this.options.onRecord(record);
    } catch {
      // A listener's failure never breaks the learner's call.
    }
  }

  /** The record of an upgraded call once it ended; an interactive exec's with its exit code. */
  async finishRaw(exchange: Exchange): Promise<void> {
    const { op } = exchange;
    const status = exchange.status ?? 0;
    const pending = op.op === 'exec.start' && op.target ? this.execs.get(op.target) : undefined;
    if (!pending || !op.target) return this.record(exchange, { status });
    this.execs.delete(op.target);
    const result = await this.options.execResult(op.target).catch(() => ({}) as { exitCode?: number; containerId?: string });
    this.record(exchange, { status, exec: { ...pending, ...result } });
  }

  /** After a create's answer: an exec created is remembered for its start (the newest few hundred). */
  rememberExec(id: string, container: string, json: unknown): void {
    const cmd = (json as { Cmd?: unknown } | undefined)?.Cmd;
    this.execs.set(id, { container, command: Array.isArray(cmd) ? cmd.map(String) : [] });
    if (this.execs.size > 256) this.execs.delete(this.execs.keys().next().value as string);
  }
}

/**
 * One learner connection and the engine connection it has. Requests are read one at a time: the
 * next head is looked at once the answer to this one has ended (Docker's clients never pipeline;
 * one that did is answered in order all the same).
 */
class RelayConnection {
  private phase: 'head' | 'body' | 'hold' | 'wait' | 'raw' | 'closed' = 'head';
  /** The client's bytes not passed on yet. */
  private fromClient: Buffer = EMPTY;
  /** The engine's bytes not passed back yet. */
  private fromEngine: Buffer = EMPTY;
  private engine: Duplex | undefined;
  /** A request went on the engine connection (one that fails before any did is opened again). */
  private engineUsed = false;
  private exchange: Exchange | undefined;
  private request: BodyReader | undefined;
  private held: { head: Head; chunks: Buffer[]; size: number } | undefined;
  private clientEnded = false;
  /** The answer's bytes not written to the client yet (see STREAM_BATCH_MS). */
  private batch: Buffer[] = [];
  private batchSize = 0;
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  /** This read carried a head: what it passes back goes at once. */
  private urgent = false;
  /** The upgraded call, recorded when its connection ends. */
  private rawExchange: Exchange | undefined;
  private readonly onClientData = (chunk: Buffer): void => {
    this.fromClient = append(this.fromClient, chunk);
    this.pump();
  };

  constructor(
    private readonly relay: LabRelay,
    private readonly client: Socket,
  ) {
    client.on('data', this.onClientData);
    client.on('error', () => client.destroy());
    client.on('drain', () => this.engine?.resume());
    client.on('end', () => this.onClientEnd());
    client.on('close', () => this.onClientClose());
    // The engine's connection opens while the first request is still on its way.
    try {
      this.openEngine();
    } catch {
      // The first request tries again, and gets the 502 that says why.
    }
  }

  destroy(): void {
    clearTimeout(this.batchTimer);
    this.phase = 'closed';
    this.client.destroy();
    this.engine?.destroy();
  }

  // ---------------------------------------------------------------- requests

  private pump(): void {
    // What one pass passes on (a head and the body that came with it) goes out in one write.
    const engine = this.engine;
    engine?.cork();
    try {
      for (;;) {
        if (this.phase === 'head') {
          if (this.fromClient.length === 0) {
            if (this.clientEnded) this.close();
            return;
          }
          const head = readHead(this.fromClient, 'request');
          if (!head || !this.begin(head)) return;
        } else if (this.phase === 'body' || this.phase === 'hold') {
          if (this.fromClient.length === 0) return;
          if (!this.readRequestBody()) return;
        } else {
          // Waiting for the answer: what comes meanwhile is read after it.
          if (this.phase === 'wait' && this.fromClient.length > MAX_WAITING) this.client.pause();
          return;
        }
      }
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.refuse(`NetLab lab relay: a request it cannot read (${err.message})`);
    } finally {
      engine?.uncork();
    }
  }

  /** A request's head: passed on at once, or held with its body. False when refused. */
  private begin(head: Head): boolean {
    const [method, target] = head.start;
    const op = engineOperation(method, target);
    if (!op) {
      this.refuse('NetLab lab relay: not a Docker API request');
      return false;
    }
    const body = requestBody(head);
    const headBytes = this.fromClient.subarray(0, head.length);
    this.fromClient = this.fromClient.subarray(head.length);
    const upgrade = head.headers.has('upgrade') && /\bupgrade\b/i.test(head.headers.get('connection') ?? '');
    const exchange: Exchange = { op, method, startedAt: performance.now(), upgrade, forwarded: false, answered: false };
    // A detached exec (`docker exec -d`) starts without a stream to wait for: its exit code is not known here.
    if (op.op === 'exec.start' && op.target && !upgrade) {
      exchange.detached = this.relay.execs.get(op.target);
      this.relay.execs.delete(op.target);
    }
    this.exchange = exchange;
    this.request = new BodyReader(body);
    const hold = body.mode !== 'none' && !upgrade && (LABELLED_CREATES.has(op.op) || (RECORDED_BODIES.has(op.op) && isJson(head)));
    if (hold) {
      this.held = { head, chunks: [], size: 0 };
      this.phase = 'hold';
      // The body is read before anything goes on: a client that waits to be asked for it is asked.
      if (/^100-continue$/i.test(head.headers.get('expect') ?? '')) this.client.write('HTTP/1.1 100 Continue\r\n\r\n');
      return true;
    }
    this.toEngine(headBytes);
    this.phase = body.mode === 'none' ? 'wait' : 'body';
    return true;
  }

  /** Passes on (or holds) what of the body has come; false when it was refused. */
  private readRequestBody(): boolean {
    const reader = this.request as BodyReader;
    const held = this.held;
    const n = reader.read(
      this.fromClient,
      0,
      held
        ? (data) => {
            held.size += data.length;
            if (held.size <= MAX_JSON_BODY) held.chunks.push(data);
          }
        : undefined,
    );
    const part = this.fromClient.subarray(0, n);
    this.fromClient = this.fromClient.subarray(n);
    if (!held) this.toEngine(part);
    else if (held.size > MAX_JSON_BODY) {
      this.refuse(`NetLab lab relay: a request body over ${MAX_JSON_BODY} bytes for ${this.exchange?.op.op}`);
      return false;
    }
    if (!reader.done) return true;
    if (held && !this.sendHeld(held)) return false;
    this.phase = 'wait';
    return true;
  }

  /** A held request, whole: labelled if a lab creates, recorded, then passed on with its new length. */
  private sendHeld(held: { head: Head; chunks: Buffer[] }): boolean {
    const exchange = this.exchange as Exchange;
    const op = exchange.op.op;
    this.held = undefined;
    let body = Buffer.concat(held.chunks);
    let json = parseJson(body);
    if (LABELLED_CREATES.has(op) && body.length > 0) {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        this.refuse(`NetLab lab relay: unreadable request body for ${op}`);
        return false;
      }
      const label = this.relay.options.label();
      if (label) {
        const labels = (json as { Labels?: unknown }).Labels;
        json = { ...json, Labels: { ...(typeof labels === 'object' && labels !== null ? labels : {}), [label.key]: label.value } };
        body = Buffer.from(JSON.stringify(json));
      }
    }
    exchange.json = json;
    if (json !== undefined && body.length <= MAX_RECORDED) exchange.body = recordedBody(op, json);
    const lines = held.head.lines.filter((line) => !/^(?:content-length|transfer-encoding|expect)\s*:/i.test(line));
    lines.push(`Content-Length: ${body.length}`);
    this.toEngine(Buffer.concat([Buffer.from(`${held.head.start.join(' ')}\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    return true;
  }

  /** Refuses a request with a 400 and closes; nothing of it went on. One partly passed on can only be cut off. */
  private refuse(message: string): void {
    if (this.exchange?.forwarded) return this.destroy();
    this.close(ownAnswer(400, 'Bad Request', message));
  }

  private toEngine(bytes: Buffer): void {
    if (bytes.length === 0) return;
    let engine = this.engine;
    if (!engine) {
      try {
        engine = this.openEngine();
      } catch (err) {
        if (this.exchange) this.unreachable(this.exchange, err as Error);
        else this.destroy();
        return;
      }
    }
    if (this.exchange) this.exchange.forwarded = true;
    this.engineUsed = true;
    if (!engine.write(bytes)) this.client.pause();
  }

  private openEngine(): Duplex {
    const engine = this.relay.options.connect();
    this.engine = engine;
    this.engineUsed = false;
    engine.on('data', (chunk: Buffer) => this.onEngineData(engine, chunk));
    engine.on('drain', () => {
      if (this.phase !== 'wait') this.client.resume();
    });
    engine.on('error', (err: Error) => this.onEngineGone(engine, err));
    engine.on('close', () => this.onEngineGone(engine));
    // The engine is done sending (Connection: close, an answer read to the close, a stream's end).
    engine.on('end', () => {
      if (this.phase === 'raw') {
        // pipe() ends the client's side once all went out; then both close (the CLI has what it needs).
        this.client.once('finish', () => this.finishRaw());
        return;
      }
      this.onEngineGone(engine);
      engine.destroy();
    });
    return engine;
  }

  // ----------------------------------------------------------------- answers

  private onEngineData(engine: Duplex, chunk: Buffer): void {
    if (engine !== this.engine || this.phase === 'raw' || this.phase === 'closed') return;
    if (!this.exchange) return this.destroy(); // the engine spoke out of turn
    this.fromEngine = append(this.fromEngine, chunk);
    try {
      this.readAnswer();
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.destroy();
      return;
    }
    if (this.urgent || this.batchSize >= STREAM_BATCH_BYTES) this.flushClient();
    else if (this.batchSize > 0) this.batchTimer ??= setTimeout(() => this.flushClient(), STREAM_BATCH_MS);
  }

  private readAnswer(): void {
    while (this.exchange && this.fromEngine.length > 0 && this.phase !== 'raw' && this.phase !== 'closed') {
      const exchange = this.exchange;
      if (!exchange.answer) {
        const head = readHead(this.fromEngine, 'response');
        if (!head) return;
        const status = Number(head.start[1]);
        this.urgent = true;
        this.toClient(this.fromEngine.subarray(0, head.length), exchange);
        this.fromEngine = this.fromEngine.subarray(head.length);
        // 100 Continue and the like: the answer itself follows.
        if (status >= 100 && status < 200 && status !== 101) continue;
        exchange.status = status;
        if (status === 101 || (exchange.upgrade && status === 200 && RAW_STREAM.test(head.headers.get('content-type') ?? ''))) return this.goRaw(exchange);
        exchange.answer = new BodyReader(responseBody(head, exchange.method));
        if (CREATES.has(exchange.op.op) || status >= 400) exchange.capture = { chunks: [], size: 0 };
        if (exchange.answer.done) {
          this.complete(exchange);
          continue;
        }
      }
      const capture = exchange.capture;
      const n = (exchange.answer as BodyReader).read(
        this.fromEngine,
        0,
        capture
          ? (data) => {
              if (capture.size < MAX_RECORDED) capture.chunks.push(data);
              capture.size += data.length;
            }
          : undefined,
      );
      this.toClient(this.fromEngine.subarray(0, n), exchange);
      this.fromEngine = this.fromEngine.subarray(n);
      if (exchange.answer?.done) this.complete(exchange);
    }
  }

  private toClient(bytes: Buffer, exchange: Exchange): void {
    if (bytes.length === 0) return;
    exchange.answered = true;
    this.batch.push(bytes);
    this.batchSize += bytes.length;
  }

  /** Writes what the answer gathered, in one write; the client reading slowly pauses the engine. */
  private flushClient(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.urgent = false;
    if (this.batchSize === 0) return;
    const out = this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch, this.batchSize);
    this.batch = [];
    this.batchSize = 0;
    if (this.phase === 'closed' || this.client.destroyed) return;
    if (!this.client.write(out)) this.engine?.pause();
  }

  /** An answer has ended: the call is recorded, and the next request is read. */
  private complete(exchange: Exchange): void {
    this.flushClient();
    this.exchange = undefined;
    const status = exchange.status ?? 0;
    const json = exchange.capture && exchange.capture.size <= MAX_RECORDED ? (parseJson(Buffer.concat(exchange.capture.chunks)) as { Id?: unknown; message?: unknown } | undefined) : undefined;
    const created = status < 300 && typeof json?.Id === 'string' ? json.Id : undefined;
    if (exchange.op.op === 'container.exec' && created && exchange.op.target) this.relay.rememberExec(created, exchange.op.target, exchange.json);
    const fields: Partial<EngineRecord> = {
      status,
      ...(exchange.body !== undefined ? { body: exchange.body } : {}),
      ...(created ? { created } : {}),
      ...(exchange.detached ? { exec: exchange.detached } : {}),
      ...(status >= 400 && typeof json?.message === 'string' ? { error: json.message } : {}),
    };
    // The answer went out first; the record's listeners (checkpoints, the coach) run after it.
    process.nextTick(() => this.relay.record(exchange, fields));
    if (this.phase !== 'wait') {
      // The engine answered before the request's body was all sent (a refusal): the rest can only be cut off.
      this.close();
      return;
    }
    this.phase = 'head';
    this.request = undefined;
    this.client.resume();
    this.pump();
  }

  /** Upgraded (or hijacked): bytes flow both ways as they are until either side closes. */
  private goRaw(exchange: Exchange): void {
    const engine = this.engine as Duplex;
    this.flushClient();
    this.phase = 'raw';
    this.client.removeListener('data', this.onClientData);
    if (this.fromEngine.length) this.client.write(this.fromEngine);
    if (this.fromClient.length) engine.write(this.fromClient);
    this.fromEngine = EMPTY;
    this.fromClient = EMPTY;
    engine.removeAllListeners('data');
    engine.removeAllListeners('drain');
    engine.pipe(this.client);
    this.client.pipe(engine);
    this.client.resume();
    engine.resume();
    if (this.clientEnded) engine.end();
    this.exchange = undefined;
    this.rawExchange = exchange;
  }

  private finishRaw(): void {
    const exchange = this.rawExchange;
    this.rawExchange = undefined;
    this.destroy();
    if (exchange) void this.relay.finishRaw(exchange);
  }

  // ------------------------------------------------------------------ endings

  private onClientEnd(): void {
    this.clientEnded = true;
    // Raw: pipe() carries the end on (stdin's EOF). Otherwise the answer under way still goes out,
    // unless the request itself was cut short.
    if (this.phase === 'body' || this.phase === 'hold') this.destroy();
    else if (this.phase === 'head' && this.fromClient.length === 0) this.close();
  }

  private onClientClose(): void {
    if (this.phase === 'raw') return this.finishRaw();
    const exchange = this.exchange;
    this.exchange = undefined;
    this.destroy();
    // Cut off mid-answer (Ctrl-C on `docker logs -f`): recorded with the status it had.
    if (exchange?.status !== undefined) this.relay.record(exchange, { status: exchange.status });
  }

  private onEngineGone(engine: Duplex, err?: Error): void {
    if (engine !== this.engine) return;
    this.engine = undefined;
    if (this.phase === 'raw') return this.finishRaw();
    if (this.phase === 'closed') return;
    const exchange = this.exchange;
    if (!exchange) {
      // Opened ahead and failed: the first request opens it again. Otherwise the engine closed a
      // connection at rest, and so does the client's, as with the engine itself.
      if (this.engineUsed) this.close();
      return;
    }
    if (exchange.answer?.endsWithClose && !err) {
      this.complete(exchange);
      this.close();
      return;
    }
    if (!exchange.answered) return this.unreachable(exchange, err);
    this.destroy();
  }

  private unreachable(exchange: Exchange, err: Error | undefined): void {
    const message = `NetLab lab relay: the Docker engine at ${this.relay.options.endpoint} cannot be reached (${err ? err.message : 'it closed the connection without an answer'})`;
    this.exchange = undefined;
    this.close(ownAnswer(502, 'Bad Gateway', message));
    this.relay.record(exchange, { status: 0, error: message });
  }

  /** Ends the client's connection once what was written (and `last`, an answer of the relay's own) has gone out. */
  private close(last?: Buffer): void {
    this.flushClient();
    this.phase = 'closed';
    this.client.removeListener('data', this.onClientData);
    if (last) this.client.end(last);
    else this.client.end();
    this.engine?.destroy();
  }
}
