// Every terminal the app runs: the host shell (node-pty, with shell
// integration) and shells inside containers (docker exec). Each is a session
// with an id, the key of what it shows (terminal-key.ts) and the caller that
// opened it; output flows source → OutputPipe (decode, batch, flow control)
// → 'terminal.data'; host-shell marks become CommandRecords. A session is
// freed once its process exited and its last output was sent, and closed when
// its caller leaves.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import type Dockerode from 'dockerode';
import type { EventSink } from '../../api/contract';
import { LabError } from '../../api/errors';
import { terminalKey } from '../../api/terminal-key';
import { DOCKER_HOST_TERMINAL, HOST_TERMINAL, type CommandRecord, type TerminalInfo, type TerminalKind } from '../../api/types';
import { log } from '../log/logger';
import type { HostRelay, HostRelays } from '../relay/host-relays';
import { openContainerSource } from './container-source';
import { CommandMarkParser } from './osc-parser';
import { OutputPipe, type OutputPipeOptions } from './output-pipe';
import { spawnPtySource } from './pty-source';
import { prepareHostShell } from './shell-integration';
import type { SourceHandlers, TerminalSource } from './terminal-source';

interface TerminalManagerOptions {
  docker: Dockerode;
  /** Receives 'terminal.data', 'terminal.exit' and 'terminal.command'. */
  sink: EventSink;
  /** The shell-integration rc files go under <dataDir>/shell/. */
  dataDir: string;
  /**
   * The host shell's program, or a function asked at each open (a choice in Settings applies to
   * the next host shell). Undefined: the learner's login shell (host-shells.ts).
   */
  shell?: string | (() => string | undefined);
  env?: NodeJS.ProcessEnv;
  /** Default: the home directory. */
  cwd?: string;
  /** Skip the user's own rc files (tests and reproducible runs). */
  cleanRc?: boolean;
  /** A lab relay for each host shell: its docker commands go through it (relay/host-relays.ts). */
  relays?: HostRelays;
  /** Output tuning (tests); the defaults are OUTPUT_DEFAULTS (output-pipe.ts, electron/api/flow-control.ts). */
  output?: Partial<Omit<OutputPipeOptions, 'source' | 'onBatch'>>;
}

interface OpenOptions {
  /** The caller that opens it (a window, a WebSocket connection): its output goes there, and it closes when they leave. */
  owner?: string;
}

/** How long an exited process may still deliver output before its exit is reported. */
const TRAILING_OUTPUT_MS = 250;
/** How long close() waits for a polite exit before forcing it. */
const CLOSE_GRACE_MS = 2_000;

interface Session {
  info: TerminalInfo;
  pipe: OutputPipe;
  source?: TerminalSource;
  marks?: CommandMarkParser;
  /** A host shell's lab relay, closed with it. */
  relay?: HostRelay;
  owner: string | undefined;
  /** Resolves once the exit was reported and the session freed. */
  closed: Deferred;
  exiting: boolean;
  /** The size last asked for (a classroom share tells the viewer). */
  cols: number;
  rows: number;
}

export class TerminalManager {
  private readonly sessions = new Map<string, Session>();
  private readonly commandListeners = new Set<(rec: CommandRecord) => void>();
  private readonly outputListeners = new Set<(id: string, key: string, text: string) => void>();
  private readonly resizeListeners = new Set<(id: string, cols: number, rows: number) => void>();
  private readonly exitListeners = new Set<(id: string) => void>();
  /** Callers that left: a terminal that finishes opening for one of them is closed at once. */
  private readonly departed = new Set<string>();
  private nextId = 1;

  constructor(private readonly options: TerminalManagerOptions) {}

