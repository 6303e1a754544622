// The lab relay: a private Docker API endpoint for one host shell. The shell's
// DOCKER_HOST points here, and every request goes on to the engine the app
// uses, unchanged but for one thing: what a lab creates is labelled. Each call
// is recorded (operation, target, a capped JSON body, status, duration, what it
// created; an exec also its command and exit code), so a checkpoint can take
// the engine as its witness whatever shell, alias or script made the call.
//
// It carries what the CLI needs: keep-alive requests, streamed bodies both ways
// (`docker logs -f`, `docker events`, `docker cp`, builds) and hijacked or
// upgraded connections (`docker run -it`, `docker attach`, `docker exec -it`,
// BuildKit's session). A request it cannot read gets a 400 and nothing is
// forwarded; an engine that cannot be reached gets the CLI a 502 that says so.
import { chmod, mkdir, rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import type { EngineRequester } from './engine-request';
import type { EngineRecord } from './engine-record';
import { engineOperation, LABELLED_CREATES, type EngineOperation } from './operations';

export type { EngineRecord };

export interface LabRelayOptions {
  socketPath: string;
  requester: EngineRequester;
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
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'te', 'trailer']);

interface PendingExec {
  container: string;
  command: string[];
}

function forwardedHeaders(headers: IncomingHttpHeaders, body?: Buffer): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(key)) continue;
    if (body && key === 'content-length') continue;
    out[key] = value;
  }
  if (body) out['content-length'] = body.length;
  return out;
}

function isJson(headers: IncomingHttpHeaders): boolean {
  return /\bjson\b/i.test(headers['content-type'] ?? '');
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

/** A streamed body waits this long for more before it goes on to the learner's client, */
const STREAM_BATCH_MS = 2;
/** …or until this much has gathered. */
const STREAM_BATCH_BYTES = 64 * 1024;

/**
 * Passes a response body on. One of known length goes on as it is read. A stream goes on in
 * batches of a couple of milliseconds: the engine flushes it line by line (`docker logs` of
 * 100 MB is over a million chunks), and a write to the learner's client for each cost the relay
 * more CPU than the engine spent making them, on the cores the engine needs
 * (bench/scenarios/relay.ts). The client reading slowly pauses the engine's answer.
 */
function forward(answer: IncomingMessage, res: ServerResponse): void {
  if (answer.headers['content-length'] !== undefined) {
    answer.pipe(res);
    return;
  }
  let pending: Buffer[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (size === 0) return;
    const chunk = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    if (!res.write(chunk)) answer.pause();
  };
  answer.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    size += chunk.length;
    if (size >= STREAM_BATCH_BYTES) flush();
    else timer ??= setTimeout(flush, STREAM_BATCH_MS);
  });
  res.on('drain', () => answer.resume());
  res.on('close', () => clearTimeout(timer));
  answer.on('end', () => {
    flush();
    res.end();
  });
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

function errorBody(message: string): string {
  return JSON.stringify({ message });
}

