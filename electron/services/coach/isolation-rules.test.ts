// Each isolation/IPv6 rule: the mistake that fires it (through the coach, so
// the registration and the order among the other rules are tested too), and a
// near-identical command that must stay silent.
import { describe, expect, it } from 'vitest';
import type { CommandRecord, ContainerNode, NetworkNode, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { coach, coachRecords } from './coach';
import { ENGINE_RULES } from './engine-rules';
import { ISOLATION_ENGINE_RULES, ISOLATION_RULES } from './isolation-rules';
import { RULES } from './rules';

function net(name: string, extra: Partial<NetworkNode> = {}): NetworkNode {
  return { id: `id-${name}`, name, driver: name === 'host' || name === 'none' ? name : 'bridge', builtin: ['bridge', 'host', 'none'].includes(name), createdByLab: true, ...extra };
}

function box(name: string, attachments: { network: string; ip: string; ip6?: string }[], extra: Partial<ContainerNode> = {}): ContainerNode {
  return {
    id: `abc${name}`,
    name,
    image: 'busybox',
    state: 'running',
    networkMode: attachments[0]?.network ?? 'none',
    networks: attachments.map((a) => ({ mac: '02:42:00:00:00:01', gateway: '', ...a })),
    createdByLab: true,
    ...extra,
  };
}

const FRONT = box('front_box', [{ network: 'front_net', ip: '172.20.0.2' }]);
const BACK = box('back_box', [{ network: 'back_net', ip: '172.21.0.2' }]);
const VAULT = box('vault_box', [{ network: 'vault_net', ip: '172.22.0.2' }]);
const VAULT2 = box('vault_peer', [{ network: 'vault_net', ip: '172.22.0.3' }]);
const ISOLATION: Topology = {
  networks: [net('bridge'), net('host'), net('none'), net('front_net', { subnet: '172.20.0.0/16' }), net('back_net', { subnet: '172.21.0.0/16' }), net('vault_net', { subnet: '172.22.0.0/16', internal: true })],
  containers: [FRONT, BACK, VAULT, VAULT2],
};

function ruleOf(command: string, exitCode: number, topology: Topology = ISOLATION): { rule?: string; en?: string; zh?: string } {
  const record: CommandRecord = { terminalId: 'host-1', command, exitCode, finishedAt: '2025-01-01T00:00:00.000Z' };
  const hint = coach({ record, topology });
  return { rule: hint?.rule, en: hint?.message.en, zh: hint?.message['zh-CN'] };
}

describe('isolation rules', () => {
  it('internal-on-run: --internal given to docker run or create', () => {
    // vault_box is not there yet when this mistake is made.
    const before: Topology = { ...ISOLATION, containers: [FRONT, BACK] };
    const hint = ruleOf('docker run -di --internal --name vault_box busybox', 125, before);
    expect(hint.rule).toBe('internal-on-run');
    expect(hint.en).toContain('docker network create --internal NAME');
    expect(hint.zh).toContain('docker network create --internal');
    expect(ruleOf('docker container create --internal busybox', 125).rule).toBe('internal-on-run');
    expect(ruleOf('docker network create --internal vault_net', 0).rule).toBeUndefined();
    expect(ruleOf('docker run -di --name vault_box --net vault_net busybox', 0).rule).toBeUndefined();
  });

  it('ping-address-on-other-network: a failed ping to the address of a container on a network the pinger is not on', () => {
    const hint = ruleOf('docker exec front_box ping -c 2 -W 1 172.21.0.2', 1);
    expect(hint.rule).toBe('ping-address-on-other-network');
    expect(hint.en).toContain("back_box's address on back_net");
    expect(hint.en).toContain('docker network connect back_net front_box');
    expect(hint.zh).toContain('docker network connect back_net front_box');
    // It answered: nothing to explain.
    expect(ruleOf('docker exec front_box ping -c 2 172.21.0.2', 0).rule).toBeUndefined();
    // An address no container holds, and a container that shares the network.
    expect(ruleOf('docker exec front_box ping -c 2 -W 1 172.21.0.99', 1).rule).toBeUndefined();
    const joined = box('front_box', [{ network: 'front_net', ip: '172.20.0.2' }, { network: 'back_net', ip: '172.21.0.3' }]);
    expect(ruleOf('docker exec front_box ping -c 2 -W 1 172.21.0.2', 1, { ...ISOLATION, containers: [joined, BACK, VAULT] }).rule).toBeUndefined();
  });

  it('no-way-out-of-internal: a request out of a container on internal networks only', () => {
    // The lesson's spelling, stopped by timeout (143); Docker Hub's busybox with -T, failed (1).
    const hint = ruleOf('docker exec vault_box timeout 3 wget -q -O- http://172.22.0.1:48080/', 143);
    expect(hint.rule).toBe('no-way-out-of-internal');
    expect(ruleOf('docker exec vault_box wget -q -T 3 -O- http://172.22.0.1:48080/', 1).rule).toBe('no-way-out-of-internal');
    expect(hint.en).toContain('vault_net, which is internal');
    expect(hint.en).toContain('docker network connect vault_net OTHER');
    expect(hint.zh).toContain('内部网络');
    expect(ruleOf('docker exec vault_box ping -c 1 -W 1 172.21.0.2', 1).rule).toBe('no-way-out-of-internal');
    // A neighbour on the same internal network is within reach: no such hint.
    expect(ruleOf('docker exec vault_box ping -c 1 vault_peer', 1).rule).toBeUndefined();
    expect(ruleOf('docker exec vault_box ping -c 1 172.22.0.3', 1).rule).toBeUndefined();
    // An ordinary network has a way out: another story.
    expect(ruleOf('docker exec back_box timeout 3 wget -q -O- http://172.21.0.1:48080/', 1).rule).toBeUndefined();
    // A vault container also on an ordinary network is not sealed.
    const open = box('vault_box', [{ network: 'vault_net', ip: '172.22.0.2' }, { network: 'front_net', ip: '172.20.0.9' }]);
    expect(ruleOf('docker exec vault_box wget -q -T 3 -O- http://172.22.0.1:48080/', 1, { ...ISOLATION, containers: [FRONT, BACK, open] }).rule).toBeUndefined();
  });

  it('ping6-without-ipv6: ping -6 from a container without an IPv6 address', () => {
    const v4 = box('v4_a', [{ network: 'v4_net', ip: '172.30.0.2' }]);
    const v4b = box('v4_b', [{ network: 'v4_net', ip: '172.30.0.3' }]);
    const t: Topology = { networks: [net('bridge'), net('v4_net')], containers: [v4, v4b] };
    const hint = ruleOf('docker exec v4_a ping -6 -c 2 v4_b', 1, t);
    expect(hint.rule).toBe('ping6-without-ipv6');
    expect(hint.en).toContain('v4_net was created without --ipv6');
    expect(hint.en).toContain('docker network create --ipv6 --subnet fd00:c0de:14::/64 v4_net6');
    expect(hint.zh).toContain('--ipv6');
    expect(ruleOf('docker exec v4_a ping6 -c 2 v4_b', 1, t).rule).toBe('ping6-without-ipv6');
    // Without -6 it is an IPv4 ping, and on a dual-stack network -6 has an address to use.
    expect(ruleOf('docker exec v4_a ping -c 2 v4_b', 1, t).rule).toBeUndefined();
    const v6 = box('v6_a', [{ network: 'v6_net', ip: '172.31.0.2', ip6: 'fd00:c0de:14::2' }]);
    expect(ruleOf('docker exec v6_a ping -6 -c 2 -W 1 fd00:c0de:14::9', 1, { networks: [net('v6_net', { ipv6: true })], containers: [v6] }).rule).toBeUndefined();
  });
});

describe('isolation engine rules', () => {
  it('are registered with the engine rules, each id once', () => {
    const ids = ENGINE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ISOLATION_ENGINE_RULES) expect(ENGINE_RULES).toContain(rule);
    for (const rule of ISOLATION_RULES) expect(RULES).toContain(rule);
  });

  const create = (body: unknown, error: string): EngineRecord => ({
    seq: 1, at: '2025-01-01T00:00:00.000Z', op: 'network.create', method: 'POST', path: '/networks/create', query: {}, status: 400, durationMs: 1, body, error,
  });

  it('ipv6-needs-subnet: --ipv6 without a subnet on an engine without an IPv6 pool', () => {
    const [hint] = coachRecords({
      records: [create({ Name: 'v6_net', EnableIPv6: true }, 'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network')],
      topology: ISOLATION,
    });
    expect(hint?.rule).toBe('ipv6-needs-subnet');
    expect(hint?.message.en).toContain('docker network create --ipv6 --subnet fd00:c0de:14::/64 v6_net');
    expect(hint?.message['zh-CN']).toContain('--subnet');
    // The IPv4 pool running out is not this mistake.
    expect(coachRecords({ records: [create({ Name: 'x' }, 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network')], topology: ISOLATION })).toEqual([]);
  });

  it('subnet-taken: a subnet another network already holds, named', () => {
    const t: Topology = { ...ISOLATION, networks: [...ISOLATION.networks, net('old_v6', { subnet: '172.40.0.0/16', ipv6: true, subnet6: 'fd00:c0de:14::/64' })] };
    const body = { Name: 'v6_net', EnableIPv6: true, IPAM: { Config: [{ Subnet: 'fd00:c0de:14::/64' }] } };
    const [hint] = coachRecords({ records: [create(body, 'Pool overlaps with other one on this address space')], topology: t });
    expect(hint?.rule).toBe('subnet-taken');
    expect(hint?.message.en).toContain('already used by the network old_v6');
    expect(hint?.message.en).toContain('docker network rm old_v6');
    const [unknown] = coachRecords({ records: [create(body, 'Pool overlaps with other one on this address space')], topology: ISOLATION });
    expect(unknown?.rule).toBe('subnet-taken');
    expect(unknown?.message.en).toContain('docker network ls');
  });
});
