// The lab tracker against the real engine: live model, ledger, reset safety,
// reconnect after a dropped event stream, and a burst of creations.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResetResult } from '../../electron/api/types';
import { LabTracker, type TopologyChange } from '../../electron/services/lab/tracker';
import { containerNames, dockerCli, networkNames, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-lab-';
const SOCKET = '/var/run/docker.sock';
const IGNORE_LABEL = 'io.netlab.helper';

let tmp: string;
const trackers: LabTracker[] = [];
const docker = new Dockerode({ socketPath: SOCKET });

async function startTracker(ledgerName: string, client: Dockerode = docker): Promise<LabTracker> {
  const tracker = new LabTracker(client, { ledgerFile: path.join(tmp, ledgerName), ignoreLabel: IGNORE_LABEL });
  trackers.push(tracker);
  await tracker.start();
  return tracker;
}

function run(name: string, ...extra: string[]): Promise<string> {
  return dockerCli('run', '-d', '--name', name, ...extra, 'busybox', 'sleep', '300');
}

/**
 * reset() removes whatever the engine created while recording, and other
 * helpers share this engine: refuse (and fail) rather than remove theirs.
 */
async function resetOwn(tracker: LabTracker): Promise<ResetResult> {
  await tracker.settled();
  const { containers, networks } = tracker.ledger();
  const foreign = [
    ...containers.map((id) => tracker.container(id)?.name ?? id),
    ...networks.map((id) => tracker.network(id)?.name ?? id),
  ].filter((name) => !name.startsWith(PREFIX));
  if (foreign.length > 0) throw new Error(`the ledger holds objects this test did not create (${foreign.join(', ')}): not resetting`);
  return tracker.reset();
}

function names(tracker: LabTracker, prefix: string): { containers: string[]; networks: string[] } {
  const t = tracker.topology();
  return {
    containers: t.containers.map((c) => c.name).filter((n) => n.startsWith(prefix)).sort(),
    networks: t.networks.map((n) => n.name).filter((n) => n.startsWith(prefix)).sort(),
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'netlab-tracker-'));
  await removeByPrefix(PREFIX);
});

afterEach(async () => {
  for (const tracker of trackers.splice(0)) await tracker.stop();
});

afterAll(async () => {
  await removeByPrefix(PREFIX);
  rmSync(tmp, { recursive: true, force: true });
});

