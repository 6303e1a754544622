// The tracker's bookkeeping against a scripted engine (the real-engine
// behaviour is covered by test/integration/tracker.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerInfo, NetworkInfo } from './model';
import { LabTracker, type TopologyChange } from './tracker';

class FakeEngine {
  containers = new Map<string, ContainerInfo>();
  networks = new Map<string, NetworkInfo>([['bridge-id', { Id: 'bridge-id', Name: 'bridge', Driver: 'bridge', Created: '2020-01-01T00:00:00Z' } as NetworkInfo]]);
  containerLists: (string[] | 'all')[] = [];
  stream = new PassThrough();
  failEvents = 0;
  /** Ids the next filtered listing pretends not to see (dockerd's view lagging its events). */
  lagging = new Set<string>();
  eventCalls = 0;

  readonly docker = {
    getEvents: async (): Promise<PassThrough> => {
      this.eventCalls += 1;
      if (this.failEvents > 0) {
        this.failEvents -= 1;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      }
      this.stream = new PassThrough();
      return this.stream;
    },
    listContainers: async (opts: { filters?: { id?: string[] } }): Promise<ContainerInfo[]> => {
      const ids = opts.filters?.id;
      this.containerLists.push(ids ?? 'all');
      const all = [...this.containers.values()];
      if (!ids) return all;
      const seen = all.filter((c) => ids.includes(c.Id) && !this.lagging.has(c.Id));
      this.lagging.clear();
      return seen;
    },
    listNetworks: async (opts?: { filters?: { id?: string[] } }): Promise<NetworkInfo[]> => {
      const ids = opts?.filters?.id;
      const all = [...this.networks.values()];
      return ids ? all.filter((n) => ids.includes(n.Id)) : all;
    },
  } as unknown as Dockerode;

  add(id: string, name: string, labels: Record<string, string> = {}, state = 'created'): void {
    this.containers.set(id, {
      Id: id,
      Names: [`/${name}`],
      Image: 'busybox',
      State: state,
      Created: Math.floor(Date.now() / 1000),
      Labels: labels,
      HostConfig: { NetworkMode: 'default' },
      NetworkSettings: { Networks: {} },
    } as unknown as ContainerInfo);
  }

  emit(events: { Type: string; Action: string; id: string; attrs?: Record<string, string> }[]): void {
    this.stream.write(events.map((e) => JSON.stringify({ Type: e.Type, Action: e.Action, Actor: { ID: e.id, Attributes: e.attrs ?? {} } })).join('\n') + '\n');
  }
}

