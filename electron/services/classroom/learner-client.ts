// The learner's side of a class. It connects only to the hub whose certificate matches the pin
// (checked right after the TLS handshake, before a single byte of the WebSocket is written), proves
// the code or its token bound to that TLS channel, checks the hub's own proof, and then sends only
// the progress messages of protocol.ts. After leave() it has no socket and sends nothing.
// A terminal share (startShare) adds that terminal's output, from a bounded outbox under a
// byte budget of its own; nothing the hub sends can reach a terminal.
import { EventEmitter } from 'node:events';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { channelBinding, channelProof, proofMatches, tokenKey } from './channel-proof';
import { CLASSROOM_PATH } from './classroom-hub';
import { formatHostPort, type HubAddress } from './hub-address';
import { certificateFingerprint } from './hub-certificate';
import { encodeFrame, Hello, HubMessage, LEARNER_NAME_MAX, LearnerMessage, MAX_MESSAGE_BYTES, parseFrame, Progress, PROTOCOL_VERSION, ShareStart, type ContentOffer, type LessonRef, type ProgressSnapshot, type RefusalReason } from './protocol';
import { backoffDelayMs, TokenBucket } from './rate-limit';
import { ShareOutbox } from './share-outbox';

/** Share frames cost at least this much of the client's budget too (the hub's SHARE_FRAME_MIN_COST). */
const SHARE_FRAME_MIN_COST = 256;
/** Above this much unsent on the socket, share output waits in the outbox (where the oldest is dropped). */
const SHARE_MAX_BUFFERED = 64 * 1024;
/** How soon a share held back by a full socket tries again. */
const SHARE_RETRY_MS = 50;

export interface LearnerCredentials {
  learnerId: string;
  token: string;
}

/** Timers, injectable so tests drive reconnection and deferred sends without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface LearnerClientOptions extends HubAddress {
  /** The hub certificate's SHA-256: from the full join code, or the fingerprint the learner compared. */
  fingerprint: Buffer;
  name: string;
  /** The short code's secret (parseJoinCode), for a first join. */
  secret?: string;
  /** A learner's own token from an earlier join: rejoins as the same learner. */
  credentials?: LearnerCredentials;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  /** Outgoing rate: burst and sustained messages per second (the hub allows more). */
  sendBurst?: number;
  sendPerSecond?: number;
  /** A terminal share's byte budget: burst and sustained (below the hub's DEFAULT_HUB_LIMITS share budget). */
  shareBurstBytes?: number;
  shareBytesPerSecond?: number;
  /** What the share's outbox holds at most, in characters. */
  shareOutboxChars?: number;
}

export interface ShareSettings {
  label: string;
  cols: number;
  rows: number;
}

export type ClientState = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'refused' | 'closed' | 'left';
/** Why the client stopped for good: the hub's refusal, or 'wrong-hub' when the pin or the hub's proof did not match. */
export type StopReason = RefusalReason | 'wrong-hub';

export interface ClientEvents {
  state: [ClientState];
  joined: [{ learnerId: string; className: string; currentLesson: LessonRef | null }];
  /** New credentials to keep (for rejoining after a restart); null once the learner left. */
  credentials: [LearnerCredentials | null];
  refused: [StopReason];
  reconnecting: [{ attempt: number; delayMs: number }];
  'lesson-prompt': [LessonRef];
  broadcast: [string];
  /** Must go through the consent dialog; nothing is fetched or run here. */
  'content-offer': [Omit<ContentOffer, 'type'>];
  'content-withdrawn': [offerId: string];
}

export class LearnerClient extends EventEmitter<ClientEvents> {
  private stateValue: ClientState = 'idle';
  private socket: TLSSocket | null = null;
  private ws: WebSocket | null = null;
  private binding: Buffer | null = null;
  private credentials: LearnerCredentials | null;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private flushTimer: unknown = null;
  private latest: Progress | null = null;
  private hand = false;
  private sent: { progress: string | null; hand: boolean | null } = { progress: null, hand: null };
  private readonly outBucket: TokenBucket;
  private readonly inBucket: TokenBucket;
  private readonly timers: Timers;
  private readonly now: () => number;
  /** Frames written to the hub so far (what tests and a "shared so far" view can count). */
  framesSent = 0;
  private share: ShareSettings | null = null;
  /** share-start went out on this connection; reset by every new connection. */
  private shareStarted = false;
  private shareResized = false;
  private shareSeq = 0;
  private shareTimer: unknown = null;
  private readonly outbox: ShareOutbox;
  private readonly shareBucket: TokenBucket;

