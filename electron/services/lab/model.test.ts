import { describe, expect, it } from 'vitest';
import { buildTopology, changedNames, type ContainerInfo, type NetworkInfo } from './model';

function container(id: string, name: string, mode: string, networks: Record<string, { ip: string; mac?: string; gw?: string }> = {}): ContainerInfo {
  return {
    Id: id,
    Names: [`/${name}`],
    Image: 'busybox',
    State: 'running',
    HostConfig: { NetworkMode: mode },
    NetworkSettings: {
      Networks: Object.fromEntries(
        Object.entries(networks).map(([net, n]) => [net, { IPAddress: n.ip, MacAddress: n.mac ?? '', Gateway: n.gw ?? '' }]),
      ),
    },
  } as unknown as ContainerInfo;
}

function network(id: string, name: string, driver: string, subnet?: string, gateway?: string): NetworkInfo {
  return { Id: id, Name: name, Driver: driver, IPAM: { Config: subnet ? [{ Subnet: subnet, Gateway: gateway }] : [] } } as unknown as NetworkInfo;
}

const noLedger = { containers: new Set<string>(), networks: new Set<string>() };

describe('buildTopology', () => {
  it('maps modes, names, attachments and builtin networks', () => {
    const containers = new Map([
      ['c1', container('c1', 'web', 'default', { bridge: { ip: '172.17.0.2', mac: '02:42:ac:11:00:02', gw: '172.17.0.1' } })],
      ['c2', container('c2', 'side', 'container:c1')],
      ['c3', container('c3', 'orphan', 'container:deadbeef')],
      ['c4', container('c4', 'app', 'labnet', { labnet: { ip: '10.1.0.2', gw: '10.1.0.1' } })],
    ]);
    const networks = new Map([
      ['n1', network('n1', 'bridge', 'bridge', '172.17.0.0/16', '172.17.0.1')],
      ['n2', network('n2', 'none', 'null')],
      ['n3', network('n3', 'labnet', 'bridge', '10.1.0.0/24')],
    ]);
    const topology = buildTopology({ containers, networks }, { containers: new Set(['c4']), networks: new Set(['n3']) });

    expect(topology.containers.map((c) => c.name)).toEqual(['app', 'orphan', 'side', 'web']);
    const web = topology.containers.find((c) => c.name === 'web');
    expect(web).toMatchObject({ networkMode: 'bridge', createdByLab: false });
    expect(web?.networks).toEqual([{ network: 'bridge', ip: '172.17.0.2', mac: '02:42:ac:11:00:02', gateway: '172.17.0.1' }]);
    expect(web && 'joinedTo' in web).toBe(false);
    expect(topology.containers.find((c) => c.name === 'side')).toMatchObject({ networkMode: 'container:web', joinedTo: 'web' });
    expect(topology.containers.find((c) => c.name === 'orphan')).toMatchObject({ networkMode: 'container:deadbeef', joinedTo: 'deadbeef' });
    expect(topology.containers.find((c) => c.name === 'app')).toMatchObject({ networkMode: 'labnet', createdByLab: true });

    expect(topology.networks.find((n) => n.name === 'bridge')).toMatchObject({ builtin: true, subnet: '172.17.0.0/16', gateway: '172.17.0.1' });
    expect(topology.networks.find((n) => n.name === 'none')).toEqual({ id: 'n2', name: 'none', driver: 'null', builtin: true, createdByLab: false });
    // Gateway missing from IPAM is taken from an attached container.
    expect(topology.networks.find((n) => n.name === 'labnet')).toMatchObject({ builtin: false, createdByLab: true, gateway: '10.1.0.1' });
  });

  it('reads --internal, --ipv6 (whichever IPAM entry comes first) and a container\'s IPv6 address', () => {
    const dual = { Id: 'n6', Name: 'v6net', Driver: 'bridge', EnableIPv6: true, Internal: false, IPAM: { Config: [{ Subnet: 'fd00:1::/64' }, { Subnet: '172.30.0.0/16', Gateway: '172.30.0.1' }] } } as unknown as NetworkInfo;
    const sealed = { Id: 'n7', Name: 'sealed', Driver: 'bridge', Internal: true, IPAM: { Config: [{ Subnet: '172.31.0.0/16', Gateway: '172.31.0.1' }] } } as unknown as NetworkInfo;
    const box = container('c1', 'box', 'v6net', { v6net: { ip: '172.30.0.2', gw: '172.30.0.1' } });
    (box.NetworkSettings.Networks.v6net as { GlobalIPv6Address?: string }).GlobalIPv6Address = 'fd00:1::2';
    const plain = container('c2', 'plain', 'sealed', { sealed: { ip: '172.31.0.2' } });
    (plain.NetworkSettings.Networks.sealed as { GlobalIPv6Address?: string }).GlobalIPv6Address = '';
    const topology = buildTopology({ containers: new Map([['c1', box], ['c2', plain]]), networks: new Map([['n6', dual], ['n7', sealed]]) }, noLedger);
    expect(topology.networks.find((n) => n.name === 'v6net')).toEqual({
      id: 'n6', name: 'v6net', driver: 'bridge', builtin: false, createdByLab: false, subnet: '172.30.0.0/16', gateway: '172.30.0.1', ipv6: true, subnet6: 'fd00:1::/64',
    });
    expect(topology.networks.find((n) => n.name === 'sealed')).toMatchObject({ internal: true, subnet: '172.31.0.0/16' });
    expect(topology.networks.find((n) => n.name === 'sealed')).not.toHaveProperty('ipv6');
    expect(topology.containers.find((c) => c.name === 'box')?.networks[0]).toEqual({ network: 'v6net', ip: '172.30.0.2', mac: '', gateway: '172.30.0.1', ip6: 'fd00:1::2' });
    expect(topology.containers.find((c) => c.name === 'plain')?.networks[0]).not.toHaveProperty('ip6');
  });

  it('prefers the plain name over legacy link names', () => {
    const info = container('c1', 'db', 'default');
    info.Names = ['/web/db-alias', '/db'];
    const topology = buildTopology({ containers: new Map([['c1', info]]), networks: new Map() }, noLedger);
    expect(topology.containers[0]?.name).toBe('db');
  });
});