/** Reads a request body whole, up to `limit` bytes; undefined when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class LabRelay {
  private seq = 0;
  private readonly execs = new Map<string, PendingExec>();
  private readonly sockets = new Set<Socket | Duplex>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: LabRelayOptions,
  ) {}

  /** Listens on a unix socket (mode 0600, in a 0700 directory) or a named pipe. */
  static async listen(options: LabRelayOptions): Promise<LabRelay> {
    const server = http.createServer({ keepAlive: true });
    // A build's context or a `docker cp` may take long to arrive; a `logs -f` never ends.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.timeout = 0;
    const relay = new LabRelay(server, options);
    server.on('request', (req, res) => void relay.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void relay.onUpgrade(req, socket, head));
    server.on('clientError', (_err, socket: Duplex) => {
      // Malformed HTTP: refused, nothing forwarded.
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    server.on('connection', (socket: Socket) => {
      relay.sockets.add(socket);
      socket.once('close', () => relay.sockets.delete(socket));
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
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (!this.options.socketPath.startsWith('\\\\')) await rm(this.options.socketPath, { force: true });
  }

  private record(op: EngineOperation, req: IncomingMessage, startedAt: number, fields: Partial<EngineRecord>): EngineRecord {
    const record: EngineRecord = {
      seq: ++this.seq,
      at: new Date(Date.now() - (performance.now() - startedAt)).toISOString(),
      op: op.op,
      method: req.method ?? 'GET',
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
    return record;
  }

  /** The body to forward: read whole for JSON calls (labelled when a lab creates), else streamed. */
  private async prepareBody(op: EngineOperation, req: IncomingMessage): Promise<{ body?: Buffer; json?: unknown } | 'bad'> {
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || !(isJson(req.headers) || LABELLED_CREATES.has(op.op))) return {};
    const body = await readBody(req, MAX_JSON_BODY);
    if (body === undefined) return 'bad';
    if (!LABELLED_CREATES.has(op.op) || body.length === 0) return { body, json: parseJson(body) };
    const json = parseJson(body);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'bad';
    const label = this.options.label();
    if (!label) return { body, json };
    const labels = (json as { Labels?: unknown }).Labels;
    const marked = { ...json, Labels: { ...(typeof labels === 'object' && labels !== null ? labels : {}), [label.key]: label.value } };
    return { body: Buffer.from(JSON.stringify(marked)), json: marked };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const op = engineOperation(req.method ?? '', req.url ?? '');
    if (!op) {
      res.writeHead(400, { 'Content-Type': 'application/json', Connection: 'close' }).end(errorBody('NetLab lab relay: not a Docker API request'));
      return;
    }
    const prepared = await this.prepareBody(op, req).catch(() => 'bad' as const);
    if (prepared === 'bad') {
      res.writeHead(400, { 'Content-Type': 'application/json', Connection: 'close' }).end(errorBody(`NetLab lab relay: unreadable request body for ${op.op}`));
      return;
    }
    const body = RECORDED_BODIES.has(op.op) && prepared.json !== undefined && (prepared.body?.length ?? 0) <= MAX_RECORDED ? recordedBody(op.op, prepared.json) : undefined;
    // A detached exec (`docker exec -d`) starts without a stream to wait for: its exit code is not known here.
    const detached = op.op === 'exec.start' && op.target ? this.execs.get(op.target) : undefined;
    if (detached && op.target) this.execs.delete(op.target);

    let upstream: http.ClientRequest;
    try {
      upstream = await this.options.requester({ method: req.method, path: req.url, headers: forwardedHeaders(req.headers, prepared.body) });
    } catch (err) {
      this.unreachable(res, op, req, startedAt, err);
      return;
    }
    upstream.on('error', (err) => {
      if (!res.headersSent) this.unreachable(res, op, req, startedAt, err);
      else res.destroy();
    });
    // The learner's client went away (Ctrl-C on `docker logs -f`): so does the engine call.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('response', (answer) => {
      const capture = CREATES.has(op.op) || (answer.statusCode ?? 0) >= 400;
      const chunks: Buffer[] = [];
      let captured = 0;
      if (capture) {
        answer.on('data', (chunk: Buffer) => {
          if (captured < MAX_RECORDED) chunks.push(chunk);
          captured += chunk.length;
        });
      }
      answer.on('end', () => {
        const json = capture && captured <= MAX_RECORDED ? (parseJson(Buffer.concat(chunks)) as { Id?: unknown; message?: unknown } | undefined) : undefined;
        const status = answer.statusCode ?? 0;
        const created = status < 300 && typeof json?.Id === 'string' ? json.Id : undefined;
        if (op.op === 'container.exec' && created && op.target) {
          const cmd = (prepared.json as { Cmd?: unknown } | undefined)?.Cmd;
          this.execs.set(created, { container: op.target, command: Array.isArray(cmd) ? cmd.map(String) : [] });
          // An exec created and never started would stay forever: keep the newest few hundred.
          if (this.execs.size > 256) this.execs.delete(this.execs.keys().next().value as string);
        }
        const fields: Partial<EngineRecord> = {
          status,
          ...(body !== undefined ? { body } : {}),
          ...(created ? { created } : {}),
          ...(detached ? { exec: detached } : {}),
          ...(status >= 400 && typeof json?.message === 'string' ? { error: json.message } : {}),
        };
        // forward() ends the learner's response right after this handler: the answer goes out first,
        // and the record's listeners (checkpoints, the coach) run after it (bench/scenarios/relay.ts).
        process.nextTick(() => this.record(op, req, startedAt, fields));
      });
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardedHeaders(answer.headers));
      // Long polls answer their headers at once and their body much later (`wait?condition=next-exit`,
      // which `docker run` waits on before it starts the container): pass the headers of a body of
      // unknown length on now. One of known length goes out with its headers, in one write.
      if (answer.headers['content-length'] === undefined) res.flushHeaders();
      forward(answer, res);
    });
    if (prepared.body) upstream.end(prepared.body);
    // No body (most calls): the request goes out at once, in one write, without waiting for req's end.
    else if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) upstream.end();
    else req.pipe(upstream);
  }

  private unreachable(res: ServerResponse, op: EngineOperation, req: IncomingMessage, startedAt: number, err: unknown): void {
    const message = `NetLab lab relay: the Docker engine at ${this.options.endpoint} cannot be reached (${err instanceof Error ? err.message : String(err)})`;
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' }).end(errorBody(message));
    this.record(op, req, startedAt, { status: 0, error: message });
  }

  /** A hijacked or upgraded call: the request (with its small body) goes on, then bytes flow both ways. */
  private async onUpgrade(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    const startedAt = performance.now();
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    const op = engineOperation(req.method ?? '', req.url ?? '');
    const length = Number(req.headers['content-length'] ?? 0);
    if (!op || !Number.isSafeInteger(length) || length < 0 || length > MAX_JSON_BODY || req.headers['transfer-encoding'] !== undefined) {
      client.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // The body (exec start's {"Detach":false,"Tty":true}) arrives with the headers or just after them.
    let buffered = head;
    while (buffered.length < length) {
      const more = await new Promise<Buffer | undefined>((resolve) => {
        client.once('data', (chunk: Buffer) => resolve(chunk));
        client.once('end', () => resolve(undefined));
      });
      if (!more) return void client.destroy();
      buffered = Buffer.concat([buffered, more]);
    }
    client.pause();
    const body = buffered.subarray(0, length);
    const rest = buffered.subarray(length);
    const headers: http.OutgoingHttpHeaders = { ...forwardedHeaders(req.headers), 'content-length': length, connection: 'Upgrade', upgrade: req.headers.upgrade ?? 'tcp' };

    let upstream: http.ClientRequest;
    try {
      upstream = await this.options.requester({ method: req.method, path: req.url, headers });
    } catch (err) {
      this.refuseUpgrade(client, op, req, startedAt, err);
      return;
    }
    upstream.on('error', (err) => this.refuseUpgrade(client, op, req, startedAt, err));
    upstream.on('response', (answer) => {
      // No upgrade (no such exec, a conflict…): the answer goes back as it is.
      const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      client.write(`${lines.join('\r\n')}\r\n\r\n`);
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.length < 64 && chunks.push(chunk));
      answer.pipe(client);
      answer.on('end', () => {
        const json = parseJson(Buffer.concat(chunks)) as { message?: unknown } | undefined;
        this.record(op, req, startedAt, { status: answer.statusCode ?? 0, ...(typeof json?.message === 'string' ? { error: json.message } : {}) });
      });
    });
    upstream.on('upgrade', (answer, engine: Socket, engineHead: Buffer) => {
      this.sockets.add(engine);
      const lines = [`HTTP/1.1 ${answer.statusCode ?? 101} ${answer.statusMessage ?? 'UPGRADED'}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      client.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (engineHead.length) client.write(engineHead);
      if (rest.length) engine.write(rest);
      engine.pipe(client);
      client.pipe(engine);
      client.resume();
      let ended = false;
      const finish = (): void => {
        if (ended) return;
        ended = true;
        client.destroy();
        engine.destroy();
        this.sockets.delete(engine);
        void this.finishUpgrade(op, req, startedAt, answer.statusCode ?? 101);
      };
      // One side closing ends both: the CLI has what it needs once the engine ends the stream.
      engine.once('close', finish);
      client.once('close', finish);
      engine.on('error', finish);
    });
    upstream.end(body);
  }

  private async finishUpgrade(op: EngineOperation, req: IncomingMessage, startedAt: number, status: number): Promise<void> {
    const pending = op.op === 'exec.start' && op.target ? this.execs.get(op.target) : undefined;
    if (!pending || !op.target) {
      this.record(op, req, startedAt, { status });
      return;
    }
    this.execs.delete(op.target);
    const result = await this.options.execResult(op.target).catch(() => ({}) as { exitCode?: number; containerId?: string });
    this.record(op, req, startedAt, { status, exec: { ...pending, ...result } });
  }

  private refuseUpgrade(client: Duplex, op: EngineOperation, req: IncomingMessage, startedAt: number, err: unknown): void {
    const message = `NetLab lab relay: the Docker engine at ${this.options.endpoint} cannot be reached (${err instanceof Error ? err.message : String(err)})`;
    const body = errorBody(message);
    if (client.writable) {
      client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    this.record(op, req, startedAt, { status: 0, error: message });
  }
}
