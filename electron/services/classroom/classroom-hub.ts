// The classroom hub: an HTTPS + WebSocket server on the address the instructor chose.
// Learners prove the join code (or their own token) bound to the TLS channel; then they may
// send only what protocol.ts allows. The hub can send only a lesson prompt, a short broadcast
// and a content offer: it has no message that could run anything on a learner's machine.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { channelBinding, channelProof, proofMatches, tokenKey } from './channel-proof';
import { applyProgress, checkpointSummary, newLearner, stuckSignals, DEFAULT_STUCK_POLICY, type CheckpointSummary, type ClassRecord, type LearnerRecord, type StuckPolicy, type StuckSignals } from './class-record';
import { classReportCsv } from './class-report-csv';
import { formatHostPort, type HubAddress } from './hub-address';
import { certificateFingerprint, generateHubIdentity } from './hub-certificate';
import { HubStore, type HubState } from './hub-store';
import { formatFullCode, formatShortCode, fingerprintForHumans, generateSecret } from './join-code';
import { encodeFrame, HubMessage, LearnerMessage, MAX_MESSAGE_BYTES, parseFrame, type ContentOffer, type LessonRef, type RefusalReason } from './protocol';
import { TokenBucket } from './rate-limit';

export const CLASSROOM_PATH = '/classroom';

export interface HubLimits {
  maxLearners: number;
  /** Per connection: burst and sustained rate of learner messages. */
  messageBurst: number;
  messagesPerSecond: number;
  /** Dropped (over-rate) messages tolerated before the connection is closed. */
  maxDropped: number;
  /** Failed joins from one remote address within the window before it is locked out. */
  joinFailures: number;
  joinFailureWindowMs: number;
  /** A connection that has not said hello by then is closed. */
  helloTimeoutMs: number;
  /** A learner whose unread data passes this is disconnected (it rejoins and resyncs). */
  maxBufferedBytes: number;
  /** Connections not yet past hello, at most; more are closed at once. */
  maxPending: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxLearners: 200,
  messageBurst: 20,
  messagesPerSecond: 5,
  maxDropped: 20,
  joinFailures: 5,
  joinFailureWindowMs: 10 * 60_000,
  helloTimeoutMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
  maxPending: 64,
};

export interface HubOptions extends HubAddress {
  /** Where the class record, code and certificate are kept (one JSON file, mode 0600). */
  dataDir: string;
  className?: string;
  now?: () => number;
  /** The hello timeout's timer, injectable so tests fire it instead of waiting. */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  limits?: Partial<HubLimits>;
  stuckPolicy?: StuckPolicy;
}

const realTimers = {
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms).unref(),
  clearTimeout: (h: unknown): void => clearTimeout(h as NodeJS.Timeout),
};

/** A learner as the dashboard sees it: the record without secrets, plus live state. */
export interface LearnerView extends Omit<LearnerRecord, 'tokenKey'> {
  connected: boolean;
  stuck: StuckSignals;
}

export interface HubEvents {
  'learner-joined': [LearnerView];
  'learner-updated': [LearnerView];
  'learner-left': [LearnerView];
  'learner-disconnected': [LearnerView];
  /** A connection was refused or closed for breaking the rules. */
  refused: [{ remote: string; reason: RefusalReason }];
  /** An over-rate message was dropped. */
  dropped: [{ learnerId: string | null }];
  'store-error': [Error];
  /** stop() was called: whatever announces the hub (discovery.ts) stops with it. */
  stopping: [];
}

interface Connection {
  ws: WebSocket;
  remote: string;
  binding: Buffer;
  bucket: TokenBucket;
  dropped: number;
  learnerId: string | null;
  helloTimer: unknown;
  /** Set once refused: frames still in flight are ignored. */
  closing: boolean;
}

export class ClassroomHub extends EventEmitter<HubEvents> {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly live = new Map<string, Connection>();
  private readonly failures = new Map<string, number[]>();
  private readonly learners = new Map<string, LearnerRecord>();
  private record: Omit<ClassRecord, 'learners'>;
  private bound: HubAddress;
  readonly fingerprint: Buffer;
  readonly warning: string | undefined;
  private readonly timers: NonNullable<HubOptions['timers']>;
  private stuckPolicy: StuckPolicy;