describe('changedNames', () => {
  const nets = new Map([['n1', network('n1', 'bridge', 'bridge', '172.17.0.0/16', '172.17.0.1')]]);

  it('is empty when nothing changed', () => {
    const containers = new Map([['c1', container('c1', 'web', 'default', { bridge: { ip: '172.17.0.2' } })]]);
    const a = buildTopology({ containers, networks: nets }, noLedger);
    const b = buildTopology({ containers, networks: nets }, noLedger);
    expect(changedNames(a, b)).toEqual(new Set());
  });

  it('names added, removed and renamed objects and the networks joined', () => {
    const before = buildTopology(
      { containers: new Map([['c1', container('c1', 'web', 'default')], ['c2', container('c2', 'old', 'default')]]), networks: nets },
      noLedger,
    );
    const after = buildTopology(
      {
        containers: new Map([
          ['c1', container('c1', 'web', 'default', { bridge: { ip: '172.17.0.2' } })],
          ['c3', container('c3', 'new', 'default')],
        ]),
        networks: nets,
      },
      noLedger,
    );
    expect(changedNames(before, after)).toEqual(new Set(['web', 'bridge', 'old', 'new']));

    const renamed = buildTopology({ containers: new Map([['c3', container('c3', 'newer', 'default')]]), networks: nets }, noLedger);
    const prior = buildTopology({ containers: new Map([['c3', container('c3', 'new', 'default')]]), networks: nets }, noLedger);
    expect(changedNames(prior, renamed)).toEqual(new Set(['new', 'newer']));
  });

  it("names a joined container when its target is renamed", () => {
    const make = (targetName: string): ReturnType<typeof buildTopology> =>
      buildTopology(
        { containers: new Map([['c1', container('c1', targetName, 'default')], ['c2', container('c2', 'side', 'container:c1')]]), networks: nets },
        noLedger,
      );
    expect(changedNames(make('web'), make('web2'))).toEqual(new Set(['web', 'web2', 'side']));
  });
});