  constructor(private readonly opts: LearnerClientOptions) {
    super();
    if (!opts.secret && !opts.credentials) throw new Error('Joining a class needs the join code (or the saved token of an earlier join).');
    if (opts.fingerprint.length !== 32) throw new Error('The hub fingerprint must be a SHA-256 (32 bytes).');
    if (!Hello.shape.name.safeParse(opts.name).success) throw new Error(`Choose a name or nickname of 1 to ${LEARNER_NAME_MAX} characters, without control characters.`);
    this.credentials = opts.credentials ?? null;
    this.timers = opts.timers ?? realTimers;
    this.now = opts.now ?? Date.now;
    this.outBucket = new TokenBucket(opts.sendBurst ?? 10, opts.sendPerSecond ?? 2, this.now);
    this.inBucket = new TokenBucket(20, 5, this.now);
    this.outbox = new ShareOutbox(opts.shareOutboxChars);
    this.shareBucket = new TokenBucket(opts.shareBurstBytes ?? 128 * 1024, opts.shareBytesPerSecond ?? 32 * 1024, this.now);
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** The learner's own id and token while in the class (downloads of accepted offers prove them); null after leaving. */
  get learnerCredentials(): LearnerCredentials | null {
    return this.credentials && this.stateValue !== 'left' ? { ...this.credentials } : null;
  }

  /** Joining is an explicit act of the learner: nothing connects before this. */
  start(): void {
    if (this.stateValue !== 'idle') throw new Error(`already ${this.stateValue}`);
    this.connect();
  }

  /**
   * Records the learner's latest progress and sends it when joined (and again after a rejoin).
   * Throws if the snapshot holds anything the protocol does not allow, such as terminal output.
   * Returns false once the learner has left: nothing is kept or sent.
   */
  updateProgress(snapshot: ProgressSnapshot): boolean {
    if (this.stateValue === 'left') return false;
    this.latest = Progress.parse({ type: 'progress', ...snapshot });
    this.flush();
    return true;
  }

  setHand(raised: boolean): boolean {
    if (this.stateValue === 'left') return false;
    this.hand = raised;
    this.flush();
    return true;
  }

  /** Whether a terminal is shared now. */
  get sharing(): boolean {
    return this.share !== null;
  }

  /**
   * Starts sharing one terminal's output read-only (a new share replaces the old one): output
   * given to shareOutput() from now on goes to the hub, and again after a rejoin. False once left.
   */
  startShare(settings: ShareSettings): boolean {
    if (this.stateValue === 'left') return false;
    const { type: _t, ...checked } = ShareStart.parse({ type: 'share-start', ...settings });
    this.share = checked;
    this.outbox.clear();
    this.shareStarted = false;
    this.shareResized = false;
    this.flushShare();
    return true;
  }

  /** Output of the shared terminal; ignored when nothing is shared. */
  shareOutput(text: string): void {
    if (!this.share || this.stateValue === 'left') return;
    this.outbox.push(text);
    this.flushShare();
  }

  resizeShare(cols: number, rows: number): void {
    if (!this.share || (this.share.cols === cols && this.share.rows === rows)) return;
    const { type: _t, ...checked } = ShareStart.parse({ type: 'share-start', label: this.share.label, cols, rows });
    this.share = checked;
    this.shareResized = true;
    this.flushShare();
  }

  /** Stops the share at once: what waits in the outbox is dropped and nothing more of it is sent. */
  stopShare(): void {
    if (!this.share) return;
    this.share = null;
    this.outbox.clear();
    this.clearShareTimer();
    const ws = this.ws;
    if (this.shareStarted && this.stateValue === 'joined' && ws && ws.readyState === ws.OPEN) this.write(ws, { type: 'share-stop' });
    this.shareStarted = false;
  }

  /** Leaves the class: tells the hub (which revokes the token), closes, and forgets the class. */
  async leave(): Promise<void> {
    if (this.stateValue === 'left') return;
    const ws = this.ws;
    const wasJoined = this.stateValue === 'joined';
    this.setState('left');
    this.clearTimers();
    this.dropShare();
    this.latest = null;
    this.credentials = null;
    this.emit('credentials', null);
    if (ws && wasJoined && ws.readyState === ws.OPEN) {
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.send(encodeFrame(LearnerMessage, { type: 'leave' }));
      this.framesSent++;
      ws.close(1000, 'left');
      await closed;
    }
    this.teardown();
  }

  /**
   * Disconnects without leaving (the app is quitting): the hub keeps the learner, and the saved
   * credentials rejoin later. Nothing is sent, and the client does not reconnect by itself.
   */
  close(): void {
    if (this.stateValue === 'left') return;
    this.setState('closed');
    this.clearTimers();
    this.dropShare();
    this.teardown();
  }

  // ------------------------------------------------------------ connection

  private connect(): void {
    this.setState('connecting');
    const { host, port } = this.opts;
    const socket = tlsConnect({ host, port, rejectUnauthorized: false, minVersion: 'TLSv1.3', ALPNProtocols: ['http/1.1'] });
    this.socket = socket;
    socket.on('error', () => this.onDisconnected(socket));
    socket.once('close', () => this.onDisconnected(socket));
    socket.once('secureConnect', () => {
      if (this.socket !== socket || this.stateValue !== 'connecting') return void socket.destroy();
      // The certificate is self-signed, so no CA vouches for it: the pin is the whole check.
      const fp = certificateFingerprint(socket.getPeerCertificate().raw);
      if (fp.length !== this.opts.fingerprint.length || !timingSafeEqual(fp, this.opts.fingerprint)) return this.stop('wrong-hub');
      this.binding = channelBinding(socket);
      const ws = new WebSocket(`wss://${formatHostPort({ host, port })}${CLASSROOM_PATH}`, {
        createConnection: () => socket,
        maxPayload: MAX_MESSAGE_BYTES,
        perMessageDeflate: false,
        followRedirects: false,
      });
      this.ws = ws;
      ws.on('open', () => this.sendHello(ws));
      ws.on('message', (data, isBinary) => this.onMessage(ws, data, isBinary));
      // ws closes the connection itself after an error (with its close code): 'close' follows.
      ws.on('error', () => undefined);
      ws.on('close', () => this.onDisconnected(socket));
    });
  }

  private sendHello(ws: WebSocket): void {
    const binding = this.binding!;
    const auth = this.credentials
      ? { kind: 'token' as const, learnerId: this.credentials.learnerId, proof: channelProof(tokenKey(this.credentials.token), 'learner-token', binding) }
      : { kind: 'code' as const, proof: channelProof(this.opts.secret!, 'learner-code', binding) };
    this.write(ws, { type: 'hello', protocol: PROTOCOL_VERSION, name: this.opts.name, auth });
  }

  private onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    if (ws !== this.ws || this.stateValue === 'left') return;
    if (!this.inBucket.take()) return void ws.close(1008, 'rate-limited');
    const msg = isBinary ? null : parseFrame(HubMessage, data);
    // Anything but the few messages a hub may send closes the connection.
    if (!msg) return void ws.close(1008, 'protocol');
    if (msg.type === 'refused') return this.stop(msg.reason);
    if (this.stateValue === 'connecting') {
      if (msg.type !== 'welcome') return void ws.close(1008, 'protocol');
      return this.onWelcome(msg);
    }
    switch (msg.type) {
      case 'welcome':
        return void ws.close(1008, 'protocol');
      case 'set-lesson':
        return void this.emit('lesson-prompt', msg.lesson);
      case 'broadcast':
        return void this.emit('broadcast', msg.text);
      case 'content-offer': {
        const { type: _t, ...offer } = msg;
        return void this.emit('content-offer', offer);
      }
      case 'content-withdrawn':
        return void this.emit('content-withdrawn', msg.offerId);
    }
  }