describe('live model', () => {
  it('sees a container started by the CLI, with its address on bridge', async () => {
    const tracker = await startTracker('model.json');
    await run(`${PREFIX}a`);
    const node = await waitFor(() => {
      const c = tracker.container(`${PREFIX}a`);
      return c?.state === 'running' && c.networks[0]?.ip ? c : undefined;
    }, 'itest-lab-a running with an address');

    const [ip, mac, gateway] = (
      await dockerCli('inspect', '-f', '{{.NetworkSettings.Networks.bridge.IPAddress}} {{.NetworkSettings.Networks.bridge.MacAddress}} {{.NetworkSettings.Networks.bridge.Gateway}}', `${PREFIX}a`)
    ).split(' ');
    expect(node).toMatchObject({ image: 'busybox', networkMode: 'bridge', createdByLab: false });
    expect(node.networks).toEqual([{ network: 'bridge', ip, mac, gateway }]);
    // By name or full id only: a short id prefix could name another container than the lesson means.
    expect(tracker.container(node.id)?.name).toBe(`${PREFIX}a`);
    expect(tracker.container(node.id.slice(0, 12))).toBeUndefined();
    expect(tracker.network('bridge')).toMatchObject({ builtin: true, driver: 'bridge' });
    expect(tracker.network('none')?.builtin).toBe(true);
  });

  it('follows network create, connect and disconnect', async () => {
    const tracker = await startTracker('model.json');
    const changes: TopologyChange[] = [];
    tracker.onChange((c) => changes.push(c));
    await dockerCli('network', 'create', '--subnet', '10.213.7.0/24', `${PREFIX}net1`);
    await waitFor(() => tracker.network(`${PREFIX}net1`), 'the new network in the model');
    expect(tracker.network(`${PREFIX}net1`)).toMatchObject({ driver: 'bridge', subnet: '10.213.7.0/24', builtin: false });

    await dockerCli('network', 'connect', `${PREFIX}net1`, `${PREFIX}a`);
    const two = await waitFor(() => {
      const c = tracker.container(`${PREFIX}a`);
      return c?.networks.length === 2 ? c : undefined;
    }, 'two attachments');
    expect(two.networks.map((n) => n.network)).toEqual(['bridge', `${PREFIX}net1`]);
    expect(two.networks[1]?.ip).toMatch(/^10\.213\.7\.\d+$/);
    expect(changes.some((c) => c.touched.has(`${PREFIX}a`) && c.touched.has(`${PREFIX}net1`))).toBe(true);
    // Docker leaves the gateway out of IPAM when only a subnet was given: it comes from the attachment.
    expect(tracker.network(`${PREFIX}net1`)?.gateway).toBe(two.networks[1]?.gateway);
    expect(tracker.network(`${PREFIX}net1`)?.gateway).toBe('10.213.7.1');

    await dockerCli('network', 'disconnect', `${PREFIX}net1`, `${PREFIX}a`);
    await waitFor(() => tracker.container(`${PREFIX}a`)?.networks.length === 1, 'one attachment again');
    expect(tracker.container(`${PREFIX}a`)?.networks[0]?.network).toBe('bridge');

    await dockerCli('network', 'rm', `${PREFIX}net1`);
    await waitFor(() => !tracker.network(`${PREFIX}net1`), 'the network gone from the model');
  });

  it('reports none, host and container network modes', async () => {
    const tracker = await startTracker('model.json');
    await run(`${PREFIX}none`, '--net', 'none');
    await run(`${PREFIX}host`, '--net', 'host');
    await run(`${PREFIX}joined`, '--net', `container:${PREFIX}a`);
    await waitFor(() => tracker.container(`${PREFIX}joined`)?.state === 'running', 'joined container running');
    await waitFor(() => tracker.container(`${PREFIX}host`) && tracker.container(`${PREFIX}none`), 'none and host containers');

    expect(tracker.container(`${PREFIX}none`)?.networkMode).toBe('none');
    expect(tracker.container(`${PREFIX}host`)?.networkMode).toBe('host');
    const joined = tracker.container(`${PREFIX}joined`);
    expect(joined?.networkMode).toBe(`container:${PREFIX}a`);
    expect(joined?.joinedTo).toBe(`${PREFIX}a`);
    expect(joined?.networks).toEqual([]);

    // Renaming the target renames the join: resolved through the model, not stored.
    await dockerCli('rename', `${PREFIX}a`, `${PREFIX}a-renamed`);
    try {
      await waitFor(() => tracker.container(`${PREFIX}joined`)?.joinedTo === `${PREFIX}a-renamed`, 'joinedTo follows the rename');
    } finally {
      await dockerCli('rename', `${PREFIX}a-renamed`, `${PREFIX}a`);
    }
  });

  it('leaves out containers carrying the ignore label, even while recording', async () => {
    const tracker = await startTracker('ignore.json');
    tracker.beginRecording();
    await run(`${PREFIX}helper`, '--label', `${IGNORE_LABEL}=1`);
    await run(`${PREFIX}marker`);
    await waitFor(() => tracker.container(`${PREFIX}marker`), 'the marker container');
    await tracker.settled();
    expect(tracker.container(`${PREFIX}helper`)).toBeUndefined();
    const helperId = await dockerCli('inspect', '-f', '{{.Id}}', `${PREFIX}helper`);
    expect(tracker.ledger().containers).not.toContain(helperId);
    expect(tracker.ledger().containers).toHaveLength(1);
    await resetOwn(tracker);
    expect(await containerNames(`${PREFIX}helper`)).toEqual([`${PREFIX}helper`]);
    await dockerCli('rm', '-f', `${PREFIX}helper`);
  });

  it('does not report exec events as changes', async () => {
    const tracker = await startTracker('model.json');
    const touchedA: TopologyChange[] = [];
    tracker.onChange((c) => {
      if (c.touched.has(`${PREFIX}a`)) touchedA.push(c);
    });
    for (let i = 0; i < 3; i++) await dockerCli('exec', `${PREFIX}a`, 'true');
    await new Promise((r) => setTimeout(r, 300));
    await tracker.settled();
    expect(touchedA).toEqual([]);

    // The listener does work: a real state change is reported.
    await dockerCli('pause', `${PREFIX}a`);
    await waitFor(() => touchedA.some((c) => c.topology.containers.find((n) => n.name === `${PREFIX}a`)?.state === 'paused'), 'a change for pause');
    await dockerCli('unpause', `${PREFIX}a`);
    await waitFor(() => tracker.container(`${PREFIX}a`)?.state === 'running', 'running again');
  });
});