  private constructor(
    private readonly state: HubState,
    private readonly store: HubStore,
    private readonly opts: Required<Pick<HubOptions, 'now'>> & HubOptions,
    private readonly limits: HubLimits,
    warning: string | undefined,
  ) {
    super();
    this.warning = warning;
    this.timers = opts.timers ?? realTimers;
    this.stuckPolicy = opts.stuckPolicy ?? DEFAULT_STUCK_POLICY;
    this.fingerprint = certificateFingerprint(state.identity.certPem);
    const { learners, ...rest } = state.record;
    this.record = rest;
    for (const l of learners) this.learners.set(l.id, l);
    this.bound = { host: opts.host, port: opts.port };
    this.server = createServer({ cert: state.identity.certPem, key: state.identity.keyPem, minVersion: 'TLSv1.3' }, (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('NetLab classroom hub: join from the NetLab app.\n');
    });
    this.wss = new WebSocketServer({ server: this.server, path: CLASSROOM_PATH, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req.socket as TLSSocket));
  }

  /**
   * Starts (or restarts) the class kept in `dataDir` on the address given. The host is required:
   * there is no default, so listening on every interface (0.0.0.0) happens only when asked for.
   */
  static async start(opts: HubOptions): Promise<ClassroomHub> {
    if (!opts.host) throw new Error('Choose the address to host the class on (HOST:PORT on the classroom network).');
    const now = opts.now ?? Date.now;
    const store = new HubStore(opts.dataDir);
    const loaded = await store.load();
    const state: HubState = loaded.state ?? {
      secret: generateSecret(),
      identity: await generateHubIdentity(new Date(now())),
      record: { className: opts.className ?? 'NetLab class', createdAt: now(), currentLesson: null, learners: [] },
    };
    if (!loaded.state) await store.save(state);
    const hub = new ClassroomHub(state, store, { ...opts, now }, { ...DEFAULT_HUB_LIMITS, ...opts.limits }, loaded.warning);
    await hub.listen();
    return hub;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const where = formatHostPort(this.bound);
        reject(
          new Error(
            err.code === 'EADDRINUSE'
              ? `${where} is already in use. Choose another port.`
              : err.code === 'EADDRNOTAVAIL'
                ? `${this.bound.host} is not an address of this computer. Choose the address of a network interface (ip addr / ipconfig shows them).`
                : `Could not host the class on ${where}: ${err.message}`,
          ),
        );
      };
      this.server.once('error', onError);
      this.server.listen(this.bound.port, this.bound.host, () => {
        this.server.off('error', onError);
        this.bound = { host: this.bound.host, port: (this.server.address() as AddressInfo).port };
        resolve();
      });
    });
  }

  get address(): HubAddress {
    return { ...this.bound };
  }
  /** What learners type. */
  get shortCode(): string {
    return formatShortCode(this.state.secret);
  }
  /** What the QR code and the printed join command carry: the code and the certificate pin. */
  get fullCode(): string {
    return formatFullCode(this.state.secret, this.fingerprint);
  }
  /** For the projector, beside the short code: learners compare it with what their app shows. */
  get fingerprintText(): string {
    return fingerprintForHumans(this.fingerprint);
  }

  // ------------------------------------------------------------ instructor actions

  /** Learners get a prompt to open the lesson; nothing opens by itself. */
  setLesson(lesson: LessonRef): void {
    const frame = encodeFrame(HubMessage, { type: 'set-lesson', lesson });
    this.record = { ...this.record, currentLesson: lesson };
    this.persist();
    this.sendAll(frame);
  }

  broadcast(text: string): void {
    this.sendAll(encodeFrame(HubMessage, { type: 'broadcast', text }));
  }

  /** An offer only: the learner's app shows the usual consent dialog before fetching anything. */
  offerContent(offer: Omit<ContentOffer, 'type'>): void {
    this.sendAll(encodeFrame(HubMessage, { type: 'content-offer', ...offer }));
  }

  /** The instructor's thresholds: minutes without progress, failures of one checkpoint. */
  setStuckPolicy(policy: StuckPolicy): void {
    if (!(policy.noProgressMs > 0) || !(policy.repeatedFailures >= 1)) throw new Error('Stuck after: give a positive number of minutes and at least one failure.');
    this.stuckPolicy = { ...policy };
  }

  // ------------------------------------------------------------ dashboard views

  learnerViews(): LearnerView[] {
    return [...this.learners.values()].map((l) => this.view(l));
  }

  summary(lessonId: string): CheckpointSummary[] {
    return checkpointSummary(this.classRecord(), lessonId);
  }

  reportCsv(lessonId: string): string {
    return classReportCsv(this.classRecord(), lessonId, this.opts.now(), this.stuckPolicy);
  }

  /** The class record for views and reports: the learners' token keys are blanked. */
  classRecord(): ClassRecord {
    const record = this.fullRecord();
    for (const l of record.learners) l.tokenKey = '';
    return record;
  }

  private fullRecord(): ClassRecord {
    return structuredClone({ ...this.record, learners: [...this.learners.values()] });
  }

  /** Resolves when the record as it is now is on disk. */
  async flush(): Promise<void> {
    await this.store.flush();
  }

  async stop(): Promise<void> {
    this.emit('stopping');
    for (const c of this.connections) {
      this.timers.clearTimeout(c.helloTimer);
      c.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.store.flush().catch(() => undefined);
  }

  // ------------------------------------------------------------ connections

  private onConnection(ws: WebSocket, socket: TLSSocket): void {
    let pending = 0;
    for (const c of this.connections) if (c.learnerId === null && !c.closing) pending++;
    if (pending >= this.limits.maxPending) {
      // Someone is opening connections without joining: keep serving the class instead.
      this.emit('refused', { remote: socket.remoteAddress ?? 'unknown', reason: 'rate-limited' });
      ws.close(1013, 'busy');
      return;
    }
    const conn: Connection = {
      ws,
      remote: socket.remoteAddress ?? 'unknown',
      binding: channelBinding(socket),
      bucket: new TokenBucket(this.limits.messageBurst, this.limits.messagesPerSecond, this.opts.now),
      dropped: 0,
      learnerId: null,
      closing: false,
      helloTimer: this.timers.setTimeout(() => this.refuse(conn, 'protocol'), this.limits.helloTimeoutMs),
    };
    this.connections.add(conn);
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on('close', () => this.onClose(conn));
    // ws closes the connection itself after an error (and says why with the close code): 'close' follows.
    ws.on('error', () => undefined);
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closing) return;
    if (!conn.bucket.take()) {
      conn.dropped++;
      this.emit('dropped', { learnerId: conn.learnerId });
      if (conn.dropped > this.limits.maxDropped) this.refuse(conn, 'rate-limited');
      return;
    }
    const msg = isBinary ? null : parseFrame(LearnerMessage, data);
    if (!msg) return this.refuse(conn, 'protocol');
    if (conn.learnerId === null) {
      if (msg.type !== 'hello') return this.refuse(conn, 'protocol');
      return this.onHello(conn, msg);
    }
    const learner = this.learners.get(conn.learnerId);
    if (!learner || learner.left) return this.refuse(conn, 'left');
    const now = this.opts.now();
    switch (msg.type) {
      case 'hello':
        return this.refuse(conn, 'protocol');
      case 'progress':
        return this.update(applyProgress(learner, msg, now), 'learner-updated');
      case 'hand':
        return this.update({ ...learner, handRaised: msg.raised, lastSeenAt: now }, 'learner-updated');
      case 'leave': {
        // Leaving revokes the token: a copy of it (or a replay) can never rejoin as this learner.
        this.update({ ...learner, left: true, tokenKey: '', handRaised: false, lastSeenAt: now }, 'learner-left');
        this.live.delete(learner.id);
        conn.learnerId = null;
        conn.closing = true;
        conn.ws.close(1000, 'left');
        return;
      }
    }
  }

  private onHello(conn: Connection, msg: Extract<LearnerMessage, { type: 'hello' }>): void {
    const now = this.opts.now();
    const recent = (this.failures.get(conn.remote) ?? []).filter((t) => now - t < this.limits.joinFailureWindowMs);
    // Only addresses with recent failures are kept, so the map cannot grow without bound.
    if (recent.length) this.failures.set(conn.remote, recent);
    else this.failures.delete(conn.remote);
    if (recent.length >= this.limits.joinFailures) return this.refuse(conn, 'too-many-attempts');
    this.timers.clearTimeout(conn.helloTimer);

    if (msg.auth.kind === 'code') {
      if (!proofMatches(channelProof(this.state.secret, 'learner-code', conn.binding), msg.auth.proof)) {
        this.failures.set(conn.remote, [...recent, now]);
        return this.refuse(conn, 'bad-code');
      }
      if ([...this.learners.values()].filter((l) => !l.left).length >= this.limits.maxLearners) return this.refuse(conn, 'class-full');
      const token = randomBytes(32).toString('base64url');
      const learner = newLearner(`l-${randomBytes(6).toString('hex')}`, msg.name, tokenKey(token), now);
      this.attach(conn, learner.id);
      this.send(conn, { type: 'welcome', learnerId: learner.id, token, hubProof: channelProof(this.state.secret, 'hub-code', conn.binding), className: this.record.className, currentLesson: this.record.currentLesson });
      this.update(learner, 'learner-joined');
      return;
    }

    const learner = this.learners.get(msg.auth.learnerId);
    if (!learner || learner.left || !learner.tokenKey || !proofMatches(channelProof(learner.tokenKey, 'learner-token', conn.binding), msg.auth.proof)) {
      this.failures.set(conn.remote, [...recent, now]);
      return this.refuse(conn, 'bad-token');
    }
    // A learner's app that restarted replaces its old connection.
    const old = this.live.get(learner.id);
    if (old && old !== conn) {
      old.learnerId = null;
      old.closing = true;
      old.ws.close(1000, 'replaced');
    }
    this.attach(conn, learner.id);
    this.send(conn, { type: 'welcome', learnerId: learner.id, hubProof: channelProof(learner.tokenKey, 'hub-token', conn.binding), className: this.record.className, currentLesson: this.record.currentLesson });
    this.update({ ...learner, name: msg.name, lastSeenAt: now }, 'learner-joined');
  }

  private attach(conn: Connection, learnerId: string): void {
    conn.learnerId = learnerId;
    this.live.set(learnerId, conn);
  }

  private onClose(conn: Connection): void {
    this.timers.clearTimeout(conn.helloTimer);
    this.connections.delete(conn);
    if (conn.learnerId && this.live.get(conn.learnerId) === conn) {
      this.live.delete(conn.learnerId);
      const learner = this.learners.get(conn.learnerId);
      if (learner) this.emit('learner-disconnected', this.view(learner));
    }
  }

  private refuse(conn: Connection, reason: RefusalReason): void {
    if (conn.closing) return;
    conn.closing = true;
    this.timers.clearTimeout(conn.helloTimer);
    if (conn.learnerId && this.live.get(conn.learnerId) === conn) this.live.delete(conn.learnerId);
    conn.learnerId = null;
    this.emit('refused', { remote: conn.remote, reason });
    if (conn.ws.readyState === conn.ws.OPEN) {
      conn.ws.send(encodeFrame(HubMessage, { type: 'refused', reason }));
      conn.ws.close(1008, reason);
    }
  }

  private update(learner: LearnerRecord, event: 'learner-joined' | 'learner-updated' | 'learner-left'): void {
    this.learners.set(learner.id, learner);
    this.persist();
    this.emit(event, this.view(learner));
  }

  private send(conn: Connection, message: HubMessage): void {
    conn.ws.send(encodeFrame(HubMessage, message));
  }

  private sendAll(frame: string): void {
    for (const conn of this.live.values()) {
      if (conn.ws.readyState !== conn.ws.OPEN) continue;
      // A learner that reads nothing must not make the hub hold an ever-growing queue.
      if (conn.ws.bufferedAmount > this.limits.maxBufferedBytes) conn.ws.terminate();
      else conn.ws.send(frame);
    }
  }

  private view(l: LearnerRecord): LearnerView {
    const { tokenKey: _secret, ...rest } = l;
    return { ...structuredClone(rest), connected: this.live.has(l.id), stuck: stuckSignals(l, this.opts.now(), this.stuckPolicy) };
  }

  private persist(): void {
    // Built when the write starts: messages arriving meanwhile cost no copy of the class.
    this.store.save(() => ({ ...this.state, record: this.fullRecord() })).catch((err: Error) => this.emit('store-error', err));
  }
}
