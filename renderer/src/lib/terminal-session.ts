// One terminal tab's shell session and the protocol around it, without xterm:
// opening it once a view (Terminal.svelte) is attached, the events that arrive
// while terminal.open is in flight, keystrokes and lesson runs in one ordered
// chain, acknowledgements of what the view has drawn, the exit, and a restart.
//
// A lesson run is not text: it is a request (lessons.run) the main process
// serves from the lesson it loaded, made with the running session's id. The
// tab's session exists from the moment the tab opens, so a run for a terminal
// that has not mounted, is still opening or has ended waits in this session's
// one queue; a run for an ended session starts a new one.
import type { Events, LabApi, MethodInput } from '../../../electron/api/contract';
import type { TerminalKind } from '../../../electron/api/types';
import { createAckBatcher, type AckBatcher } from './ack-batcher';
import { errorMessage } from './errors';
import { splitInput } from './terminal-input';

/** Asks the main process to type into the running session with this id. */
export type Delivery = (sessionId: string) => Promise<void>;

export type SessionPhase = 'opening' | 'running' | 'exited' | 'error';

export interface SessionState {
  phase: SessionPhase;
  exitCode: number | null;
  exitSignal?: string;
  /** Why terminal.open failed (phase 'error'). */
  openError: string;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What the session needs from the terminal on screen (xterm in Terminal.svelte). */
export interface TerminalView {
  /** Fits the terminal to its container and returns its size, at least 1 × 1. */
  fit(): TerminalSize;
  /** The current size, as it is. */
  size(): TerminalSize;
  /**
   * Draws a session's output; `parsed` hears its characters once drawn (the
   * flow-control ack). It is one function per session, so a view may join a
   * session's chunks.
   */
  write(data: string, parsed: (chars: number) => void): void;
  /** Marks where a restarted session begins. */
  markNewSession(): void;
  focus(): void;
  openSearch(): void;
  /** The phase, exit or open error changed. */
  update(state: Readonly<SessionState>): void;
}

interface Queued {
  delivery: Delivery;
  resolve: () => void;
  reject: (err: unknown) => void;
}

type EarlyEvent = { kind: 'data'; payload: Events['terminal.data'] } | { kind: 'exit'; payload: Events['terminal.exit'] };

/** Events kept while terminal.open is in flight (they may belong to the new session). */
const MAX_EARLY_EVENTS = 10_000;

const CLOSED = 'The terminal was closed.';

export class TerminalSession {
  readonly kind: TerminalKind;
  /** 'host', 'docker-host' or the container's name. */
  readonly name: string;
  #state: SessionState = { phase: 'opening', exitCode: null, openError: '' };
  #view: TerminalView | null = null;
  #id: string | null = null;
  #reportsCommands = false;
  #acks: AckBatcher | null = null;
  /** The current session's ack, one function per session (see TerminalView.write). */
  #ackOutput: (chars: number) => void = () => {};
  #early: EarlyEvent[] = [];
  #queued: Queued[] = [];
  /** Keystrokes and runs, chained so they reach the shell in the order they were made. */
  #sending: Promise<void> = Promise.resolve();
  /** Bumped when a view detaches: an open still in flight then belongs to no one. */
  #generation = 0;
  #offEvents: (() => void)[] = [];
  #focusOnAttach = false;
  #disposed = false;

  constructor(
    private readonly api: LabApi,
    terminal: { kind: TerminalKind; name: string },
  ) {
    this.kind = terminal.kind;
    this.name = terminal.name;
  }

  get state(): Readonly<SessionState> {
    return this.#state;
  }

  /** The id of the running session, if any (to match terminal.command events). */
  get runningId(): string | null {
    return this.#state.phase === 'running' ? this.#id : null;
  }

  /** Whether the running session reports each command it runs (a host shell with prompt integration). */
  get reportsCommands(): boolean {
    return this.runningId !== null && this.#reportsCommands;
  }