  async openHost(cols: number, rows: number, options: OpenOptions = {}): Promise<TerminalInfo> {
    // Per shell: marks printed by a program's output, without it, are not the shell's.
    const nonce = randomBytes(16).toString('hex');
    const session = this.createSession('host', HOST_TERMINAL, options.owner, cols, rows);
    let spec: Awaited<ReturnType<typeof prepareHostShell>>;
    try {
      session.relay = await this.options.relays?.start(session.info.id);
      const env = this.options.env ?? process.env;
      const { shell } = this.options;
      spec = await prepareHostShell({
        dataDir: this.options.dataDir,
        shell: typeof shell === 'function' ? shell() : shell,
        env: session.relay ? session.relay.env(env) : env,
        cleanRc: this.options.cleanRc,
        nonce,
      });
    } catch (err) {
      this.sessions.delete(session.info.id);
      session.pipe.dispose();
      await session.relay?.close().catch(() => undefined);
      throw err;
    }
    if (spec.integrated) session.marks = new CommandMarkParser(session.info.id, nonce);
    session.info.reportsCommands = spec.integrated;
    log.info('host shell', { id: session.info.id, file: spec.file, kind: spec.kind, integrated: spec.integrated });
    try {
      session.source = spawnPtySource(
        { spec, cwd: this.options.cwd ?? homedir(), cols: clamp(cols), rows: clamp(rows) },
        this.handlersFor(session),
      );
    } catch (err) {
      this.sessions.delete(session.info.id);
      session.pipe.dispose();
      await session.relay?.close().catch(() => undefined);
      throw new LabError(`Could not start the shell ${spec.file}: ${err instanceof Error ? err.message : String(err)}`, 'shell-failed');
    }
    return this.opened(session);
  }

  /** A shell in a running container; `hostView`: the Docker host view's helper, shown as the docker-host terminal. */
  async openContainer(container: string, cols: number, rows: number, options: OpenOptions & { hostView?: boolean } = {}): Promise<TerminalInfo> {
    const session = options.hostView
      ? this.createSession('docker-host', DOCKER_HOST_TERMINAL, options.owner, cols, rows)
      : this.createSession('container', container, options.owner, cols, rows);
    try {
      const source = await openContainerSource(
        { docker: this.options.docker, container, cols: clamp(cols), rows: clamp(rows) },
        this.handlersFor(session),
      );
      session.source = source;
      if (!options.hostView) {
        session.info.name = source.name;
        session.info.key = terminalKey(source.name, 'container');
      }
      // close() or closeAll() ran while the exec was starting: do not leave the shell behind.
      if (this.sessions.get(session.info.id) !== session) {
        source.kill(false);
        throw new LabError(`The terminal for ${source.name} was closed while it opened.`, 'terminal-closed');
      }
    } catch (err) {
      this.sessions.delete(session.info.id);
      session.pipe.dispose();
      throw err;
    }
    return this.opened(session);
  }

  input(id: string, data: string): void {
    const session = this.sessions.get(id);
    if (!session) throw new LabError(`There is no terminal ${id} (it may have exited).`, 'terminal-missing');
    if (!session.exiting) session.source?.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const session = this.sessions.get(id);
    // A resize racing an exit is harmless: ignore it.
    if (!session || session.exiting) return;
    session.source?.resize(clamp(cols), clamp(rows));
    session.cols = clamp(cols);
    session.rows = clamp(rows);
    for (const listener of this.resizeListeners) safely(() => listener(id, session.cols, session.rows));
  }

  ack(id: string, chars: number): void {
    this.sessions.get(id)?.pipe.ack(chars);
  }

  /** Ends the terminal's process; resolves once its exit was reported. */
  async close(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    session.source?.kill(false);
    const forced = setTimeout(() => session.source?.kill(true), CLOSE_GRACE_MS);
    // Whatever the process does, free the session in the end.
    const abandon = setTimeout(() => this.finish(session, null, 'abandoned'), CLOSE_GRACE_MS * 2);
    try {
      await session.closed.promise;
    } finally {
      clearTimeout(forced);
      clearTimeout(abandon);
    }
  }

  /** Kills every process this manager started (server shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  /** The caller left: its terminals would run on unseen (a reload opens new ones), so they stop, and so do any still opening. */
  async disconnect(owner: string): Promise<void> {
    this.departed.add(owner);
    await Promise.all([...this.sessions.values()].filter((s) => s.owner === owner).map((s) => this.close(s.info.id)));
  }