  private onWelcome(msg: Extract<HubMessage, { type: 'welcome' }>): void {
    const binding = this.binding!;
    // The hub proves it knows the code (or our token) on this very channel.
    const expected = this.credentials
      ? channelProof(tokenKey(this.credentials.token), 'hub-token', binding)
      : channelProof(this.opts.secret!, 'hub-code', binding);
    if (!proofMatches(expected, msg.hubProof)) return this.stop('wrong-hub');
    if (!this.credentials || msg.learnerId !== this.credentials.learnerId) {
      if (!msg.token) return this.stop('wrong-hub');
      this.credentials = { learnerId: msg.learnerId, token: msg.token };
      this.emit('credentials', { ...this.credentials });
    }
    this.attempt = 0;
    this.sent = { progress: null, hand: null };
    this.setState('joined');
    this.emit('joined', { learnerId: msg.learnerId, className: msg.className, currentLesson: msg.currentLesson });
    this.flush();
    this.flushShare();
  }

  /**
   * Sends the share's start, resize and output within its byte budget. When the budget or the
   * socket is full the output waits in the outbox, whose oldest part is dropped past its bound.
   */
  private flushShare(): void {
    const ws = this.ws;
    const share = this.share;
    if (!share || this.stateValue !== 'joined' || !ws || ws.readyState !== ws.OPEN || this.shareTimer !== null) return;
    if (!this.shareStarted) {
      this.write(ws, { type: 'share-start', ...share });
      this.shareStarted = true;
      this.shareResized = false;
      this.shareSeq = 0;
    }
    if (this.shareResized) {
      if (!this.shareBucket.take(SHARE_FRAME_MIN_COST)) return this.retryShare(this.shareBucket.waitMs(SHARE_FRAME_MIN_COST));
      this.write(ws, { type: 'share-resize', cols: share.cols, rows: share.rows });
      this.shareResized = false;
    }
    for (let chunk = this.outbox.peek(); chunk; chunk = this.outbox.peek()) {
      if (ws.bufferedAmount > SHARE_MAX_BUFFERED) return this.retryShare(SHARE_RETRY_MS);
      const frame = encodeFrame(LearnerMessage, { type: 'share-output', seq: this.shareSeq, data: chunk.data, ...(chunk.skipped ? { skipped: chunk.skipped } : {}) });
      const cost = Math.max(SHARE_FRAME_MIN_COST, Buffer.byteLength(frame));
      if (!this.shareBucket.take(cost)) return this.retryShare(this.shareBucket.waitMs(cost));
      this.outbox.take(chunk.data.length);
      this.shareSeq++;
      ws.send(frame);
      this.framesSent++;
    }
  }

