// The classroom hub: an HTTPS + WebSocket server on the address the instructor chose.
// Learners prove the join code (or their own token) bound to the TLS channel; then they may
// send only what protocol.ts allows. The hub can send only a lesson prompt, a short broadcast
// and a content offer: it has no message that could run anything on a learner's machine.
// A learner may share one terminal read-only: its output arrives under a byte budget of its own
// (so it cannot starve progress messages) and goes to the instructor's viewer only.
// Offered content (a packed lesson folder, an image pack) is served only to a learner who asks
// for it with a proof of their own token bound to the TLS connection (content-fetch.ts).
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { channelBinding, channelProof, proofMatches, tokenKey } from './channel-proof';
import { applyProgress, checkpointSummary, newLearner, stuckSignals, DEFAULT_STUCK_POLICY, type CheckpointSummary, type ClassRecord, type LearnerRecord, type StuckPolicy, type StuckSignals } from './class-record';
import { classReportCsv } from './class-report-csv';
import { CONTENT_PATH, LEARNER_HEADER, PROOF_HEADER } from './content-fetch';
import { packLessonFolder, sha256File } from './content-pack';
import { formatHostPort, type HubAddress } from './hub-address';
import { certificateFingerprint, generateHubIdentity } from './hub-certificate';
import { HubStore, type HubState } from './hub-store';
import { formatFullCode, formatShortCode, fingerprintForHumans, generateSecret } from './join-code';
import { encodeFrame, HubMessage, LearnerMessage, MAX_MESSAGE_BYTES, parseFrame, type ContentOffer, type LessonRef, type RefusalReason } from './protocol';
import { TokenBucket } from './rate-limit';
import { ShareBacklog } from './share-outbox';

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
  /** A terminal share's own budget, in bytes of frames (separate from the message bucket). */
  shareBurstBytes: number;
  shareBytesPerSecond: number;
  /** Share frames dropped over that budget before the connection is closed. */
  maxShareDropped: number;
  /** The recent output a late viewer gets, in characters. */
  shareBacklogChars: number;
  /** Offers kept at once (the oldest goes), and downloads served at once (per learner, in all). */
  maxOffers: number;
  downloadsPerLearner: number;
  downloads: number;
}

/** Each share frame costs at least this much of the byte budget, so tiny frames cannot flood. */
export const SHARE_FRAME_MIN_COST = 256;

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
  shareBurstBytes: 256 * 1024,
  shareBytesPerSecond: 64 * 1024,
  maxShareDropped: 20,
  shareBacklogChars: 64 * 1024,
  maxOffers: 8,
  downloadsPerLearner: 2,
  downloads: 32,
};

/** A learner's terminal share as the dashboard sees it. */
export interface ShareInfo {
  label: string;
  cols: number;
  rows: number;
}

/** What a viewer receives: output in order (with what was skipped before it), a resize, or the end. */
export type ShareEvent =
  | { learnerId: string; kind: 'output'; data: string; skipped: number }
  | { learnerId: string; kind: 'start' | 'resize'; cols: number; rows: number; label: string }
  | { learnerId: string; kind: 'stop' };

interface HubShare extends ShareInfo {
  nextSeq: number;
  backlog: ShareBacklog;
  /** Bytes skipped (by the learner's outbox or over the hub's budget) since the backlog began. */
  skipped: number;
}

/** An offer as the dashboard lists it. */
export type OfferView = Omit<ContentOffer, 'type'>;

interface HubOffer {
  offer: OfferView;
  file: string;
  /** The hub packed it (a lesson folder's tar under its data dir): removed when the offer goes. */
  owned: boolean;
}

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
  /** The terminal this learner shares now (read-only), if any. */
  sharing: ShareInfo | null;
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
  /** A learner's terminal share started, printed, resized or stopped. */
  share: [ShareEvent];
}

interface Connection {
  ws: WebSocket;
  remote: string;
  binding: Buffer;
  bucket: TokenBucket;
  dropped: number;
  /** The terminal share's byte budget, apart from the message bucket. */
  shareBucket: TokenBucket;
  shareDropped: number;
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
  /** Live shares by learner id: they end with the learner's connection. */
  private readonly shares = new Map<string, HubShare>();
  private record: Omit<ClassRecord, 'learners'>;
  private bound: HubAddress;
  readonly fingerprint: Buffer;
  readonly warning: string | undefined;
  private readonly timers: NonNullable<HubOptions['timers']>;
  private stuckPolicy: StuckPolicy;
  private readonly offered = new Map<string, HubOffer>();
  /** Downloads in flight, by learner id. */
  private readonly serving = new Map<string, number>();

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
    this.server = createServer({ cert: state.identity.certPem, key: state.identity.keyPem, minVersion: 'TLSv1.3' }, (req, res) => this.onRequest(req, res));
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

