// Follows Docker's event stream and keeps a live model of the engine's
// topology. While a lesson's lab is open it records, in a persisted ledger,
// every container and network created, so reset() removes exactly those.
import type Dockerode from 'dockerode';
import type { ContainerNode, NetworkNode, ResetResult, Topology } from '../../api/types';
import { log } from '../log/logger';
import { EventSubscription, type DockerEvent } from './events';
import { Ledger } from './ledger';
import { buildTopology, changedNames, containerName, type ContainerInfo, type NetworkInfo } from './model';

interface TrackerOptions {
  ledgerFile: string;
  /** containers carrying this label (the app's own helpers) are left out of the model and the ledger */
  ignoreLabel?: string;
  /**
   * Objects carrying this label are the lab's (the lab relay puts it on what a host
   * shell creates while a lab is open): in the ledger when they appear while
   * recording, and removed by a reset even when the ledger missed them (a crash).
   */
  labLabel?: { key: string; value: string };
  /**
   * Whether an unlabelled creation seen while recording is the lab's doing
   * (default: all). The app answers yes for the lesson's own names only, so a
   * reset never takes what another program created on the same engine meanwhile.
   */
  attribute?: (kind: 'container' | 'network', name: string) => boolean;
}

export interface TopologyChange {
  topology: Topology;
  /** names (containers and networks) whose state changed */
  touched: Set<string>;
}

/** Events that can change what the model shows. exec_* and health_status are
 * deliberately absent: checkpoint probes run execs, which must not trigger re-evaluation. */
const CONTAINER_ACTIONS = new Set(['create', 'start', 'die', 'stop', 'kill', 'destroy', 'rename', 'update', 'pause', 'unpause']);
const NETWORK_ACTIONS = new Set(['create', 'destroy', 'connect', 'disconnect']);
/** The state a container event implies, checked against the listing. */
const IMPLIED_STATE: Record<string, 'running' | 'stopped' | 'gone'> = {
  start: 'running',
  unpause: 'running',
  die: 'stopped',
  stop: 'stopped',
  kill: 'stopped',
  destroy: 'gone',
};
/** How many extra looks (CONFIRM_MS apart) a lagging listing gets. */
const MAX_EXTRA_LOOKS = 30;
/**
 * Events arriving within one tick are refreshed together, each id once. Kept
 * short (a checkpoint waits on it): events that arrive while a refresh runs
 * join the next one anyway, since refreshes are serialised.
 */
const TICK_MS = 1;
/**
 * dockerd may log an event before its list view catches up (the state is
 * checkpointed right after), so every refreshed id is looked at once more.
 */
const CONFIRM_MS = 100;
/** Ids per filtered list call, to keep the query string modest. */
const IDS_PER_LIST = 50;

interface Waiter {
  seq: number;
  resolve: () => void;
}

/** Ids waiting for a refresh: 'fresh' from events, 'confirm' for the second look. */
interface RefreshBatch {
  containers: Set<string>;
  networks: Set<string>;
  /** Names to report even if their node looks the same (a network's membership). */
  touched: Set<string>;
  /** The last event sequence number this batch covers. */
  seq: number;
}
type BatchKind = 'fresh' | 'confirm';

function emptyBatch(): RefreshBatch {
  return { containers: new Set(), networks: new Set(), touched: new Set(), seq: 0 };
}

export class LabTracker {
  private readonly ledgerStore: Ledger;
  private readonly subscription: EventSubscription;
  private containers = new Map<string, ContainerInfo>();
  private networks = new Map<string, NetworkInfo>();
  /** Containers with the ignore label: their events are dropped without a refresh. */
  private readonly ignored = new Set<string>();
  private current: Topology = { networks: [], containers: [] };

  private readonly changeListeners = new Set<(change: TopologyChange) => void>();
  private readonly connectionListeners = new Set<(reachable: boolean, message?: string) => void>();

  /**
   * What an event says a container's state must become. Docker's listing can lag
   * its events by seconds on a busy engine: until the listing agrees, keep looking.
   */
  private readonly expected = new Map<string, { state: 'running' | 'stopped' | 'gone'; looks: number }>();

  private recording = false;
  private recordingSinceMs = 0;
  /** Ids present when recording began: never recorded, whatever their Created time says. */
  private baseline = new Set<string>();