  /** The caller that opened a terminal; undefined when none did or the terminal is gone. */
  ownerOf(id: string): string | undefined {
    return this.sessions.get(id)?.owner;
  }

  /** A running terminal's size as last asked for; undefined when it is gone. */
  sizeOf(id: string): { cols: number; rows: number } | undefined {
    const session = this.sessions.get(id);
    return session && { cols: session.cols, rows: session.rows };
  }

  list(): TerminalInfo[] {
    return [...this.sessions.values()].map((s) => ({ ...s.info }));
  }

  onCommand(listener: (rec: CommandRecord) => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  /** Each batch of output, with the key of the terminal it came from. */
  onOutput(listener: (id: string, key: string, text: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** A terminal was resized (terminal.resize). */
  onResize(listener: (id: string, cols: number, rows: number) => void): () => void {
    this.resizeListeners.add(listener);
    return () => this.resizeListeners.delete(listener);
  }

  /** A terminal ended (its process exited or it was closed); its id is gone from then on. */
  onExit(listener: (id: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  private createSession(kind: TerminalKind, name: string, owner: string | undefined, cols: number, rows: number): Session {
    const id = `${kind}-${this.nextId++}`;
    const session: Session = {
      info: { id, kind, name, key: terminalKey(name, kind), running: true },
      // The source does not exist yet: forward flow control to it once it does.
      pipe: new OutputPipe({
        ...this.options.output,
        source: { pause: () => session.source?.pause(), resume: () => session.source?.resume() },
        onBatch: (text) => this.deliver(session, text),
      }),
      owner,
      closed: deferred(),
      exiting: false,
      cols: clamp(cols),
      rows: clamp(rows),
    };
    this.sessions.set(id, session);
    return session;
  }

  /** Its caller left while it opened: nobody will show it, so it stops. */
  private opened(session: Session): TerminalInfo {
    if (session.owner !== undefined && this.departed.has(session.owner)) void this.close(session.info.id);
    return { ...session.info };
  }

  private handlersFor(session: Session): SourceHandlers {
    return {
      onData: (chunk) => session.pipe.write(chunk),
      onExit: (exitCode, signal) => {
        if (session.exiting) return;
        session.exiting = true;
        session.info.running = false;
        // Output may still be on its way (a pty can deliver after exit): give it a moment.
        setTimeout(() => this.finish(session, exitCode, signal), TRAILING_OUTPUT_MS);
      },
    };
  }

  private finish(session: Session, exitCode: number | null, signal: string | undefined): void {
    const { id } = session.info;
    if (this.sessions.get(id) !== session) return;
    session.pipe.end();
    session.info.running = false;
    // Still listed while its exit goes out: the transport asks ownerOf() where to send it.
    this.options.sink.emit('terminal.exit', signal ? { id, exitCode, signal } : { id, exitCode });
    this.sessions.delete(id);
    for (const listener of this.exitListeners) safely(() => listener(id));
    // Closed once its relay is too: nothing of the shell is left listening.
    void (session.relay?.close() ?? Promise.resolve())
      .catch((err: unknown) => log.warn('lab relay did not close', { err }))
      .finally(() => session.closed.resolve());
  }

  private deliver(session: Session, text: string): void {
    const { id, key } = session.info;
    // Output can arrive after the session was freed (a late timer): drop it.
    if (this.sessions.get(id) !== session) return;
    this.options.sink.emit('terminal.data', { id, data: text });
    if (session.marks) {
      for (const event of session.marks.push(text)) {
        if (event.kind === 'command') this.emitCommand(event.record);
      }
    }
    for (const listener of this.outputListeners) safely(() => listener(id, key, text));
  }

  private emitCommand(rec: CommandRecord): void {
    this.options.sink.emit('terminal.command', rec);
    for (const listener of this.commandListeners) safely(() => listener(rec));
  }
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.floor(n)) : 1;
}

/** A listener's bug must not break the terminal. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    log.error('terminal listener failed', { err });
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}
