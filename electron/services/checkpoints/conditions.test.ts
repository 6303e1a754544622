import { describe, expect, it } from 'vitest';
import type { CommandRecord, ContainerNode, Localized, NetworkNode } from '../../api/types';
import { conditionSchema, type Condition } from '../lessons/checkpoint-schema';
import type { EngineRecord } from '../relay/engine-record';
import { evaluateAll, expandTemplates, sameImage, type ConditionContext, type ProbeResult } from './conditions';

function container(name: string, over: Partial<ContainerNode> = {}): ContainerNode {
  return {
    id: `id-${name}`, name, image: 'busybox', state: 'running', networkMode: 'custom_network', createdByLab: true,
    networks: [{ network: 'custom_network', ip: '172.19.0.3', mac: '02:42:ac:13:00:03', gateway: '172.19.0.1' }],
    ...over,
  };
}

function ctx(parts: {
  containers?: ContainerNode[]; networks?: NetworkNode[]; commands?: CommandRecord[]; output?: string;
  probe?: (c: string, cmd: string[]) => ProbeResult;
  refuse?: (c: ContainerNode) => Localized | undefined;
  records?: EngineRecord[];
}): ConditionContext & { probes: string[][]; probedIds: string[] } {
  const probedIds: string[] = [];
  const probes: string[][] = [];
  return {
    probes,
    probedIds,
    container: (n) => parts.containers?.find((c) => c.name === n),
    network: (n) => parts.networks?.find((x) => x.name === n),
    commands: () => parts.commands ?? [],
    engineRecords: () => parts.records ?? [],
    output: () => parts.output ?? '',
    quizCorrect: () => false,
    probeRefusal: (c) => parts.refuse?.(c),
    probe: async (c, cmd) => { probes.push(cmd); probedIds.push(c); return parts.probe?.(c, cmd) ?? { exitCode: 0, output: '', timedOut: false }; },
  };
}

const cond = (c: unknown): Condition => conditionSchema.parse(c);
const cmd = (command: string, exitCode = 0): CommandRecord => ({ terminalId: 'host-1', command, exitCode, finishedAt: '' });
const net = (name: string, driver = 'bridge'): NetworkNode => ({ id: name, name, driver, builtin: false, createdByLab: true });