  private batches: Record<BatchKind, RefreshBatch> = { fresh: emptyBatch(), confirm: emptyBatch() };
  private timers: Record<BatchKind, NodeJS.Timeout | undefined> = { fresh: undefined, confirm: undefined };
  /** Serialises refreshes and resyncs so an older answer never overwrites a newer one. */
  private work: Promise<void> = Promise.resolve();
  private receivedSeq = 0;
  private appliedSeq = 0;
  private waiters: Waiter[] = [];
  private stopped = true;

  constructor(
    private readonly docker: Dockerode,
    private readonly options: TrackerOptions,
  ) {
    this.ledgerStore = new Ledger(options.ledgerFile);
    this.subscription = new EventSubscription(
      docker,
      { type: ['container', 'network'] },
      {
        onEvent: (event) => this.handleEvent(event),
        onConnection: (reachable, message) => this.notifyConnection(reachable, message),
        onReconnected: () => this.resync(),
      },
    );
  }

  /** Loads the ledger, subscribes to events, lists everything; resolves when the model is ready. */
  async start(): Promise<void> {
    await this.ledgerStore.load();
    this.stopped = false;
    // Subscribe before listing so nothing created in between is missed.
    try {
      await this.subscription.start();
      await this.enqueue(() => this.fullListing(false));
    } catch (err) {
      this.stopped = true;
      this.subscription.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription.stop();
    clearTimeout(this.timers.fresh);
    clearTimeout(this.timers.confirm);
    this.timers = { fresh: undefined, confirm: undefined };
    this.batches = { fresh: emptyBatch(), confirm: emptyBatch() };
    this.releaseWaiters(Number.POSITIVE_INFINITY);
    await this.work.catch(() => undefined);
    await this.ledgerStore.flush();
  }

  beginRecording(): void {
    this.recording = true;
    this.recordingSinceMs = Date.now();
    // Objects whose create event is queued but not applied yet existed before recording, too.
    this.baseline = new Set([
      ...this.containers.keys(),
      ...this.networks.keys(),
      ...this.batches.fresh.containers,
      ...this.batches.fresh.networks,
      ...this.batches.confirm.containers,
      ...this.batches.confirm.networks,
    ]);
  }

  endRecording(): void {
    this.recording = false;
    this.baseline = new Set();
  }

  topology(): Topology {
    return this.current;
  }

  container(nameOrId: string): ContainerNode | undefined {
    return findNode(this.current.containers, nameOrId);
  }

  network(nameOrId: string): NetworkNode | undefined {
    return findNode(this.current.networks, nameOrId);
  }

  onChange(listener: (change: TopologyChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onConnection(listener: (reachable: boolean, message?: string) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Resolves once every event received so far is reflected in the model. */
  settled(): Promise<void> {
    const seq = this.receivedSeq;
    if (this.appliedSeq >= seq || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Lists everything again and rebuilds the model (after a reconnect, or on demand). */
  resync(): Promise<void> {
    return this.enqueue(() => this.fullListing(true));
  }

  ledger(): { containers: string[]; networks: string[] } {
    return this.ledgerStore.snapshot();
  }

  /** Removes what the ledger holds and what carries the lab label, nothing else; never throws for one item. */
  async reset(): Promise<ResetResult> {
    const result: ResetResult = { removedContainers: [], removedNetworks: [], failed: [] };
    const ledger = this.ledgerStore;
    const label = this.options.labLabel;
    if (label) {
      // What the relay labelled is the lab's even if the app stopped before its event reached the ledger.
      const filter = { label: [`${label.key}=${label.value}`] };
      const [containers, networks] = await Promise.all([this.docker.listContainers({ all: true, filters: filter }), this.docker.listNetworks({ filters: filter })]);
      for (const c of containers) ledger.containers.add(c.Id);
      for (const n of networks) ledger.networks.add(n.Id);
    }

    // Force-remove kills without the stop grace period: a reset should be quick.
    await Promise.all(
      [...ledger.containers].map(async (id) => {
        const known = this.containers.get(id);
        const name = known ? containerName(known) : id.slice(0, 12);
        try {
          await this.docker.getContainer(id).remove({ force: true });
        } catch (err) {
          if (!isGone(err)) {
            result.failed.push({ name, message: dockerMessage(err) });
            return;
          }
        }
        ledger.containers.delete(id);
        result.removedContainers.push(name);
      }),
    );

    await Promise.all(
      [...ledger.networks].map(async (id) => {
        const name = this.networks.get(id)?.Name ?? id.slice(0, 12);
        const network = this.docker.getNetwork(id);
        try {
          // The learner's own containers may sit on a lab network: detach them, keep them.
          const info = (await network.inspect()) as NetworkInfo;
          await Promise.all(
            Object.keys(info.Containers ?? {}).map((container) =>
              network.disconnect({ Container: container, Force: true }).catch(() => undefined),
            ),
          );
          await network.remove();
        } catch (err) {
          if (!isGone(err)) {
            result.failed.push({ name, message: dockerMessage(err) });
            return;
          }
        }
        ledger.networks.delete(id);
        result.removedNetworks.push(name);
      }),
    );

    ledger.save();
    await ledger.flush();
    result.removedContainers.sort();
    result.removedNetworks.sort();
    return result;
  }

  // ---- events ----------------------------------------------------------------

  private handleEvent(event: DockerEvent): void {
    if (this.stopped) return;
    // "exec_start: sh -c ..." and "health_status: healthy" carry a suffix.
    const action = event.Action.split(':')[0] ?? '';
    const id = event.Actor.ID;
    const attrs = event.Actor.Attributes;

    if (event.Type === 'container') {
      if (!CONTAINER_ACTIONS.has(action)) return;
      if (this.isIgnored(id, attrs)) {
        if (action === 'destroy') this.ignored.delete(id);
        return;
      }
      // A container event's attributes hold its labels.
      if (action === 'create') this.record('container', id, attrs.name ?? '', attrs);
      const implied = IMPLIED_STATE[action];
      if (implied) this.expected.set(id, { state: implied, looks: 0 });
      this.batches.fresh.containers.add(id);
    } else if (event.Type === 'network') {
      if (!NETWORK_ACTIONS.has(action)) return;
      if (action === 'create') this.record('network', id, attrs.name ?? '');
      this.batches.fresh.networks.add(id);
      const container = attrs.container;
      if ((action === 'connect' || action === 'disconnect') && container && !this.ignored.has(container)) {
        this.batches.fresh.containers.add(container);
        // The network's membership changed even though its own node did not.
        const name = attrs.name ?? this.networks.get(id)?.Name;
        if (name) this.batches.fresh.touched.add(name);
      }
    } else {
      return;
    }
    this.receivedSeq += 1;
    this.batches.fresh.seq = this.receivedSeq;
    this.schedule('fresh');
  }

  private schedule(kind: BatchKind): void {
    if (this.timers[kind] || this.stopped) return;
    this.timers[kind] = setTimeout(
      () => {
        this.timers[kind] = undefined;
        this.enqueue(() => this.refresh(kind)).catch((err: unknown) => log.warn('topology refresh failed', { err }));
      },
      kind === 'fresh' ? TICK_MS : CONFIRM_MS,
    );
  }

  private isIgnored(id: string, attrs: Record<string, string>): boolean {
    const label = this.options.ignoreLabel;
    if (!label) return false;
    if (attrs[label] !== undefined) this.ignored.add(id);
    return this.ignored.has(id);
  }

  private isLabelled(labels: Record<string, string> | undefined): boolean {
    const label = this.options.labLabel;
    return label !== undefined && labels?.[label.key] === label.value;
  }

  private record(kind: 'container' | 'network', id: string, name: string, labels?: Record<string, string>): void {
    if (!this.recording || this.baseline.has(id)) return;
    if (!this.isLabelled(labels) && this.options.attribute && !this.options.attribute(kind, name)) return;
    const set = kind === 'container' ? this.ledgerStore.containers : this.ledgerStore.networks;
    if (set.has(id)) return;
    set.add(id);
    this.ledgerStore.save();
  }

  /**
   * Refreshes just the objects named since the last tick. A fresh pass hands
   * its ids on to a confirming pass; settled() waits for that one.
   */
  private async refresh(kind: BatchKind): Promise<void> {
    // Taken when the work runs, not when the timer fired: later events join in.
    const batch = this.batches[kind];
    this.batches[kind] = emptyBatch();
    const containerIds = [...batch.containers];
    const networkIds = [...batch.networks];
    if (containerIds.length === 0 && networkIds.length === 0) {
      if (kind === 'confirm') this.markApplied(batch.seq);
      return;
    }

    let containers: ContainerInfo[];
    let networks: NetworkInfo[];
    try {
      [containers, networks] = await Promise.all([
        listInChunks(containerIds, (id) => this.docker.listContainers({ all: true, filters: { id } })),
        listInChunks(networkIds, (id) => this.docker.listNetworks({ filters: { id } })),
      ]);
    } catch {
      // One retry with the confirming pass. If the engine is gone, the event
      // stream drops too and the reconnect's resync rebuilds everything.
      if (kind === 'fresh') this.handOn(batch);
      else this.markApplied(batch.seq);
      return;
    }

    let ledgerChanged = false;
    for (const id of containerIds) {
      const info = containers.find((c) => c.Id === id || c.Id.startsWith(id));
      if (info && !this.hasIgnoreLabel(info)) {
        this.containers.set(info.Id, info);
        if (!this.ledgerStore.containers.has(info.Id) && this.isLabelled(info.Labels)) {
          this.record('container', info.Id, containerName(info), info.Labels);
        }
        continue;
      }
      // Gone, or an app helper after all: neither belongs in the model...
      if (info) this.ignored.add(info.Id);
      this.containers.delete(info?.Id ?? id);
      // ...nor, once a second look agrees, in the ledger.
      if (kind === 'confirm' || info) ledgerChanged = this.ledgerStore.containers.delete(info?.Id ?? id) || ledgerChanged;
    }
    for (const id of networkIds) {
      const info = networks.find((n) => n.Id === id || n.Id.startsWith(id));
      if (info) {
        this.networks.set(info.Id, info);
        // A network event carries no labels: the listing does.
        if (!this.ledgerStore.networks.has(info.Id) && this.isLabelled(info.Labels)) this.record('network', info.Id, info.Name, info.Labels);
        continue;
      }
      this.networks.delete(id);
      if (kind === 'confirm') ledgerChanged = this.ledgerStore.networks.delete(id) || ledgerChanged;
    }
    if (ledgerChanged) this.ledgerStore.save();
    this.rebuild(batch.touched);
    if (kind === 'fresh') {
      this.handOn({ ...batch, touched: new Set() });
      return;
    }
    // The listing still contradicts an event: look again shortly, and keep settled() waiting.
    const lagging = containerIds.filter((id) => this.stillLagging(id, containers));
    if (lagging.length) this.handOn({ containers: new Set(lagging), networks: new Set(), touched: new Set(), seq: batch.seq });
    else this.markApplied(batch.seq);
  }

  private stillLagging(id: string, listed: ContainerInfo[]): boolean {
    const want = this.expected.get(id);
    if (!want) return false;
    const info = listed.find((c) => c.Id === id || c.Id.startsWith(id));
    const agrees =
      want.state === 'gone' ? !info : want.state === 'running' ? info?.State === 'running' : info !== undefined && info.State !== 'running';
    if (agrees || ++want.looks > MAX_EXTRA_LOOKS || (want.state !== 'gone' && !info)) {
      this.expected.delete(id);
      return false;
    }
    return true;
  }

  private handOn(batch: RefreshBatch): void {
    const confirm = this.batches.confirm;
    for (const id of batch.containers) confirm.containers.add(id);
    for (const id of batch.networks) confirm.networks.add(id);
    for (const name of batch.touched) confirm.touched.add(name);
    confirm.seq = Math.max(confirm.seq, batch.seq);
    this.schedule('confirm');
  }

  /** Lists every container and network; with `emit`, tells listeners even if nothing changed. */
  private async fullListing(emit: boolean): Promise<void> {
    const seq = this.receivedSeq;
    const [containers, networks] = await Promise.all([
      this.docker.listContainers({ all: true }),
      this.docker.listNetworks(),
    ]);
    this.containers = new Map();
    for (const info of containers) {
      if (this.hasIgnoreLabel(info)) this.ignored.add(info.Id);
      else this.containers.set(info.Id, info);
    }
    this.networks = new Map(networks.map((n) => [n.Id, n]));

    const ledger = this.ledgerStore;
    let ledgerChanged = false;
    // Forget what no longer exists (removed while the app was closed, or during a gap).
    for (const id of [...ledger.containers]) {
      if (!this.containers.has(id)) ledgerChanged = ledger.containers.delete(id) || ledgerChanged;
    }
    for (const id of [...ledger.networks]) {
      if (!this.networks.has(id)) ledgerChanged = ledger.networks.delete(id) || ledgerChanged;
    }
    // Creations during a stream gap never produced an event: judge them by Created time.
    if (this.recording) {
      const sinceSeconds = Math.floor(this.recordingSinceMs / 1000);
      for (const info of this.containers.values()) {
        if (this.baseline.has(info.Id) || ledger.containers.has(info.Id)) continue;
        if (!this.isLabelled(info.Labels) && this.options.attribute && !this.options.attribute('container', containerName(info))) continue;
        if (info.Created >= sinceSeconds) {
          ledger.containers.add(info.Id);
          ledgerChanged = true;
        }
      }
      for (const info of this.networks.values()) {
        if (this.baseline.has(info.Id) || ledger.networks.has(info.Id)) continue;
        if (!this.isLabelled(info.Labels) && this.options.attribute && !this.options.attribute('network', info.Name)) continue;
        const created = Date.parse(info.Created);
        if (Number.isFinite(created) && Math.floor(created / 1000) >= sinceSeconds) {
          ledger.networks.add(info.Id);
          ledgerChanged = true;
        }
      }
    }
    if (ledgerChanged) ledger.save();
    this.rebuild(new Set(), emit);
    this.markApplied(seq);
  }

  private hasIgnoreLabel(info: ContainerInfo): boolean {
    const label = this.options.ignoreLabel;
    return label !== undefined && info.Labels?.[label] !== undefined;
  }

  private rebuild(extraTouched: Set<string>, alwaysEmit = false): void {
    const before = this.current;
    this.current = buildTopology({ containers: this.containers, networks: this.networks }, this.ledgerStore);
    const touched = changedNames(before, this.current);
    for (const name of extraTouched) touched.add(name);
    if (touched.size === 0 && !alwaysEmit) return;
    const change: TopologyChange = { topology: this.current, touched };
    for (const listener of [...this.changeListeners]) {
      if (this.stopped) return;
      try {
        listener(change);
      } catch (err) {
        log.warn('topology listener failed', { err });
      }
    }
  }

  private notifyConnection(reachable: boolean, message?: string): void {
    if (this.stopped) return;
    for (const listener of [...this.connectionListeners]) {
      try {
        listener(reachable, message);
      } catch (err) {
        log.warn('connection listener failed', { err });
      }
    }
  }

  private markApplied(seq: number): void {
    this.appliedSeq = Math.max(this.appliedSeq, seq);
    this.releaseWaiters(this.appliedSeq);
  }

  private releaseWaiters(upTo: number): void {
    const ready = this.waiters.filter((w) => w.seq <= upTo);
    this.waiters = this.waiters.filter((w) => w.seq > upTo);
    for (const w of ready) w.resolve();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.work.then(task);
    // The chain continues after a failure; the caller still sees it.
    this.work = run.catch(() => undefined);
    return run;
  }
}

/**
 * By exact name or full id, never by an id prefix as the docker CLI allows: a
 * lesson's name must not match some other container whose id starts with it.
 */
function findNode<T extends { id: string; name: string }>(nodes: T[], nameOrId: string): T | undefined {
  return nodes.find((n) => n.name === nameOrId) ?? nodes.find((n) => n.id === nameOrId);
}

async function listInChunks<T>(ids: string[], list: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_LIST) chunks.push(ids.slice(i, i + IDS_PER_LIST));
  return (await Promise.all(chunks.map(list))).flat();
}

/** 404: already gone, which is what reset wanted. */
function isGone(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (status === 404) return true;
  // A concurrent removal (e.g. --rm on exit) finishes the job for us.
  return status === 409 && /already in progress/i.test(dockerMessage(err));
}

function dockerMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}