  private retryShare(ms: number): void {
    this.shareTimer = this.timers.setTimeout(() => {
      this.shareTimer = null;
      this.flushShare();
    }, Math.max(1, ms));
  }

  private clearShareTimer(): void {
    if (this.shareTimer !== null) this.timers.clearTimeout(this.shareTimer);
    this.shareTimer = null;
  }

  /** Leaving or closing ends a share for good: nothing of it is kept or sent. */
  private dropShare(): void {
    this.share = null;
    this.outbox.clear();
    this.clearShareTimer();
    this.shareStarted = false;
  }

  /** Sends what changed since the last send on this connection, within the outgoing rate. */
  private flush(): void {
    const ws = this.ws;
    if (this.stateValue !== 'joined' || !ws || ws.readyState !== ws.OPEN || this.flushTimer !== null) return;
    const progress = this.latest ? JSON.stringify(this.latest) : null;
    const pending: LearnerMessage[] = [];
    if (this.sent.hand !== this.hand && !(this.sent.hand === null && !this.hand)) pending.push({ type: 'hand', raised: this.hand });
    if (progress !== null && progress !== this.sent.progress) pending.push(this.latest!);
    for (const msg of pending) {
      if (!this.outBucket.take()) {
        // Over the rate: try again when a token is back. Only the latest state is ever sent.
        this.flushTimer = this.timers.setTimeout(() => {
          this.flushTimer = null;
          this.flush();
        }, this.outBucket.waitMs());
        return;
      }
      this.write(ws, msg);
      if (msg.type === 'hand') this.sent.hand = msg.raised;
      else this.sent.progress = progress;
    }
  }

  private write(ws: WebSocket, msg: LearnerMessage): void {
    ws.send(encodeFrame(LearnerMessage, msg));
    this.framesSent++;
  }

  private onDisconnected(socket: TLSSocket): void {
    if (this.socket !== socket) return;
    this.teardown();
    if (this.stateValue === 'left' || this.stateValue === 'refused' || this.stateValue === 'closed') return;
    const delayMs = backoffDelayMs(this.attempt, this.opts.random ?? Math.random);
    this.attempt++;
    this.setState('reconnecting');
    this.emit('reconnecting', { attempt: this.attempt, delayMs });
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stateValue === 'reconnecting') this.connect();
    }, delayMs);
  }

  /** Stops for good: the hub refused us, or this is not the class's hub. */
  private stop(reason: StopReason): void {
    this.setState('refused');
    this.clearTimers();
    this.teardown();
    if (reason === 'bad-token' || reason === 'left') {
      this.credentials = null;
      this.emit('credentials', null);
    }
    this.emit('refused', reason);
  }

  private teardown(): void {
    const { ws, socket } = this;
    this.ws = null;
    this.socket = null;
    this.binding = null;
    if (this.flushTimer !== null) {
      this.timers.clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    // The next connection starts the share again (the hub ended it with this one).
    this.clearShareTimer();
    this.shareStarted = false;
    ws?.removeAllListeners('message');
    ws?.terminate();
    socket?.destroy();
  }

  private clearTimers(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    if (this.flushTimer !== null) this.timers.clearTimeout(this.flushTimer);
    this.reconnectTimer = null;
    this.flushTimer = null;
  }

  private setState(s: ClientState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.emit('state', s);
  }
}

/**
 * Reads the certificate fingerprint of whatever answers at an address, for the learner who
 * typed only the short code to compare with the projector. Sends nothing but a TLS handshake.
 */
export function probeHubFingerprint(address: HubAddress): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: address.host, port: address.port, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    socket.once('secureConnect', () => {
      resolve(certificateFingerprint(socket.getPeerCertificate().raw));
      socket.destroy();
    });
    socket.on('error', (err) => reject(new Error(`No class answers at ${formatHostPort(address)}: ${err.message}`)));
  });
}