  /**
   * Packs a lesson folder (content-pack.ts refuses links, devices and anything over its limits),
   * hashes it, and offers it to the class. Only an offer goes out: a learner downloads it when
   * they accept, and their app's consent for an instructor's lesson applies before it runs anything.
   */
  async offerLessonFolder(dir: string): Promise<OfferView> {
    const offerId = newOfferId();
    const folder = join(this.opts.dataDir, 'offers');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const file = join(folder, `${offerId}.tar`);
    const packed = await packLessonFolder(dir, file);
    return this.offer({ offerId, kind: 'lesson-folder', title: offerTitle(dir), sizeBytes: packed.sizeBytes, sha256: packed.sha256 }, file, true);
  }

  /** Offers an image pack as it is on disk, hashed as a stream; the learner's import verifies it again. */
  async offerImagePack(file: string): Promise<OfferView> {
    const handle = await open(file, 'r').catch((err: Error) => {
      throw new Error(`Cannot read ${file}: ${err.message}`);
    });
    let sizeBytes: number;
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new Error(`${file} is not a file.`);
      sizeBytes = st.size;
    } finally {
      await handle.close();
    }
    const sha256 = await sha256File(file);
    return this.offer({ offerId: newOfferId(), kind: 'image-pack', title: offerTitle(file), sizeBytes, sha256 }, file, false);
  }

  /** The offers learners can still accept, oldest first. */
  offers(): OfferView[] {
    return [...this.offered.values()].map((o) => ({ ...o.offer }));
  }

  private offer(offer: OfferView, file: string, owned: boolean): OfferView {
    const frame = encodeFrame(HubMessage, { type: 'content-offer', ...offer });
    this.offered.set(offer.offerId, { offer, file, owned });
    this.sendAll(frame);
    for (const id of this.offered.keys()) {
      if (this.offered.size <= this.limits.maxOffers) break;
      void this.withdrawOffer(id);
    }
    return { ...offer };
  }

  /**
   * Withdraws an offer: learners are told, and no new download of it starts (one under way
   * finishes: its file is already open). False when there is no such offer.
   */
  async withdrawOffer(offerId: string): Promise<boolean> {
    const old = this.offered.get(offerId);
    if (!old) return false;
    this.offered.delete(offerId);
    this.sendAll(encodeFrame(HubMessage, { type: 'content-withdrawn', offerId }));
    // Windows refuses to remove a file a download still reads; stop() sweeps the folder again.
    if (old.owned) await rm(old.file, { force: true }).catch(() => undefined);
    return true;
  }

  /** The instructor's thresholds: minutes without progress, failures of one checkpoint. */
  setStuckPolicy(policy: StuckPolicy): void {
    if (!(policy.noProgressMs > 0) || !(policy.repeatedFailures >= 1)) throw new Error('Stuck after: give a positive number of minutes and at least one failure.');
    this.stuckPolicy = { ...policy };
  }

  // ------------------------------------------------------------ dashboard views

  /** A share's recent output, for a viewer that opens it now; null when the learner shares nothing. */
  shareBacklog(learnerId: string): (ShareInfo & { data: string; skipped: number }) | null {
    const share = this.shares.get(learnerId);
    return share ? { label: share.label, cols: share.cols, rows: share.rows, data: share.backlog.text(), skipped: share.skipped } : null;
  }

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
    // Offers live as long as this run of the hub: the packed tars go with it (the folder holds
    // only those, withdrawn ones a download still held included).
    await rm(join(this.opts.dataDir, 'offers'), { recursive: true, force: true }).catch(() => undefined);
    this.offered.clear();
    for (const c of this.connections) {
      this.timers.clearTimeout(c.helloTimer);
      c.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    // Downloads in flight end with the hub (the learner's app refuses what arrived short).
    this.server.closeAllConnections();
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
      shareBucket: new TokenBucket(this.limits.shareBurstBytes, this.limits.shareBytesPerSecond, this.opts.now),
      shareDropped: 0,
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
    // Terminal output (and resizes) of a joined learner spend the share's byte budget, not the message bucket.
    if (conn.learnerId !== null && !isBinary && isShareFrame(data)) return this.onShareFrame(conn, data);
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
      case 'share-output':
      case 'share-resize':
        return this.refuse(conn, 'protocol');
      case 'share-start': {
        const share: HubShare = { label: msg.label, cols: msg.cols, rows: msg.rows, nextSeq: 0, backlog: new ShareBacklog(this.limits.shareBacklogChars), skipped: 0 };
        this.shares.set(learner.id, share);
        this.emit('share', { learnerId: learner.id, kind: 'start', label: share.label, cols: share.cols, rows: share.rows });
        return void this.emit('learner-updated', this.view(learner));
      }
      case 'share-stop':
        return this.endShare(learner.id);
      case 'progress':
        return this.update(applyProgress(learner, msg, now), 'learner-updated');
      case 'hand':
        return this.update({ ...learner, handRaised: msg.raised, lastSeenAt: now }, 'learner-updated');
      case 'leave': {
        // Leaving revokes the token: a copy of it (or a replay) can never rejoin as this learner.
        this.endShare(learner.id, false);
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
      this.sendOffers(conn);
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
    this.sendOffers(conn);
  }

  /** A learner who joins (or rejoins) later still hears of the class's current offers. */
  private sendOffers(conn: Connection): void {
    for (const o of this.offered.values()) this.send(conn, { type: 'content-offer', ...o.offer });
  }

  // ------------------------------------------------------------ offered content

  /**
   * GET /classroom/content/<offerId>, for a member only: the learner's id and a proof of their own
   * token bound to this very TLS connection. A wrong proof counts as a failed join from that address.
   */
  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket as TLSSocket;
    const remote = socket.remoteAddress ?? 'unknown';
    const deny = (status: number, message: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`${message}\n`);
    };
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith(CONTENT_PATH)) return deny(404, 'NetLab classroom hub: join from the NetLab app.');
    const now = this.opts.now();
    const recent = (this.failures.get(remote) ?? []).filter((t) => now - t < this.limits.joinFailureWindowMs);
    if (recent.length >= this.limits.joinFailures) return deny(429, 'too many attempts');
    const learnerId = req.headers[LEARNER_HEADER];
    const proof = req.headers[PROOF_HEADER];
    const learner = typeof learnerId === 'string' ? this.learners.get(learnerId) : undefined;
    let binding: Buffer;
    try {
      binding = channelBinding(socket);
    } catch {
      return deny(403, 'refused');
    }
    if (!learner || learner.left || !learner.tokenKey || typeof proof !== 'string' || !proofMatches(channelProof(learner.tokenKey, 'learner-content', binding), proof)) {
      this.failures.set(remote, [...recent, now]);
      this.emit('refused', { remote, reason: 'bad-token' });
      return deny(403, 'refused');
    }
    // Offer ids are o- and 16 hex digits (protocol.ts): nothing else is looked up or decoded.
    const wanted = /^o-[0-9a-f]{16}$/.exec(url.slice(CONTENT_PATH.length))?.[0];
    const offer = wanted === undefined ? undefined : this.offered.get(wanted);
    if (!offer) return deny(404, 'no such offer');
    const mine = this.serving.get(learner.id) ?? 0;
    let total = 0;
    for (const n of this.serving.values()) total += n;
    if (mine >= this.limits.downloadsPerLearner || total >= this.limits.downloads) return deny(503, 'busy: try again in a moment');
    this.serving.set(learner.id, mine + 1);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(offer.offer.sizeBytes), connection: 'close' });
    // Streamed from disk, never held whole; the learner checks the size and the hash.
    void pipeline(createReadStream(offer.file), res)
      .catch(() => res.destroy())
      .finally(() => {
        const n = (this.serving.get(learner.id) ?? 1) - 1;
        if (n > 0) this.serving.set(learner.id, n);
        else this.serving.delete(learner.id);
      });
  }

  private attach(conn: Connection, learnerId: string): void {
    // A new connection starts without a share: the learner's app starts it again if it still shares.
    this.endShare(learnerId, false);
    conn.learnerId = learnerId;
    this.live.set(learnerId, conn);
  }

  private onClose(conn: Connection): void {
    this.timers.clearTimeout(conn.helloTimer);
    this.connections.delete(conn);
    if (conn.learnerId && this.live.get(conn.learnerId) === conn) {
      this.live.delete(conn.learnerId);
      this.endShare(conn.learnerId, false);
      const learner = this.learners.get(conn.learnerId);
      if (learner) this.emit('learner-disconnected', this.view(learner));
    }
  }

  private refuse(conn: Connection, reason: RefusalReason): void {
    if (conn.closing) return;
    conn.closing = true;
    this.timers.clearTimeout(conn.helloTimer);
    if (conn.learnerId && this.live.get(conn.learnerId) === conn) {
      this.live.delete(conn.learnerId);
      this.endShare(conn.learnerId);
    }
    conn.learnerId = null;
    this.emit('refused', { remote: conn.remote, reason });
    if (conn.ws.readyState === conn.ws.OPEN) {
      conn.ws.send(encodeFrame(HubMessage, { type: 'refused', reason }));
      conn.ws.close(1008, reason);
    }
  }

  /** share-output and share-resize: checked, budgeted, then kept for late viewers and passed on. */
  private onShareFrame(conn: Connection, data: RawData): void {
    const msg = parseFrame(LearnerMessage, data);
    if (!msg || (msg.type !== 'share-output' && msg.type !== 'share-resize')) return this.refuse(conn, 'protocol');
    const learnerId = conn.learnerId!;
    const share = this.shares.get(learnerId);
    // Output or a resize without a share started, or out of order: not a client we wrote.
    if (!share || (msg.type === 'share-output' && msg.seq !== share.nextSeq)) return this.refuse(conn, 'protocol');
    if (msg.type === 'share-output') share.nextSeq++;
    const cost = Math.max(SHARE_FRAME_MIN_COST, rawLength(data));
    if (!conn.shareBucket.take(cost)) {
      conn.shareDropped++;
      this.emit('dropped', { learnerId });
      if (conn.shareDropped > this.limits.maxShareDropped) return this.refuse(conn, 'rate-limited');
      // The viewer sees that output is missing, as with the learner's own outbox.
      if (msg.type === 'share-output') share.skipped += Buffer.byteLength(msg.data) + (msg.skipped ?? 0);
      return;
    }
    if (msg.type === 'share-resize') {
      share.cols = msg.cols;
      share.rows = msg.rows;
      return void this.emit('share', { learnerId, kind: 'resize', label: share.label, cols: msg.cols, rows: msg.rows });
    }
    const skipped = (msg.skipped ?? 0) + share.skipped;
    share.skipped = 0;
    share.backlog.push(msg.data);
    this.emit('share', { learnerId, kind: 'output', data: msg.data, skipped });
  }

  /** The share ends: its backlog is dropped and the viewer told. */
  private endShare(learnerId: string, announce = true): void {
    if (!this.shares.delete(learnerId)) return;
    this.emit('share', { learnerId, kind: 'stop' });
    const learner = this.learners.get(learnerId);
    if (announce && learner) this.emit('learner-updated', this.view(learner));
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
    const share = this.shares.get(l.id);
    return {
      ...structuredClone(rest),
      connected: this.live.has(l.id),
      stuck: stuckSignals(l, this.opts.now(), this.stuckPolicy),
      sharing: share ? { label: share.label, cols: share.cols, rows: share.rows } : null,
    };
  }

  private persist(): void {
    // Built when the write starts: messages arriving meanwhile cost no copy of the class.
    this.store.save(() => ({ ...this.state, record: this.fullRecord() })).catch((err: Error) => this.emit('store-error', err));
  }
}

/** Frame types checked without parsing: a share frame starts with its type (the client writes it first, JSON.stringify keeps key order). */
const SHARE_PREFIXES = ['{"type":"share-output"', '{"type":"share-resize"'].map((p) => Buffer.from(p));

function isShareFrame(data: RawData): boolean {
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return SHARE_PREFIXES.some((p) => buf.length >= p.length && buf.subarray(0, p.length).equals(p));
}

function rawLength(data: RawData): number {
  return Buffer.isBuffer(data) ? data.length : Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
}

function newOfferId(): string {
  return `o-${randomBytes(8).toString('hex')}`;
}

/** The offer's title: the folder's or file's name, without control characters, at most 120 of them. */
function offerTitle(path: string): string {
  // eslint-disable-next-line no-control-regex
  const name = basename(path).replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 120);
  return name || 'content';
}