  /** Binds the terminal on screen and opens the session. */
  attach(view: TerminalView): void {
    if (this.#disposed) return;
    if (this.#view) this.detach(this.#view);
    this.#view = view;
    this.#offEvents = [this.api.on('terminal.data', (p) => this.#onData(p)), this.api.on('terminal.exit', (p) => this.#onExit(p))];
    view.update(this.#state);
    if (this.#focusOnAttach) {
      this.#focusOnAttach = false;
      view.focus();
    }
    void this.#start(false);
  }

  /** The view is gone: its session closes and the runs waiting for it are refused. A stale view's detach is ignored. */
  detach(view: TerminalView): void {
    if (this.#view !== view) return;
    this.#shutDown();
    this.#view = null;
    this.#state = { phase: 'opening', exitCode: null, openError: '' };
  }

  /** The tab closed: as detach, and runs made later are refused. */
  dispose(): void {
    this.#disposed = true;
    this.#focusOnAttach = false;
    this.#shutDown();
    this.#view = null;
  }

  /**
   * Makes a lesson run once the session runs: it waits while the session opens
   * (or its view mounts), and restarts an ended one. Settles with the delivery;
   * rejects when the session could not be opened or the terminal closed.
   */
  deliver(delivery: Delivery): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error(CLOSED));
    if (this.#id && this.#state.phase === 'running') return this.#deliverNow(this.#id, delivery);
    const promise = new Promise<void>((resolve, reject) => this.#queued.push({ delivery, resolve, reject }));
    if (this.#state.phase === 'exited' || this.#state.phase === 'error') void this.#start(true);
    return promise;
  }

  /** Keystrokes and pastes go only to a running session. */
  type(data: string): void {
    if (this.#id && this.#state.phase === 'running') void this.#sendNow(this.#id, data);
  }

  resize(size: TerminalSize): void {
    if (this.#id) void this.api.call('terminal.resize', { id: this.#id, ...size }).catch(() => {});
  }

  /** The learner's Restart (or Retry) after the session ended or failed to open. */
  restart(): void {
    void this.#start(true);
  }

  /** Focuses the terminal, or does so once its view attaches. */
  focus(): void {
    if (this.#view) this.#view.focus();
    else if (!this.#disposed) this.#focusOnAttach = true;
  }

  openSearch(): void {
    this.#view?.openSearch();
  }

  #setState(next: SessionState): void {
    this.#state = next;
    this.#view?.update(next);
  }

  #openInput(size: TerminalSize): MethodInput<'terminal.open'> {
    if (this.kind === 'container') return { kind: 'container', container: this.name, ...size };
    return { kind: this.kind, ...size };
  }

  async #start(restart: boolean): Promise<void> {
    const view = this.#view;
    if (!view) return;
    const generation = this.#generation;
    this.#setState({ phase: 'opening', exitCode: null, openError: '' });
    this.#early = [];
    if (restart) view.markNewSession();
    const size = view.fit();
    try {
      const info = await this.api.call('terminal.open', this.#openInput(size));
      if (generation !== this.#generation) {
        void this.api.call('terminal.close', { id: info.id }).catch(() => {});
        return;
      }
      const id = info.id;
      this.#id = id;
      this.#reportsCommands = info.reportsCommands === true;
      const acks = createAckBatcher((chars) => {
        this.api.call('terminal.ack', { id, chars }).catch(() => {});
      });
      this.#acks = acks;
      this.#ackOutput = (chars) => acks.ack(chars);
      this.#setState({ phase: 'running', exitCode: null, openError: '' });
      const early = this.#early;
      this.#early = [];
      for (const event of early) {
        if (event.payload.id !== id) continue;
        if (event.kind === 'data') view.write(event.payload.data, this.#ackOutput);
        else this.#showExit(event.payload);
      }
      // The size may have changed while opening.
      const now = view.size();
      if (now.cols !== size.cols || now.rows !== size.rows) {
        void this.api.call('terminal.resize', { id, ...now }).catch(() => {});
      }
      const queued = this.#queued;
      this.#queued = [];
      for (const item of queued) {
        if (this.#id === id) this.#deliverNow(id, item.delivery).then(item.resolve, item.reject);
        else item.reject(new Error('The terminal session ended.'));
      }
    } catch (err) {
      if (generation !== this.#generation) return;
      this.#early = [];
      this.#rejectQueued(err);
      this.#setState({ phase: 'error', exitCode: null, openError: errorMessage(err) });
    }
  }

  #onData(payload: Events['terminal.data']): void {
    if (payload.id === this.#id) this.#view?.write(payload.data, this.#ackOutput);
    else if (this.#state.phase === 'opening' && this.#early.length < MAX_EARLY_EVENTS) this.#early.push({ kind: 'data', payload });
  }

  #onExit(payload: Events['terminal.exit']): void {
    if (payload.id === this.#id) this.#showExit(payload);
    else if (this.#state.phase === 'opening') this.#early.push({ kind: 'exit', payload });
  }

  #showExit(payload: Events['terminal.exit']): void {
    this.#acks?.dispose();
    this.#id = null;
    this.#setState({ phase: 'exited', exitCode: payload.exitCode, ...(payload.signal ? { exitSignal: payload.signal } : {}), openError: '' });
  }

  /** Resolves once every chunk was handed to the session. */
  #sendNow(id: string, data: string): Promise<void> {
    for (const chunk of splitInput(data)) {
      // Chained so large pastes arrive in order.
      this.#sending = this.#sending
        .then(() => this.api.call('terminal.input', { id, data: chunk }))
        .catch((err: unknown) => console.warn('terminal input failed', err));
    }
    return this.#sending;
  }

  /** In order after what was typed before it; a failed one is reported, and the next still goes. */
  #deliverNow(id: string, delivery: Delivery): Promise<void> {
    const made = this.#sending.then(() => delivery(id));
    this.#sending = made.catch((err: unknown) => console.warn('lesson run failed', err));
    return made;
  }

  #rejectQueued(err: unknown): void {
    const queued = this.#queued;
    this.#queued = [];
    for (const item of queued) item.reject(err);
  }

  #shutDown(): void {
    this.#generation++;
    this.#rejectQueued(new Error(CLOSED));
    for (const off of this.#offEvents) off();
    this.#offEvents = [];
    this.#early = [];
    this.#acks?.dispose();
    this.#acks = null;
    const id = this.#id;
    this.#id = null;
    if (id) void this.api.call('terminal.close', { id }).catch(() => {});
  }
}
