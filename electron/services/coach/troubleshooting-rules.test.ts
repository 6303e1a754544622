// Lesson 15's mistakes, each in the lab's own situation (the five broken
// setups as the tracker models them), through the coach, so registration and
// order among the other rules are tested too: the rule that explains it, and
// the near-identical situation where it must stay silent. Some are explained
// by general rules (rules.ts, engine-rules.ts); this file proves it for them.
import { describe, expect, it } from 'vitest';
import type { CommandRecord, ContainerNode, NetworkNode, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { coach, coachRecords } from './coach';
import { ENGINE_RULES } from './engine-rules';
import { TROUBLESHOOTING_ENGINE_RULES } from './troubleshooting-rules';

const ID_APP = '7d3f0a9c1b2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90';

function net(name: string): NetworkNode {
  // Ids in hex, as Docker gives them: a network may be named by an id prefix.
  return { id: Buffer.from(name).toString('hex').padEnd(64, '0'), name, driver: name === 'host' || name === 'none' ? (name === 'none' ? 'null' : 'host') : 'bridge', builtin: ['bridge', 'host', 'none'].includes(name), createdByLab: !['bridge', 'host', 'none'].includes(name) };
}

function box(name: string, attachments: [string, string][], extra: Partial<ContainerNode> = {}): ContainerNode {
  return {
    id: `abc${name}`,
    name,
    image: name.endsWith('web') || name.endsWith('api') || name.endsWith('db') || name === 'ts4-app' ? 'httpd' : 'busybox',
    state: 'running',
    networkMode: attachments[0]?.[0] ?? 'none',
    networks: attachments.map(([network, ip]) => ({ network, ip, mac: '', gateway: '' })),
    createdByLab: true,
    ...extra,
  };
}

const NETWORKS = ['bridge', 'host', 'none', 'ts3-net', 'ts5-front', 'ts5-back'];
/** The lab as `setup:` leaves it. */
const LAB: ContainerNode[] = [
  box('ts1-web', [['bridge', '172.17.0.2']]),
  box('ts1-client', [['bridge', '172.17.0.3']]),
  box('ts2-web', [['bridge', '172.17.0.4']]),
  box('ts2-client', [['bridge', '172.17.0.5']]),
  box('ts3-db', [['ts3-net', '172.20.0.2']]),
  box('ts3-app', [['none', '']]),
  box('ts4-app', [['bridge', '']], { id: ID_APP, state: 'exited' }),
  box('ts4-side', [], { networkMode: 'container:ts4-app', joinedTo: 'ts4-app' }),
  box('ts5-api', [['ts5-back', '172.22.0.2']]),
  box('ts5-web', [['ts5-front', '172.21.0.2']]),
];
const LESSON = {
  containers: LAB.map((c) => c.name),
  networks: ['ts1-net', 'ts3-net', 'ts5-front', 'ts5-back', 'ts5-other'],
  images: ['busybox', 'httpd'],
};

/** The lab with some containers replaced (a fix or a near miss applied) and networks added. */
function lab(changed: ContainerNode[] = [], extraNetworks: string[] = []): Topology {
  const byName = new Map(changed.map((c) => [c.name, c]));
  return { networks: [...NETWORKS, ...extraNetworks].map(net), containers: LAB.map((c) => byName.get(c.name) ?? c) };
}

function hint(command: string, exitCode: number, topology: Topology = lab()): { rule?: string; en: string; zh: string } {
  const record: CommandRecord = { terminalId: 'host-1', command, exitCode, finishedAt: '2026-01-01T00:00:00.000Z' };
  const found = coach({ record, topology, lesson: LESSON });
  return { rule: found?.rule, en: found?.message.en ?? '', zh: found?.message['zh-CN'] ?? '' };
}

let seq = 0;
function rec(op: string, status: number, error: string | undefined, extra: Partial<EngineRecord> = {}): EngineRecord {
  return { seq: ++seq, at: '2026-01-01T00:00:00.000Z', op, method: 'POST', path: '/x', query: {}, status, durationMs: 1, ...(error ? { error } : {}), ...extra };
}

function engineHints(records: EngineRecord[], topology: Topology = lab()): ReturnType<typeof coachRecords> {
  return coachRecords({ records, topology, lesson: LESSON });
}

describe('challenge 1: a name on the default bridge', () => {
  it('dns-on-default-bridge explains the failed wget by name, as the challenge shows it, and nslookup too', () => {
    const h = hint('docker exec ts1-client wget -q -O- http://ts1-web/', 1);
    expect(h.rule).toBe('dns-on-default-bridge');
    expect(h.en).toContain('only on the default bridge');
    expect(h.en).toContain('`docker exec ts1-client wget -q -O- http://172.17.0.2/`');
    expect(h.en).toContain('`docker network create ts1-net`');
    expect(h.en).toContain('`docker network connect ts1-net ts1-client`');
    expect(h.en).toContain('`docker network connect ts1-net ts1-web`');
    expect(h.zh).toContain('默认的 bridge');
    expect(h.zh).toContain('`docker network connect ts1-net ts1-web`');
    // Bounded with timeout, and with curl: the same.
    expect(hint('docker exec ts1-client timeout 3 wget -q -O- http://ts1-web/', 1).rule).toBe('dns-on-default-bridge');
    expect(hint('docker exec ts1-client curl -s http://ts1-web:80/', 6).en).toContain('`docker exec ts1-client curl -s http://172.17.0.2:80/`');
    // nslookup has no by-address form: only the network.
    const ns = hint('docker exec ts1-client nslookup ts1-web', 1);
    expect(ns.rule).toBe('dns-on-default-bridge');
    expect(ns.en).toContain('Put both on a user-defined network: `docker network create ts1-net`');
    expect(ns.zh).toContain('把两者接入同一个自定义网络：先');
  });

  it('stays silent when it worked, by address, or once both share a user-defined network', () => {
    expect(hint('docker exec ts1-client wget -q -O- http://ts1-web/', 0).rule).toBeUndefined();
    expect(hint('docker exec ts1-client wget -q -O- http://172.17.0.2/', 1).rule).toBeUndefined();
    const fixed = lab([box('ts1-web', [['bridge', '172.17.0.2'], ['ts1-net', '172.23.0.2']]), box('ts1-client', [['bridge', '172.17.0.3'], ['ts1-net', '172.23.0.3']])], ['ts1-net']);
    expect(hint('docker exec ts1-client wget -q -O- http://ts1-web/', 1, fixed).rule).toBeUndefined();
    // A stopped server is another story (the name is not the problem there).
    expect(hint('docker exec ts1-client wget -q -O- http://ts1-web/', 1, lab([box('ts1-web', [['bridge', '']], { state: 'exited' })])).rule).toBeUndefined();
  });

  it('the near miss, only one of them on ts1-net: they share only the default bridge (ping-no-shared-network)', () => {
    const clientOnly = lab([box('ts1-client', [['bridge', '172.17.0.3'], ['ts1-net', '172.23.0.3']])], ['ts1-net']);
    const h = hint('docker exec ts1-client wget -q -O- http://ts1-web/', 1, clientOnly);
    expect(h.rule).toBe('ping-no-shared-network');
    expect(h.en).toContain('share only the default bridge, and names do not resolve there');
    expect(h.en).toContain('ts1-client is on bridge, ts1-net; ts1-web is on bridge');
    expect(h.en).toContain('`docker network connect ts1-net ts1-web`, and try again');
    expect(h.zh).toContain('只共享默认的 bridge 网络');
    expect(h.zh).toContain('`docker network connect ts1-net ts1-web`，然后再试一次');
    // The other way round: the server alone on ts1-net; the client is the one to connect.
    const serverOnly = lab([box('ts1-web', [['bridge', '172.17.0.2'], ['ts1-net', '172.23.0.2']])], ['ts1-net']);
    expect(hint('docker exec ts1-client ping -c 1 ts1-web', 1, serverOnly).en).toContain('`docker network connect ts1-net ts1-client`, and ping again');
  });
});

describe('challenge 3: a container on none', () => {
  const refused = (container: string, network: string, error = 'container cannot be connected to multiple networks with one of the networks in private (none) mode'): EngineRecord =>
    rec('network.connect', 400, error, { target: network, body: { Container: container, EndpointConfig: {} } });

  it('connect-while-on-none: the engine refuses docker network connect while the container is on none', () => {
    const [h, ...rest] = engineHints([refused('ts3-app', 'ts3-net')]);
    expect(rest).toEqual([]);
    expect(h?.rule).toBe('connect-while-on-none');
    expect(h?.source).toBe('engine');
    expect(h?.message.en).toContain('`docker network disconnect none ts3-app`, then `docker network connect ts3-net ts3-app`');
    expect(h?.message.en).toContain('`--network ts3-net`');
    expect(h?.message['zh-CN']).toContain('`docker network disconnect none ts3-app`');
    expect(h?.message['zh-CN']).not.toMatch(/^\s/);
    // Older engines capitalise the message; the network named by id is named by its name.
    expect(engineHints([refused('ts3-app', Buffer.from('ts3-net').toString('hex').slice(0, 12), 'Container cannot be connected to multiple networks with one of the networks in private (none) mode')])[0]?.message.en).toContain(
      'docker network connect ts3-net ts3-app',
    );
  });

  it('stays silent for connecting to none itself, for other refusals of a connect, and for a connect that worked', () => {
    expect(engineHints([refused('ts3-db', 'none')])).toEqual([]);
    expect(engineHints([refused('ts3-app', 'ts3-net', 'container cannot be disconnected from host network or connected to host network')])).toEqual([]);
    expect(engineHints([rec('network.connect', 200, undefined, { target: 'ts3-net', body: { Container: 'ts3-app' } })])).toEqual([]);
    // The same words from another call are not this mistake.
    expect(engineHints([rec('container.start', 400, 'container cannot be connected to multiple networks with one of the networks in private (none) mode', { target: 'ts3-app' })]).map((h) => h.rule)).not.toContain(
      'connect-while-on-none',
    );
  });

  it('the failed wget from ts3-app is left alone: none of the name rules speaks for a container on none', () => {
    expect(hint('docker exec ts3-app wget -q -O- http://ts3-db/', 1).rule).toBeUndefined();
    expect(hint('docker exec ts3-app ping -c 1 ts3-db', 1).rule).toBeUndefined();
    // Once it left none for ts3-net (its mode still says none), the network rules see it again.
    const moved = lab([box('ts3-app', [['ts3-net', '172.20.0.3']], { networkMode: 'none' })]);
    expect(hint('docker exec ts3-app wget -q -O- http://ts5-api/', 1, moved).en).toContain('docker network connect ts5-back ts3-app');
  });
});

describe('challenge 4: the sidecar and its stopped partner', () => {
  const notRunning = `cannot join network of a non running container: ${ID_APP}`;

  it('join-target-not-running (engine-rules.ts) explains docker restart and docker start of the sidecar while ts4-app is stopped', () => {
    const restart = engineHints([rec('container.restart', 500, `Cannot restart container ts4-side: ${notRunning}`, { target: 'ts4-side' })]);
    expect(restart.map((h) => h.rule)).toEqual(['join-target-not-running']);
    expect(restart[0]?.message.en).toContain('ts4-app is not running (state: exited)');
    expect(restart[0]?.message.en).toContain('`docker start ts4-app`');
    expect(restart[0]?.message['zh-CN']).toContain('`docker start ts4-app`');
    // After that failed restart the sidecar has exited; starting it fails the same way. It ran before: nothing to remove.
    const exited = lab([box('ts4-side', [], { networkMode: `container:ts4-app`, joinedTo: 'ts4-app', state: 'exited' })]);
    const start = engineHints([rec('container.start', 409, notRunning, { target: 'ts4-side' })], exited);
    expect(start.map((h) => h.rule)).toEqual(['join-target-not-running']);
    expect(start[0]?.message.en).not.toContain('docker rm');
    // Once ts4-app runs, the restart works and nothing is said.
    const running = lab([box('ts4-app', [['bridge', '172.17.0.9']], { id: ID_APP })]);
    expect(engineHints([rec('container.restart', 204, undefined, { target: 'ts4-side' })], running)).toEqual([]);
  });

  it('connect-shared-stack: connecting the sidecar itself to a network, with its stopped partner named', () => {
    const error = 'container sharing network namespace with another container or host cannot be connected to any other network';
    const [h] = engineHints([rec('network.connect', 400, error, { target: 'ts3-net', body: { Container: 'ts4-side' } })]);
    expect(h?.rule).toBe('connect-shared-stack');
    expect(h?.message.en).toContain('ts4-side shares the network stack of ts4-app');
    expect(h?.message.en).toContain('`docker network connect ts3-net ts4-app`');
    expect(h?.message.en).toContain('`docker start ts4-app`), then restart ts4-side (`docker restart ts4-side`)');
    expect(h?.message['zh-CN']).toContain('`docker restart ts4-side`');
    // Partner running: no word about restarting.
    const running = lab([box('ts4-app', [['bridge', '172.17.0.9']], { id: ID_APP })]);
    const [ok] = engineHints([rec('network.connect', 400, error, { target: 'ts3-net', body: { Container: 'ts4-side' } })], running);
    expect(ok?.rule).toBe('connect-shared-stack');
    expect(ok?.message.en).not.toContain('docker restart');
    // A network ts4-app is on already: nothing to connect, the sidecar has it.
    const [already] = engineHints([rec('network.connect', 400, error, { target: 'bridge', body: { Container: 'ts4-side' } })], running);
    expect(already?.message.en).toContain('ts4-app is already on bridge');
    expect(already?.message.en).not.toContain('docker network connect bridge ts4-app');
    expect(already?.message['zh-CN']).toContain('ts4-app 本来就在 bridge 上');
    // On the host's stack: run it again on the network.
    const host = lab([box('ts2-client', [['host', '']], { networkMode: 'host' })]);
    const [onHost] = engineHints([rec('network.connect', 400, error, { target: 'ts3-net', body: { Container: 'ts2-client' } })], host);
    expect(onHost?.message.en).toContain("runs on the host's network stack");
    expect(onHost?.message.en).toContain('`--network ts3-net`');
    // Unknown to the model: where to look.
    const [unknown] = engineHints([rec('network.connect', 400, error, { target: 'ts3-net', body: { Container: 'zz-other' } })]);
    expect(unknown?.message.en).toContain("docker inspect -f '{{.HostConfig.NetworkMode}}' zz-other");
    // Other refusals of a connect: not this rule.
    expect(engineHints([rec('network.connect', 403, 'endpoint with name ts4-side already exists in network bridge', { target: 'bridge', body: { Container: 'ts4-side' } })]).map((x) => x.rule)).not.toContain(
      'connect-shared-stack',
    );
  });

  it('says nothing of the sidecar wget itself: the model has no start times to tell a stale stack', () => {
    expect(hint('docker exec ts4-side wget -q -O- http://127.0.0.1/', 1).rule).toBeUndefined();
    const partnerBack = lab([box('ts4-app', [['bridge', '172.17.0.9']], { id: ID_APP })]);
    expect(hint('docker exec ts4-side wget -q -O- http://127.0.0.1/', 1, partnerBack).rule).toBeUndefined();
  });
});

describe('challenge 5: two islands', () => {
  it('ping-no-shared-network explains the failed wget by name, as the challenge shows it', () => {
    const h = hint('docker exec ts5-web wget -q -O- http://ts5-api/', 1);
    expect(h.rule).toBe('ping-no-shared-network');
    expect(h.en).toContain('ts5-web and ts5-api share no network (ts5-web is on ts5-front; ts5-api is on ts5-back)');
    expect(h.en).toContain('the name ts5-api does not resolve in ts5-web');
    expect(h.en).toContain('`docker network connect ts5-back ts5-web`, and try again');
    expect(h.zh).toContain('`docker network connect ts5-back ts5-web`，然后再试一次');
    expect(hint('docker exec ts5-web nslookup ts5-api', 1).rule).toBe('ping-no-shared-network');
  });

  it('explains the near misses the same way: a third network, or the default bridge, for ts5-web alone', () => {
    const other = lab([box('ts5-web', [['ts5-front', '172.21.0.2'], ['ts5-other', '172.24.0.2']])], ['ts5-other']);
    expect(hint('docker exec ts5-web wget -q -O- http://ts5-api/', 1, other).en).toContain('docker network connect ts5-back ts5-web');
    const bridge = lab([box('ts5-web', [['bridge', '172.17.0.8'], ['ts5-front', '172.21.0.2']])]);
    const h = hint('docker exec ts5-web wget -q -O- http://ts5-api/', 1, bridge);
    expect(h.rule).toBe('ping-no-shared-network');
    expect(h.en).toContain('share no network');
    expect(h.en).toContain('docker network connect ts5-back ts5-web');
  });

  it('stays silent once they share ts5-back, and for a name that is no container', () => {
    const fixed = lab([box('ts5-web', [['ts5-back', '172.22.0.3'], ['ts5-front', '172.21.0.2']])]);
    expect(hint('docker exec ts5-web wget -q -O- http://ts5-api/', 1, fixed).rule).toBeUndefined();
    expect(hint('docker exec ts5-web wget -q -O- http://ts5-api/', 0).rule).toBeUndefined();
    expect(hint('docker exec ts5-web wget -q -O- http://example.org/', 1).rule).toBeUndefined();
  });
});

describe('troubleshooting engine rules', () => {
  it('are registered with the engine rules, each id once', () => {
    const ids = ENGINE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of TROUBLESHOOTING_ENGINE_RULES) expect(ENGINE_RULES).toContain(rule);
  });
});