describe('ledger and reset', () => {
  it("removes what was created while recording and keeps the learner's own", async () => {
    const tracker = await startTracker('reset.json');
    // The learner's own, from before the lab opened.
    await run(`${PREFIX}own`);
    await dockerCli('network', 'create', `${PREFIX}ownnet`);
    await waitFor(() => tracker.container(`${PREFIX}own`) && tracker.network(`${PREFIX}ownnet`), 'own objects in the model');

    tracker.beginRecording();
    await run(`${PREFIX}rec1`);
    await dockerCli('network', 'create', `${PREFIX}recnet`);
    await run(`${PREFIX}rec2`, '--net', `${PREFIX}recnet`);
    // A pre-existing container joins a lab network; a lab container joins the learner's network.
    await dockerCli('network', 'connect', `${PREFIX}recnet`, `${PREFIX}own`);
    await dockerCli('network', 'connect', `${PREFIX}ownnet`, `${PREFIX}rec1`);
    await waitFor(() => tracker.ledger().containers.length === 2 && tracker.ledger().networks.length === 1, 'two containers and a network in the ledger');
    await waitFor(() => tracker.container(`${PREFIX}own`)?.networks.length === 2, 'own attached to the lab network');
    tracker.endRecording();

    expect(tracker.container(`${PREFIX}rec1`)?.createdByLab).toBe(true);
    expect(tracker.network(`${PREFIX}recnet`)?.createdByLab).toBe(true);
    expect(tracker.container(`${PREFIX}own`)?.createdByLab).toBe(false);
    expect(tracker.network(`${PREFIX}ownnet`)?.createdByLab).toBe(false);

    const result = await resetOwn(tracker);
    expect(result).toEqual({
      removedContainers: [`${PREFIX}rec1`, `${PREFIX}rec2`],
      removedNetworks: [`${PREFIX}recnet`],
      failed: [],
    });
    expect(await containerNames(`${PREFIX}rec`)).toEqual([]);
    expect(await networkNames(`${PREFIX}recnet`)).toEqual([]);
    expect(await containerNames(`${PREFIX}own`)).toEqual([`${PREFIX}own`]);
    expect(await networkNames(`${PREFIX}ownnet`)).toEqual([`${PREFIX}ownnet`]);
    expect(await dockerCli('inspect', '-f', '{{.State.Running}}', `${PREFIX}own`)).toBe('true');
    expect(tracker.ledger()).toEqual({ containers: [], networks: [] });
    await waitFor(() => tracker.container(`${PREFIX}own`)?.networks.length === 1, 'own detached from the removed network');

    // A second reset has nothing to do and touches nothing.
    expect(await resetOwn(tracker)).toEqual({ removedContainers: [], removedNetworks: [], failed: [] });
    expect(await containerNames(`${PREFIX}own`)).toEqual([`${PREFIX}own`]);
  });

  it('keeps the ledger on disk so a new tracker can reset what the first recorded', async () => {
    const ledgerFile = 'persist.json';
    const first = await startTracker(ledgerFile);
    first.beginRecording();
    const containerId = await run(`${PREFIX}p1`);
    await dockerCli('network', 'create', `${PREFIX}pnet`);
    await waitFor(() => first.ledger().containers.length === 1 && first.ledger().networks.length === 1, 'recorded');
    await first.stop();

    const onDisk = JSON.parse(readFileSync(path.join(tmp, ledgerFile), 'utf8')) as { containers: string[]; networks: string[] };
    expect(onDisk.containers).toEqual([containerId]);
    expect(onDisk.networks).toHaveLength(1);

    const second = await startTracker(ledgerFile);
    expect(second.ledger()).toEqual({ containers: onDisk.containers, networks: onDisk.networks });
    expect(second.container(`${PREFIX}p1`)?.createdByLab).toBe(true);
    const result = await resetOwn(second);
    expect(result.removedContainers).toEqual([`${PREFIX}p1`]);
    expect(result.removedNetworks).toEqual([`${PREFIX}pnet`]);
    expect(await containerNames(`${PREFIX}p1`)).toEqual([]);
    expect(await networkNames(`${PREFIX}pnet`)).toEqual([]);
  });

  it("labelled objects are the lab's whatever their names, and a reset finds them even when the ledger did not", async () => {
    // This test's own label value: a reset must never reach another instance's objects.
    const labLabel = { key: 'dev.netlab.lab', value: `itest-${process.pid}` };
    const tracker = new LabTracker(docker, { ledgerFile: path.join(tmp, 'labelled.json'), ignoreLabel: IGNORE_LABEL, labLabel, attribute: () => false });
    trackers.push(tracker);
    await tracker.start();
    tracker.beginRecording();
    await run(`${PREFIX}lab1`, '--label', `${labLabel.key}=${labLabel.value}`);
    await dockerCli('network', 'create', '--label', `${labLabel.key}=${labLabel.value}`, `${PREFIX}labnet`);
    // Unlabelled, or another instance's: not this lab's (attribute says no to every name).
    await run(`${PREFIX}plain`);
    await run(`${PREFIX}other`, '--label', `${labLabel.key}=someone-else`);
    await waitFor(() => tracker.ledger().containers.length === 1 && tracker.ledger().networks.length === 1, 'the labelled container and network in the ledger');
    await tracker.settled();
    expect(tracker.container(`${PREFIX}lab1`)?.createdByLab).toBe(true);
    expect(tracker.network(`${PREFIX}labnet`)?.createdByLab).toBe(true);
    expect(tracker.container(`${PREFIX}plain`)?.createdByLab).toBe(false);
    expect(tracker.container(`${PREFIX}other`)?.createdByLab).toBe(false);
    tracker.endRecording();
    // Made while nothing recorded (as after a crash before the event reached the ledger), but labelled.
    await run(`${PREFIX}lab2`, '--label', `${labLabel.key}=${labLabel.value}`);

    const result = await resetOwn(tracker);
    expect(result.removedContainers).toEqual([`${PREFIX}lab1`, `${PREFIX}lab2`]);
    expect(result.removedNetworks).toEqual([`${PREFIX}labnet`]);
    expect(await containerNames(`${PREFIX}plain`)).toEqual([`${PREFIX}plain`]);
    expect(await containerNames(`${PREFIX}other`)).toEqual([`${PREFIX}other`]);
  });

  it('drops ledger entries for objects removed by hand', async () => {
    const tracker = await startTracker('dropped.json');
    tracker.beginRecording();
    await run(`${PREFIX}gone`);
    await waitFor(() => tracker.ledger().containers.length === 1, 'recorded');
    await dockerCli('rm', '-f', `${PREFIX}gone`);
    await waitFor(() => tracker.ledger().containers.length === 0, 'dropped from the ledger');
    expect(tracker.container(`${PREFIX}gone`)).toBeUndefined();
  });
});