describe('conditions', () => {
  it('network: passes when it exists with the driver, names the gap otherwise', async () => {
    const c = [cond({ kind: 'network', network: 'custom_network', driver: 'bridge' })];
    expect(await evaluateAll(c, ctx({ networks: [net('custom_network')] }))).toEqual({ ok: true });
    expect(await evaluateAll(c, ctx({ networks: [net('custom-network')] }))).toMatchObject({ ok: false, reason: { en: 'Network custom_network does not exist yet.' } });
    expect(await evaluateAll(c, ctx({ networks: [net('custom_network', 'macvlan')] }))).toMatchObject({ ok: false });
  });

  it('container on the default bridge instead of the user-defined network fails with a reason', async () => {
    const c = [cond({ kind: 'container', container: 'custom_bbox03', state: 'running', networkMode: 'custom_network' })];
    const onBridge = container('custom_bbox03', { networkMode: 'bridge', networks: [{ network: 'bridge', ip: '172.17.0.3', mac: 'm', gateway: 'g' }] });
    expect(await evaluateAll(c, ctx({ containers: [onBridge] }))).toMatchObject({
      ok: false, reason: { en: 'custom_bbox03 is on network bridge, not custom_network.' },
    });
    expect(await evaluateAll(c, ctx({ containers: [container('custom_bbox03')] }))).toEqual({ ok: true });
  });

  it('container: state, image, networks, notNetworks, addressOn, exists:false', async () => {
    const stopped = container('b', { state: 'exited' });
    expect(await evaluateAll([cond({ kind: 'container', container: 'b', state: 'running' })], ctx({ containers: [stopped] }))).toMatchObject({ ok: false });
    expect(await evaluateAll([cond({ kind: 'container', container: 'b', state: 'stopped' })], ctx({ containers: [stopped] }))).toEqual({ ok: true });
    expect(await evaluateAll([cond({ kind: 'container', container: 'b', image: 'busybox:latest' })], ctx({ containers: [stopped] }))).toEqual({ ok: true });
    expect(await evaluateAll([cond({ kind: 'container', container: 'b', image: 'httpd' })], ctx({ containers: [stopped] }))).toMatchObject({ ok: false });
    const two = container('d', { networks: [
      { network: 'bridge', ip: '172.17.0.2', mac: 'm', gateway: 'g' },
      { network: 'custom_network', ip: '', mac: '', gateway: '' },
    ] });
    expect(await evaluateAll([cond({ kind: 'container', container: 'd', networks: ['bridge', 'custom_network'] })], ctx({ containers: [two] }))).toEqual({ ok: true });
    expect(await evaluateAll([cond({ kind: 'container', container: 'd', notNetworks: ['bridge'] })], ctx({ containers: [two] }))).toMatchObject({ ok: false });
    expect(await evaluateAll([cond({ kind: 'container', container: 'd', addressOn: 'custom_network' })], ctx({ containers: [two] }))).toMatchObject({ ok: false });
    expect(await evaluateAll([cond({ kind: 'container', container: 'gone', exists: false })], ctx({}))).toEqual({ ok: true });
  });

  it('command: matches pattern and exit code, with ${ip:} templates escaped', async () => {
    const c = [cond({ kind: 'command', pattern: 'docker\\s+exec\\b.*\\bping\\b.*${ip:custom_bbox03@custom_network}' })];
    const containers = [container('custom_bbox03')];
    expect(await evaluateAll(c, ctx({ containers, commands: [cmd('docker exec custom_bbox02 ping -c 2 172.19.0.3')] }))).toEqual({ ok: true });
    // A dot in the address must not match any character.
    expect(await evaluateAll(c, ctx({ containers, commands: [cmd('docker exec custom_bbox02 ping -c 2 172x19x0x3')] }))).toMatchObject({ ok: false });
    expect(await evaluateAll(c, ctx({ containers, commands: [cmd('docker exec custom_bbox02 ping -c 2 172.19.0.3', 1)] }))).toMatchObject({ ok: false, reason: { en: expect.stringContaining('exit code 1') } });
    expect(await evaluateAll(c, ctx({ commands: [cmd('docker exec custom_bbox02 ping 172.19.0.3')] }))).toMatchObject({ ok: false, reason: { en: expect.stringContaining('no container named custom_bbox03') } });
  });

  it('probe runs only after the cheap conditions hold, and compares exit code and output', async () => {
    const c = [
      cond({ kind: 'probe', container: 'custom_bbox02', command: ['ping', '-c1', '-W1', 'custom_bbox03'], output: '1 packets received' }),
      cond({ kind: 'network', network: 'custom_network' }),
    ];
    const missingNet = ctx({ containers: [container('custom_bbox02')] });
    expect(await evaluateAll(c, missingNet)).toMatchObject({ ok: false });
    expect(missingNet.probes).toEqual([]);
    const ok = ctx({ containers: [container('custom_bbox02')], networks: [net('custom_network')], probe: () => ({ exitCode: 0, output: '1 packets transmitted, 1 packets received', timedOut: false }) });
    expect(await evaluateAll(c, ok)).toEqual({ ok: true });
    const bad = ctx({ containers: [container('custom_bbox02')], networks: [net('custom_network')], probe: () => ({ exitCode: 1, output: 'ping: bad address', timedOut: false }) });
    expect(await evaluateAll(c, bad)).toMatchObject({ ok: false, reason: { en: expect.stringContaining('exit code 1') } });
    const stopped = ctx({ containers: [container('custom_bbox02', { state: 'exited' })], networks: [net('custom_network')] });
    expect(await evaluateAll(c, stopped)).toMatchObject({ ok: false });
    expect(stopped.probes).toEqual([]);
  });

  it('probe runs by exact name in that container only, and not at all where it is refused', async () => {
    const c = [cond({ kind: 'probe', container: 'db', command: ['ls', '/'] })];
    // A container whose id merely starts with the name is not it.
    const prefix = ctx({ containers: [container('someone-elses', { id: 'db0123456789' })] });
    prefix.container = (n) => (n === 'db' ? container('someone-elses', { id: 'db0123456789' }) : undefined);
    expect(await evaluateAll(c, prefix)).toMatchObject({ ok: false, reason: { en: 'There is no container named db yet.' } });
    expect(prefix.probes).toEqual([]);

    const refused = ctx({ containers: [container('db')], refuse: () => ({ en: 'not the lab\'s', 'zh-CN': '不是' }) });
    expect(await evaluateAll(c, refused)).toMatchObject({ ok: false, reason: { en: "not the lab's" } });
    expect(refused.probes).toEqual([]);

    const allowed = ctx({ containers: [container('db')] });
    expect(await evaluateAll(c, allowed)).toEqual({ ok: true });
    expect(allowed.probedIds).toEqual(['id-db']);
  });

  it('probe that is not read-only once its templates are filled in does not run', async () => {
    const c = [cond({ kind: 'probe', container: 'db', command: ['sh', '-c', 'id'] })];
    const x = ctx({ containers: [container('db')] });
    expect(await evaluateAll(c, x)).toMatchObject({ ok: false, reason: { en: expect.stringContaining('not read-only') } });
    expect(x.probes).toEqual([]);
  });

  describe('engine: the Docker API calls the relay saw', () => {
    let seq = 0;
    const rec = (op: string, over: Partial<EngineRecord> = {}): EngineRecord => ({
      seq: ++seq, at: '', op, method: 'POST', path: '/', query: {}, status: 200, durationMs: 1, ...over,
    });
    const exec = (container: string, command: string[], exitCode: number, containerId = `id-${container}`): EngineRecord =>
      rec('exec.start', { target: 'e1', exec: { container, containerId, command, exitCode } });
    const bbox01 = container('bbox01', { id: 'f00dbabe0001' });

    it('an exec in a container whose command starts with ip a, that succeeded; not a failed one, nor another container', async () => {
      const c = [cond({ kind: 'engine', call: 'exec', container: 'bbox01', command: '^ip\\s+(?:-\\S+\\s+)*a(?:ddr)?(?:\\s|$)' })];
      const containers = [bbox01, container('bbox02')];
      expect(await evaluateAll(c, ctx({ containers, records: [exec('bbox01', ['ip', 'a'], 0, 'f00dbabe0001')] }))).toEqual({ ok: true });
      // Typed with an id prefix, or through an alias or a script: the engine saw the same exec.
      expect(await evaluateAll(c, ctx({ containers, records: [exec('f00d', ['ip', '-4', 'addr'], 0, 'f00dbabe0001')] }))).toEqual({ ok: true });
      expect(await evaluateAll(c, ctx({ containers, records: [exec('bbox01', ['ip', 'a'], 1, 'f00dbabe0001')] }))).toMatchObject({ ok: false, reason: { en: expect.stringContaining('exit code 1') } });
      expect(await evaluateAll(c, ctx({ containers, records: [exec('bbox02', ['ip', 'a'], 0)] }))).toMatchObject({ ok: false, reason: { en: expect.stringContaining('has not been run') } });
      expect(await evaluateAll(c, ctx({ containers, records: [exec('bbox01', ['ip', 'route'], 0, 'f00dbabe0001')] }))).toMatchObject({ ok: false });
      // An exec that was created but never finished is no evidence.
      expect(await evaluateAll(c, ctx({ containers, records: [rec('container.exec', { target: 'bbox01', body: { Cmd: ['ip', 'a'] } })] }))).toMatchObject({ ok: false });
    });

    it('an inspect of a container, a network list, a network create with the bridge driver', async () => {
      const inspect = [cond({ kind: 'engine', call: 'container.inspect', container: 'web1' })];
      expect(await evaluateAll(inspect, ctx({ containers: [container('web1')], records: [rec('container.inspect', { method: 'GET', target: 'web1' })] }))).toEqual({ ok: true });
      expect(await evaluateAll(inspect, ctx({ containers: [container('web1')], records: [rec('container.inspect', { method: 'GET', target: 'web2' })] }))).toMatchObject({ ok: false });
      expect(await evaluateAll(inspect, ctx({ containers: [container('web1')], records: [rec('container.inspect', { target: 'web1', status: 404, error: 'No such container: web1' })] }))).toMatchObject({ ok: false, reason: { en: expect.stringContaining('No such container') } });
      expect(await evaluateAll([cond({ kind: 'engine', call: 'network.list' })], ctx({ records: [rec('network.list', { method: 'GET' })] }))).toEqual({ ok: true });
      const bridge = [cond({ kind: 'engine', call: 'network.create', body: { Driver: 'bridge' } })];
      expect(await evaluateAll(bridge, ctx({ records: [rec('network.create', { status: 201, body: { Name: 'n', Driver: 'bridge', Labels: {} } })] }))).toEqual({ ok: true });
      expect(await evaluateAll(bridge, ctx({ records: [rec('network.create', { status: 201, body: { Name: 'n', Driver: 'macvlan' } })] }))).toMatchObject({ ok: false });
    });

    it('a create by name that was not --privileged (lesson 13: an engine that cannot start privileged containers never shows this)', async () => {
      const unprivileged = [cond({ kind: 'engine', call: 'container.create', query: { name: 'nslab' }, body: { HostConfig: { Privileged: false } } })];
      const create = (name: string, privileged: boolean): EngineRecord =>
        rec('container.create', { status: 201, query: { name }, body: { Image: 'nicolaka/netshoot', HostConfig: { Privileged: privileged, CapAdd: ['NET_ADMIN', 'SYS_ADMIN'] } } });
      expect(await evaluateAll(unprivileged, ctx({ records: [create('nslab', false)] }))).toEqual({ ok: true });
      expect(await evaluateAll(unprivileged, ctx({ records: [create('nslab', true)] }))).toMatchObject({ ok: false });
      expect(await evaluateAll(unprivileged, ctx({ records: [create('nslab2', false)] }))).toMatchObject({ ok: false });
    });

    it('a container create joined to web1, by any name; several calls may do', async () => {
      const joined = [cond({ kind: 'engine', call: 'container.create', body: { HostConfig: { NetworkMode: 'container:web1' } } })];
      expect(await evaluateAll(joined, ctx({ records: [rec('container.create', { status: 201, body: { Image: 'busybox', HostConfig: { NetworkMode: 'container:web1', Privileged: false } } })] }))).toEqual({ ok: true });
      expect(await evaluateAll(joined, ctx({ records: [rec('container.create', { status: 201, body: { Image: 'busybox', HostConfig: { NetworkMode: 'bridge' } } })] }))).toMatchObject({ ok: false });
      const started = [cond({ kind: 'engine', call: ['container.start', 'container.restart'], container: 'bbox04' })];
      expect(await evaluateAll(started, ctx({ containers: [container('bbox04')], records: [rec('container.restart', { target: 'bbox04', status: 204 })] }))).toEqual({ ok: true });
    });
  });

  it('output: a pattern seen in the terminal', async () => {
    const c = [cond({ kind: 'output', terminal: 'host', pattern: 'inet 172\\.17\\.' })];
    expect(await evaluateAll(c, ctx({ output: '    inet 172.17.0.2/16 brd' }))).toEqual({ ok: true });
    expect(await evaluateAll(c, ctx({ output: 'inet 127.0.0.1/8' }))).toMatchObject({ ok: false });
  });

  it("output: read by the key of the terminal the lesson names (a container's is prefixed)", async () => {
    const printed: Record<string, string> = { host: 'from the host shell', 'docker-host': 'from the host view', 'container:web': 'from web' };
    const x: ConditionContext = { ...ctx({}), output: (key) => printed[key] ?? '' };
    const seen = async (terminal: string, pattern: string): Promise<boolean> => (await evaluateAll([cond({ kind: 'output', terminal, pattern })], x)).ok;
    expect(await seen('host', 'host shell')).toBe(true);
    expect(await seen('docker-host', 'host view')).toBe(true);
    expect(await seen('web', 'from web')).toBe(true);
    expect(await seen('web', 'host shell')).toBe(false);
  });

  it('expands templates and reports a missing address', () => {
    const c = { container: (n: string) => (n === 'a' ? container('a') : undefined) };
    expect(expandTemplates('ping ${ip:a@custom_network}', c)).toEqual({ text: 'ping 172.19.0.3' });
    expect(expandTemplates('ping ${ip:a@bridge}', c)).toMatchObject({ missing: { en: 'a has no address on bridge.' } });
  });

  it('network: internal and ipv6 flags, either way', async () => {
    const sealed: NetworkNode = { ...net('vault_net'), internal: true };
    const dual: NetworkNode = { ...net('v6_net'), ipv6: true, subnet6: 'fd00:1::/64' };
    const plain = net('plain_net');
    const ok = async (c: unknown, n: NetworkNode): Promise<boolean> => (await evaluateAll([cond(c)], ctx({ networks: [n] }))).ok;
    expect(await ok({ kind: 'network', network: 'vault_net', internal: true }, sealed)).toBe(true);
    expect(await ok({ kind: 'network', network: 'plain_net', internal: true }, plain)).toBe(false);
    expect(await ok({ kind: 'network', network: 'plain_net', internal: false }, plain)).toBe(true);
    expect(await ok({ kind: 'network', network: 'vault_net', internal: false }, sealed)).toBe(false);
    expect(await ok({ kind: 'network', network: 'v6_net', ipv6: true }, dual)).toBe(true);
    expect(await ok({ kind: 'network', network: 'plain_net', ipv6: true }, plain)).toBe(false);
    expect(await ok({ kind: 'network', network: 'v6_net', ipv6: false }, dual)).toBe(false);
    expect(await evaluateAll([cond({ kind: 'network', network: 'plain_net', internal: true })], ctx({ networks: [plain] }))).toMatchObject({
      ok: false, reason: { en: 'Network plain_net is not internal: create it with --internal.' },
    });
    expect(await evaluateAll([cond({ kind: 'network', network: 'plain_net', ipv6: true })], ctx({ networks: [plain] }))).toMatchObject({
      ok: false, reason: { en: 'Network plain_net has no IPv6: create it with --ipv6 and an IPv6 --subnet.' },
    });
  });

  it('container: ipv6On, and ${ip6:…} templates', async () => {
    const v6 = container('a', { networks: [{ network: 'v6_net', ip: '172.30.0.2', mac: 'm', gateway: 'g', ip6: 'fd00:1::2' }] });
    const v4 = container('b', { networks: [{ network: 'v4_net', ip: '172.31.0.2', mac: 'm', gateway: 'g' }] });
    expect(await evaluateAll([cond({ kind: 'container', container: 'a', ipv6On: 'v6_net' })], ctx({ containers: [v6] }))).toEqual({ ok: true });
    expect(await evaluateAll([cond({ kind: 'container', container: 'b', ipv6On: 'v4_net' })], ctx({ containers: [v4] }))).toMatchObject({
      ok: false, reason: { en: 'b has no IPv6 address on v4_net (was v4_net created with --ipv6?).' },
    });
    expect(await evaluateAll([cond({ kind: 'container', container: 'b', ipv6On: 'v6_net' })], ctx({ containers: [v4] }))).toMatchObject({ ok: false });
    const c = { container: (n: string) => [v6, v4].find((x) => x.name === n) };
    expect(expandTemplates('ping -6 ${ip6:a@v6_net}', c)).toEqual({ text: 'ping -6 fd00:1::2' });
    expect(expandTemplates('ping ${ip:a@v6_net}', c)).toEqual({ text: 'ping 172.30.0.2' });
    expect(expandTemplates('ping -6 ${ip6:b@v4_net}', c)).toMatchObject({ missing: { en: 'b has no IPv6 address on v4_net (was v4_net created with --ipv6?).' } });
    // An engine pattern with an IPv6 address: its colons need no escape, its dots none either.
    const exec: EngineRecord = { seq: 1, at: '', op: 'exec.start', method: 'POST', path: '/exec/e/start', query: {}, status: 200, durationMs: 1, exec: { container: 'a', containerId: 'id-a', command: ['ping', '-6', '-c', '2', 'fd00:1::2'], exitCode: 0 } };
    const pattern = '^ping\\b.*(?<![\\w:])${ip6:a@v6_net}(?![\\w:])';
    expect(await evaluateAll([cond({ kind: 'engine', call: 'exec', container: 'a', command: pattern })], ctx({ containers: [v6], records: [exec] }))).toEqual({ ok: true });
    const other: EngineRecord = { ...exec, exec: { ...exec.exec!, command: ['ping', '-c', '2', '172.30.0.2'] } };
    expect(await evaluateAll([cond({ kind: 'engine', call: 'exec', container: 'a', command: pattern })], ctx({ containers: [v6], records: [other] }))).toMatchObject({ ok: false });
  });

  it('normalises image names', () => {
    expect(sameImage('busybox', 'busybox:latest')).toBe(true);
    expect(sameImage('docker.io/library/httpd:latest', 'httpd')).toBe(true);
    expect(sameImage('httpd:2.4', 'httpd')).toBe(false);
  });
});