let dir: string;
const trackers: LabTracker[] = [];
async function started(engine: FakeEngine, ignoreLabel?: string): Promise<LabTracker> {
  dir = mkdtempSync(path.join(os.tmpdir(), 'netlab-tracker-unit-'));
  const tracker = new LabTracker(engine.docker, { ledgerFile: path.join(dir, 'ledger.json'), ignoreLabel });
  trackers.push(tracker);
  await tracker.start();
  return tracker;
}
afterEach(async () => {
  for (const t of trackers.splice(0)) await t.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('LabTracker (scripted engine)', () => {
  it('coalesces a burst of 200 creations into one batch and one change', async () => {
    const engine = new FakeEngine();
    const tracker = await started(engine);
    const changes: TopologyChange[] = [];
    tracker.onChange((c) => changes.push(c));
    engine.containerLists = [];

    const events = [];
    for (let i = 0; i < 200; i++) {
      engine.add(`id${i}`, `c${i}`, {}, 'running');
      events.push({ Type: 'container', Action: 'create', id: `id${i}` }, { Type: 'container', Action: 'start', id: `id${i}` });
    }
    engine.emit(events);
    await tick(1);
    await tracker.settled();

    expect(tracker.topology().containers).toHaveLength(200);
    // 200 distinct ids, at most 50 per call, each id asked for once per pass
    // (the event pass and the confirming pass settled() waits for).
    expect(engine.containerLists).toHaveLength(8);
    expect(engine.containerLists.flat()).toHaveLength(400);
    expect(new Set(engine.containerLists.flat()).size).toBe(200);
    // The second look found nothing new: one change only.
    expect(changes).toHaveLength(1);
    expect(changes[0]?.touched.size).toBe(200);
  });

  it('ignores exec and health events without asking the engine', async () => {
    const engine = new FakeEngine();
    engine.add('a', 'web');
    const tracker = await started(engine);
    const changes: TopologyChange[] = [];
    tracker.onChange((c) => changes.push(c));
    engine.containerLists = [];
    engine.emit([
      { Type: 'container', Action: 'exec_create: sh -c true', id: 'a' },
      { Type: 'container', Action: 'exec_start: sh -c true', id: 'a' },
      { Type: 'container', Action: 'exec_die', id: 'a' },
      { Type: 'container', Action: 'health_status: healthy', id: 'a' },
    ]);
    await tick();
    await tracker.settled();
    expect(engine.containerLists).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('records only creations after beginRecording, never baseline or ignored ones', async () => {
    const engine = new FakeEngine();
    engine.add('before', 'mine');
    const tracker = await started(engine, 'io.netlab.helper');
    tracker.beginRecording();
    engine.add('during', 'lab');
    engine.add('helper', 'probe', { 'io.netlab.helper': '1' });
    engine.emit([
      { Type: 'container', Action: 'create', id: 'before' }, // a replayed event for a pre-existing id
      { Type: 'container', Action: 'create', id: 'during' },
      { Type: 'container', Action: 'create', id: 'helper', attrs: { 'io.netlab.helper': '1' } },
    ]);
    await tick();
    await tracker.settled();
    expect(tracker.ledger().containers).toEqual(['during']);
    expect(tracker.container('lab')?.createdByLab).toBe(true);
    expect(tracker.container('mine')?.createdByLab).toBe(false);
    expect(tracker.container('probe')).toBeUndefined();

    engine.containers.delete('during');
    engine.emit([{ Type: 'container', Action: 'destroy', id: 'during' }]);
    await tick();
    await tracker.settled();
    expect(tracker.ledger().containers).toEqual([]);
    expect(tracker.container('lab')).toBeUndefined();
  });

  it('keeps looking while the listing still says running after a die event, and settled() waits', async () => {
    const engine = new FakeEngine();
    engine.add('x', 'bbox', {}, 'running');
    const tracker = await started(engine);
    const info = engine.containers.get('x') as unknown as { State: string };
    // Docker has said "die", but its listing says running for a while (a busy engine).
    engine.emit([{ Type: 'container', Action: 'die', id: 'x' }]);
    setTimeout(() => (info.State = 'exited'), 450);
    await tick(1);
    await tracker.settled();
    expect(tracker.container('bbox')?.state).toBe('exited');
  });

  it('takes a second look when the list view lags behind the event', async () => {
    const engine = new FakeEngine();
    const tracker = await started(engine);
    tracker.beginRecording();
    engine.add('slow', 'slow');
    engine.lagging.add('slow');
    engine.emit([{ Type: 'container', Action: 'create', id: 'slow' }]);
    await tick(1);
    await tracker.settled();
    expect(tracker.container('slow')?.createdByLab).toBe(true);
    // The first, empty look must not have cost the ledger entry.
    expect(tracker.ledger().containers).toEqual(['slow']);
  });

  it('reconnects with backoff after the stream ends and resyncs before reporting', async () => {
    const engine = new FakeEngine();
    const tracker = await started(engine);
    tracker.beginRecording();
    const seen: boolean[] = [];
    let gapKnownWhenBack: boolean | undefined;
    tracker.onConnection((reachable) => {
      seen.push(reachable);
      // By the time "back" is reported, the gap's creation is in the model.
      if (reachable) gapKnownWhenBack = tracker.container('gap')?.createdByLab;
    });
    engine.failEvents = 2;
    engine.add('gap', 'gap');
    const before = engine.eventCalls;
    engine.stream.end();

    const since = Date.now();
    while (seen.at(-1) !== true && Date.now() - since < 3000) await tick(20);
    expect(seen).toEqual([false, true]);
    // Refused after 250 ms and 500 ms, then it works after 1 s.
    expect(engine.eventCalls - before).toBe(3);
    expect(Date.now() - since).toBeGreaterThanOrEqual(250 + 500 + 1000 - 50);
    expect(gapKnownWhenBack).toBe(true);
    expect(tracker.ledger().containers).toEqual(['gap']);
  });
});