/** A unix-socket proxy to the engine that a test can cut and refuse at will. */
class CuttableProxy {
  readonly path: string;
  refusing = false;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(dir: string) {
    this.path = path.join(dir, 'proxy.sock');
    this.server = net.createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = net.connect(SOCKET);
      this.sockets.add(client).add(upstream);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream).pipe(client);
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('reconnect', () => {
  it('notices a dropped event stream, reconnects, and records what was created in the gap', async () => {
    const proxy = new CuttableProxy(tmp);
    await proxy.listen();
    try {
      const tracker = await startTracker('reconnect.json', new Dockerode({ socketPath: proxy.path }));
      const connection: { reachable: boolean; message?: string }[] = [];
      tracker.onConnection((reachable, message) => connection.push({ reachable, message }));
      tracker.beginRecording();

      proxy.cut();
      await waitFor(() => connection.some((c) => !c.reachable), 'onConnection(false)');
      expect(connection[0]?.message).toMatch(/event stream/);

      // Created while the tracker cannot hear anything.
      const gapId = await run(`${PREFIX}gap`);
      await dockerCli('network', 'create', `${PREFIX}gapnet`);
      await new Promise((r) => setTimeout(r, 600));
      expect(tracker.container(`${PREFIX}gap`)).toBeUndefined();
      proxy.refusing = false;

      await waitFor(() => connection.at(-1)?.reachable === true, 'onConnection(true)', 15_000);
      // onConnection(true) comes after the resync: the model is already up to date.
      expect(tracker.container(`${PREFIX}gap`)?.createdByLab).toBe(true);
      expect(tracker.ledger().containers).toEqual([gapId]);
      expect(tracker.network(`${PREFIX}gapnet`)?.createdByLab).toBe(true);

      // Events flow again on the new stream.
      await dockerCli('stop', '-t', '0', `${PREFIX}gap`);
      await waitFor(() => tracker.container(`${PREFIX}gap`)?.state === 'exited', 'the stop seen after reconnect');

      const result = await resetOwn(tracker);
      expect(result.removedContainers).toEqual([`${PREFIX}gap`]);
      expect(result.removedNetworks).toEqual([`${PREFIX}gapnet`]);
    } finally {
      for (const tracker of trackers.splice(0)) await tracker.stop();
      await proxy.close();
    }
  });
});

describe('burst', () => {
  it('keeps up with 50 containers created and removed in parallel', async () => {
    const tracker = await startTracker('burst.json');
    const burst = `${PREFIX}burst-`;
    const wanted = Array.from({ length: 50 }, (_, i) => `${burst}${String(i).padStart(2, '0')}`);
    await Promise.all(wanted.map((name) => dockerCli('create', '--name', name, 'busybox', 'true')));
    expect(await containerNames(burst)).toEqual(wanted);
    await waitFor(() => names(tracker, burst).containers.length === 50, 'all 50 in the model');
    await tracker.settled();
    expect(names(tracker, burst).containers).toEqual(wanted);

    await dockerCli('rm', '-f', ...wanted);
    await waitFor(() => names(tracker, burst).containers.length === 0, 'all 50 gone from the model');
    await tracker.settled();
    expect(names(tracker, burst).containers).toEqual(await containerNames(burst));

    // The whole model matches the engine (other tests may be busy: allow it to converge).
    await waitFor(async () => {
      await tracker.settled();
      const rows = (await dockerCli('ps', '-a', '--no-trunc', '--format', `{{.ID}}|{{.Label "${IGNORE_LABEL}"}}|`)).split('\n');
      // Containers with the ignore label are not in the model by design.
      const engine = rows.filter((r) => r.endsWith('||')).map((r) => r.slice(0, -2)).sort();
      const model = tracker.topology().containers.map((c) => c.id).sort();
      return JSON.stringify(engine) === JSON.stringify(model);
    }, 'model equal to docker ps -a');
  });
});
