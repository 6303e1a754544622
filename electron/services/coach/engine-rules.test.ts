// The engine rules with records as input: each refused call the relay recorded
// (messages as Docker 20.10 words them, read from the real engine through the
// relay) fires its rule, and a near-identical call that is no mistake does not.
import { describe, expect, it } from 'vitest';
import type { ContainerNode, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { ALIAS_ENGINE_RULES } from './alias-rules';
import { COMPOSE_ENGINE_RULES } from './compose-rules';
import { coachRecords } from './coach';
import { ISOLATION_ENGINE_RULES } from './isolation-rules';
import { ENGINE_RULES, sameImage, type EngineCoachInput } from './engine-rules';
import { PORT_RULES } from './port-rules';
import { TROUBLESHOOTING_ENGINE_RULES } from './troubleshooting-rules';

const ID_A = '283fff29b455f46af04a036e724b13cc967f4e7b6f0f1acb5bc87b4dc4e6d85f';
const ID_B = '9c1dbc443ea1a7f1137838e439d17a8e1778d0ed9ed3603f18345fb9c6a509b5';

function box(name: string, id: string, extra: Partial<ContainerNode> = {}): ContainerNode {
  return {
    id,
    name,
    image: 'busybox',
    state: 'running',
    networkMode: 'bridge',
    networks: [{ network: 'bridge', ip: '172.17.0.2', mac: '02:42:ac:11:00:02', gateway: '172.17.0.1' }],
    createdByLab: false,
    ...extra,
  };
}

function topo(containers: ContainerNode[] = [], networks: string[] = []): Topology {
  return {
    networks: ['bridge', 'host', 'none', ...networks].map((name) => ({ id: `${name}-id`, name, driver: 'bridge', builtin: ['bridge', 'host', 'none'].includes(name), createdByLab: false })),
    containers,
  };
}

let seq = 0;
function rec(op: string, status: number, error?: string, extra: Partial<EngineRecord> = {}): EngineRecord {
  return { seq: ++seq, at: '2026-01-01T00:00:00.000Z', op, method: 'POST', path: '/x', query: {}, status, durationMs: 1, ...(error ? { error } : {}), ...extra };
}

const ping = (): EngineRecord => rec('system.ping', 200);
const LESSON = { containers: ['bbox01', 'custom_bbox02'], networks: ['custom_network'], images: ['busybox'] };

function hints(records: EngineRecord[], topology = topo(), extra: Partial<EngineCoachInput> = {}): ReturnType<typeof coachRecords> {
  return coachRecords({ records, topology, lesson: LESSON, ...extra });
}

function rules(records: EngineRecord[], topology = topo(), extra: Partial<EngineCoachInput> = {}): string[] {
  return hints(records, topology, extra).map((h) => h.rule);
}

const fired = new Set<string>();
function expectRule(records: EngineRecord[], rule: string, topology = topo(), extra: Partial<EngineCoachInput> = {}): ReturnType<typeof coachRecords>[number] {
  const found = hints(records, topology, extra);
  expect(found.map((h) => h.rule)).toEqual([rule]);
  fired.add(rule);
  const [hint] = found;
  if (!hint) throw new Error('no hint');
  expect(hint.source).toBe('engine');
  expect(hint.message.en.length).toBeGreaterThan(20);
  expect(hint.message['zh-CN'].length).toBeGreaterThan(10);
  expect(hint.message['zh-CN']).not.toMatch(/^\s/);
  return hint;
}

describe('engine rules', () => {
  it('container-missing: rm, start, logs or exec of a name that does not exist, with a did-you-mean', () => {
    const hint = expectRule([ping(), rec('container.remove', 404, 'No such container: bbox1', { target: 'bbox1' })], 'container-missing', topo([box('bbox01', ID_A)]));
    expect(hint.message.en).toContain('Did you mean bbox01?');
    expect(hint.message['zh-CN']).toContain('bbox01');
    // What the learner saw is what the hint says it follows.
    expect(hint.command).toBe('No such container: bbox1');
    // `docker exec` and `docker logs` ask for the container first.
    const exec = expectRule([rec('container.inspect', 404, 'No such container: zz-missing', { target: 'zz-missing' })], 'container-missing');
    expect(exec.message.en).toContain('docker ps -a');
    // network connect names the missing container in its message, the network in its path.
    expect(rules([rec('network.connect', 404, 'No such container: zz-c', { target: 'custom_network' })], topo([], ['custom_network']))).toEqual(['container-missing']);
    // Near-misses: `docker rm -f` means "if it is there"; a found container; an image that is missing.
    expect(rules([rec('container.remove', 404, 'No such container: zz', { target: 'zz', query: { force: '1' } })])).toEqual([]);
    expect(rules([rec('container.inspect', 200, undefined, { target: 'bbox01' })])).toEqual([]);
    expect(rules([rec('container.create', 404, 'No such image: busybox:nope', { query: { name: 'x' } })])).toEqual([]);
  });

  it('is silent for `docker inspect NAME`, which asks for each kind in turn', () => {
    const t = 'zz-missing';
    const chain = [
      rec('container.inspect', 404, `No such container: ${t}`, { target: t }),
      rec('image.inspect', 404, `no such image: ${t}: No such image: ${t}:latest`, { target: t }),
      rec('network.inspect', 404, `network ${t} not found`, { target: t }),
      rec('volume.inspect', 404, `get ${t}: no such volume`, { target: t }),
      rec('other', 404, `plugin "${t}" not found`),
    ];
    expect(rules(chain)).toEqual([]);
    // …and for one that exists as a network.
    expect(rules([...chain.slice(0, 2), rec('network.inspect', 200, undefined, { target: t })])).toEqual([]);
  });

  it('exec-container-stopped: exec into a stopped or paused container', () => {
    const stopped = expectRule(
      [rec('container.inspect', 200, undefined, { target: 'zz-a' }), rec('container.exec', 409, `Container ${ID_A} is not running`, { target: 'zz-a' })],
      'exec-container-stopped',
      topo([box('zz-a', ID_A, { state: 'exited' })]),
    );
    expect(stopped.message.en).toContain('docker start zz-a');
    expect(stopped.message.en).toContain('docker run -di --name zz-a busybox');
    const paused = expectRule([rec('container.exec', 409, 'Container zz-r is paused, unpause the container before exec', { target: 'zz-r' })], 'exec-container-stopped', topo([box('zz-r', ID_B, { state: 'paused' })]));
    expect(paused.message.en).toContain('docker unpause zz-r');
    // Not in the model (yet): still explained, by the name the learner typed.
    expect(expectRule([rec('container.exec', 409, `Container ${ID_A} is not running`, { target: 'zz-a' })], 'exec-container-stopped').message.en).toContain('docker start zz-a');
  });

  it('container-not-running: kill or pause a stopped container', () => {
    const hint = expectRule(
      [rec('container.kill', 409, `Cannot kill container: zz-s: Container ${ID_A} is not running`, { target: 'zz-s' })],
      'container-not-running',
      topo([box('zz-s', ID_A, { state: 'exited' })]),
    );
    expect(hint.message.en).toContain('state: exited');
    expect(hint.message.en).toContain('docker start zz-s');
  });

  it('remove-running-container: docker rm of a running or paused container', () => {
    const running = expectRule(
      [rec('container.remove', 409, `You cannot remove a running container ${ID_A}. Stop the container before attempting removal or force remove`, { target: 'zz-a' })],
      'remove-running-container',
      topo([box('zz-a', ID_A)]),
    );
    expect(running.message.en).toContain('docker stop zz-a');
    expect(running.message.en).toContain('docker rm -f zz-a');
    const paused = expectRule(
      [rec('container.remove', 409, `You cannot remove a paused container ${ID_B}. Unpause and then stop the container before attempting removal or force remove`, { target: 'zz-r' })],
      'remove-running-container',
    );
    expect(paused.message.en).toContain('docker unpause zz-r');
  });

  it('name-in-use: run, create or rename with a name that is taken, by its holder state', () => {
    const conflict = `Conflict. The container name "/zz-a" is already in use by container "${ID_A}". You have to remove (or rename) that container to be able to reuse that name.`;
    const running = expectRule([rec('container.create', 409, conflict, { query: { name: 'zz-a' } })], 'name-in-use', topo([box('zz-a', ID_A)]));
    expect(running.message.en).toContain('docker rm -f zz-a');
    const created = expectRule([rec('container.create', 409, conflict)], 'name-in-use', topo([box('zz-a', ID_A, { state: 'created' })]));
    expect(created.message.en).toContain('left over from an earlier attempt');
    const rename = hints([rec('container.rename', 409, `Error when allocating new name: ${conflict}`, { target: 'zz-b' })]);
    expect(rename.map((h) => h.rule)).toEqual(['name-in-use']);
    expect(rename[0]?.message.en).toContain('docker ps -a');
  });

  it('network-not-found: remove, inspect, connect, or run with a network that does not exist; the leftover container named', () => {
    const rm = expectRule(
      [rec('network.inspect', 404, 'network custom_netwrk not found', { target: 'custom_netwrk' }), rec('network.remove', 404, 'network custom_netwrk not found', { target: 'custom_netwrk' })],
      'network-not-found',
      topo([], ['custom_network']),
    );
    expect(rm.message.en).toContain('Did you mean custom_network?');
    const run = expectRule(
      [rec('container.create', 201, undefined, { created: ID_B }), rec('container.start', 404, 'network zz-nope not found', { target: ID_B })],
      'network-not-found',
      topo([box('zz-b', ID_B, { state: 'created', networks: [] })]),
    );
    expect(run.message.en).toContain('docker network create zz-nope');
    expect(run.message.en).toContain('docker rm zz-b');
    // Newer engines word it with a prefix.
    expect(rules([rec('container.start', 404, 'failed to set up container networking: network zz-nope not found', { target: ID_B })])).toEqual(['network-not-found']);
  });

  it('join-target-not-running: --net container:X with X stopped, and the leftover', () => {
    const hint = expectRule(
      [rec('container.start', 409, `cannot join network of a non running container: ${ID_A}`, { target: ID_B })],
      'join-target-not-running',
      topo([box('zz-a', ID_A, { state: 'exited' }), box('zz-c', ID_B, { state: 'created' })]),
    );
    expect(hint.message.en).toContain('docker start zz-a');
    expect(hint.message.en).toContain('docker rm zz-c');
  });

  it('network-exists, network-builtin-rm, network-in-use', () => {
    expect(expectRule([rec('network.create', 409, 'network with name zz-n already exists')], 'network-exists').message.en).toContain('docker network inspect zz-n');
    expect(expectRule([rec('network.inspect', 200, undefined, { target: 'bridge' }), rec('network.remove', 403, 'bridge is a pre-defined network and cannot be removed', { target: 'bridge' })], 'network-builtin-rm').message.en).toContain('built-in');
    const inUse = expectRule(
      [rec('network.remove', 403, 'error while removing network: network zz-n id 9aabcdef174b4039995546cf2b279def10a466c73bd6aba0db693501a4b14407 has active endpoints', { target: 'zz-n' })],
      'network-in-use',
      topo([box('zz-a', ID_A, { networks: [{ network: 'zz-n', ip: '172.19.0.2', mac: '', gateway: '' }] })], ['zz-n']),
    );
    expect(inUse.message.en).toContain('docker network disconnect zz-n zz-a');
    // The model does not know who is attached: the hint says where to look.
    expect(rules([rec('network.remove', 409, 'error while removing network: network zz-n id 9aab has active endpoints', { target: 'zz-n' })])).toEqual(['network-in-use']);
  });

  it('already-connected and not-connected', () => {
    const t = topo([box('zz-a', ID_A, { networks: [{ network: 'zz-n', ip: '172.19.0.2', mac: '', gateway: '' }] })], ['zz-n', 'zz-m']);
    expect(expectRule([rec('network.connect', 403, 'endpoint with name zz-a already exists in network zz-n', { target: 'zz-n' })], 'already-connected', t).message.en).toContain('address 172.19.0.2');
    const not = expectRule([rec('network.disconnect', 500, `container ${ID_A} is not connected to network zz-m`, { target: 'zz-m' })], 'not-connected', t);
    expect(not.message.en).toContain('zz-a is not connected to zz-m');
    expect(not.message.en).toContain('It is on: zz-n.');
  });

  it('image-unavailable: offline, an image is not here and cannot be pulled: image packs and the Pull button', () => {
    const offline = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host';
    const burst = [
      rec('container.create', 404, 'No such image: busybox:latest'),
      rec('image.pull', 500, offline, { query: { fromImage: 'busybox', tag: 'latest' } }),
    ];
    const lab = expectRule(burst, 'image-unavailable');
    expect(lab.message.en).toContain('busybox:latest is not on this machine');
    expect(lab.message.en).toContain('Import image pack');
    expect(lab.message.en).toContain('Pull button');
    expect(lab.message['zh-CN']).toContain('镜像包');
    // Not one of the lesson's images: the tag is the likely mistake.
    const typo = expectRule([rec('image.pull', 500, offline, { query: { fromImage: 'busybox', tag: 'nope-tag' } })], 'image-unavailable');
    expect(typo.message.en).toContain('This lesson uses busybox');
    expect(typo.message.en).toContain('check the name and the tag');
    // A pull that worked says nothing; neither does the create it followed.
    expect(rules([burst[0] as EngineRecord, rec('image.pull', 200, undefined, { query: { fromImage: 'busybox', tag: 'latest' } }), rec('container.create', 201)])).toEqual([]);
  });

  it('image-not-found: the registry has no such image or tag', () => {
    const hint = expectRule(
      [rec('image.pull', 404, 'manifest for busybox:nope-tag not found: manifest unknown: manifest unknown', { query: { fromImage: 'busybox', tag: 'nope-tag' } })],
      'image-not-found',
    );
    expect(hint.message.en).toContain('busybox:nope-tag');
    expect(rules([rec('image.pull', 404, 'pull access denied for nosuchimage, repository does not exist or may require \'docker login\'', { query: { fromImage: 'nosuchimage', tag: 'latest' } })])).toEqual(['image-not-found']);
  });

  it('image-in-use: removing an image a container still uses names the container', () => {
    const hint = expectRule(
      [rec('image.remove', 409, 'conflict: unable to remove repository reference "busybox" (must force) - container 283fff29b455 is using its referenced image b7aa52899083', { target: 'busybox' })],
      'image-in-use',
      topo([box('zz-a', ID_A)]),
    );
    expect(hint.message.en).toContain('docker rm -f zz-a');
    expect(hint.message.en).toContain('This lesson needs busybox');
  });

  it('says nothing of an unreachable engine (the app says that), of successes, or of what it does not know', () => {
    expect(rules([rec('container.remove', 0, 'NetLab lab relay: the Docker engine at unix:///var/run/docker.sock cannot be reached (connect ENOENT)', { target: 'x' })])).toEqual([]);
    expect(rules([ping(), rec('container.create', 201, undefined, { created: ID_A }), rec('container.start', 204, undefined, { target: ID_A })])).toEqual([]);
    expect(rules([rec('other', 404, 'plugin "x" not found')])).toEqual([]);
    expect(rules([rec('container.remove', 500, 'something unexpected', { target: 'x' })])).toEqual([]);
  });

  it('gives one hint per rule in a burst, in the order of the calls', () => {
    const burst = [
      rec('container.remove', 404, 'No such container: a', { target: 'a' }),
      rec('container.remove', 404, 'No such container: b', { target: 'b' }),
      rec('network.remove', 404, 'network zz not found', { target: 'zz' }),
    ];
    expect(rules(burst)).toEqual(['container-missing', 'network-not-found']);
    expect(hints(burst)[0]?.message.en).toContain('named a.');
  });

  it('every engine rule has a unique id, and each fired above', () => {
    const ids = ENGINE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The rules of a lesson's own module are fired by that module's tests.
    const elsewhere = [...ALIAS_ENGINE_RULES, ...COMPOSE_ENGINE_RULES, ...PORT_RULES, ...ISOLATION_ENGINE_RULES, ...TROUBLESHOOTING_ENGINE_RULES];
    const own = ENGINE_RULES.filter((r) => !elsewhere.includes(r)).map((r) => r.id);
    expect([...fired].sort()).toEqual([...own].sort());
  });
});

describe('sameImage', () => {
  it('reads Docker Hub references the way Docker does', () => {
    expect(sameImage('busybox', 'docker.io/library/busybox:latest')).toBe(true);
    expect(sameImage('busybox:1.36', 'busybox')).toBe(false);
    expect(sameImage('localhost:5000/busybox', 'localhost:5000/busybox:latest')).toBe(true);
    expect(sameImage('httpd', 'busybox')).toBe(false);
  });
});
