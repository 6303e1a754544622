import { describe, expect, it } from 'vitest';
import type { ContainerNode, NetworkNode, Topology } from '../../../electron/api/types';
import { HOST_GROUP, HOST_STACK, fitScale, layoutNetworkMap, pickLayout, type DirectedLayout, type MapContainer, type MapLayout, type MapNetwork } from './network-map-layout';

const NET_ID = 'd4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5';

function network(name: string, driver: string, extra: Partial<NetworkNode> = {}): NetworkNode {
  return { id: `${name}-${NET_ID}`.slice(0, 64), name, driver, builtin: ['bridge', 'host', 'none'].includes(name), createdByLab: false, ...extra };
}

const builtins: NetworkNode[] = [
  network('bridge', 'bridge', { subnet: '172.17.0.0/16', gateway: '172.17.0.1' }),
  network('host', 'host'),
  network('none', 'null'),
];

function container(name: string, networkMode: string, extra: Partial<ContainerNode> = {}): ContainerNode {
  return { id: `id-${name}`, name, image: 'busybox', state: 'running', networkMode, networks: [], createdByLab: true, ...extra };
}

function attach(network: string, n: number): ContainerNode['networks'][number] {
  return { network, ip: `172.18.0.${n}`, mac: `02:42:ac:12:00:0${n}`, gateway: '172.18.0.1' };
}

function layout(networks: NetworkNode[], containers: ContainerNode[], direction: 'TB' | 'LR' = 'TB'): MapLayout {
  const topology: Topology = { networks, containers };
  return layoutNetworkMap(topology, direction);
}

function node<T = MapContainer>(l: MapLayout, id: string): T {
  const found = l.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id} in ${l.nodes.map((n) => n.id).join(', ')}`);
  return found as T;
}

function inside(inner: { x: number; y: number; width: number; height: number }, outer: typeof inner): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every node lies inside the map's extent and no two nodes overlap. */
function expectTidy(l: MapLayout): void {
  for (const n of [...l.nodes, ...l.groups]) {
    expect(inside(n, { x: 0, y: 0, width: l.width, height: l.height }), `${n.id} inside the map`).toBe(true);
  }
  for (const [i, a] of l.nodes.entries()) {
    for (const b of l.nodes.slice(i + 1)) expect(overlaps(a, b), `${a.id} and ${b.id} overlap`).toBe(false);
  }
}

describe('layoutNetworkMap', () => {
  it('an empty engine shows just the Docker host and the default bridge', () => {
    const l = layout(builtins, []);
    expect(l.nodes.map((n) => n.id).sort()).toEqual([HOST_STACK, 'network:bridge']);
    expect(l.groups.map((g) => g.id)).toEqual([HOST_GROUP]);
    expect(l.edges).toEqual([expect.objectContaining({ kind: 'uplink', from: HOST_STACK, to: 'network:bridge' })]);
    expectTidy(l);
  });

  it('draws bridges with their device, subnet and gateway; host and none are not segments of their own', () => {
    const custom = network('custom_network', 'bridge', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
    const l = layout([...builtins, custom], []);
    const bridge = node<MapNetwork>(l, 'network:bridge');
    expect(bridge).toMatchObject({ bridge: 'docker0', subnet: '172.17.0.0/16', gateway: '172.17.0.1' });
    expect(node<MapNetwork>(l, 'network:custom_network')).toMatchObject({ bridge: `br-${custom.id.slice(0, 12)}`, subnet: '172.18.0.0/16' });
    expect(l.nodes.some((n) => n.id === 'network:host' || n.id === 'network:none')).toBe(false);
    // Bridges hang below the host.
    const host = node(l, HOST_STACK);
    expect(bridge.y).toBeGreaterThan(host.y + host.height);
    expectTidy(l);
  });

  it('bridge mode: one link per attachment with IP and MAC, containers below their networks', () => {
    const custom = network('custom_network', 'bridge', { subnet: '172.18.0.0/16' });
    const web = container('web', 'custom_network', { networks: [attach('custom_network', 2), { ...attach('bridge', 3), ip: '172.17.0.3' }] });
    const l = layout([...builtins, custom], [web]);
    const links = l.edges.filter((e) => e.kind === 'attachment');
    expect(links.map((e) => [e.from, e.to, e.ip, e.mac])).toEqual([
      ['container:web', 'network:custom_network', '172.18.0.2', '02:42:ac:12:00:02'],
      ['container:web', 'network:bridge', '172.17.0.3', '02:42:ac:12:00:03'],
    ]);
    for (const link of links) {
      expect(link.points.length).toBeGreaterThanOrEqual(2);
      expect(link.label).toBeDefined();
      const net = node<MapNetwork>(l, link.to);
      expect(node(l, 'container:web').y).toBeGreaterThan(net.y + net.height);
    }
    expect(node(l, 'container:web').placement).toBe('network');
    expectTidy(l);
  });

  it('host mode: the container is drawn inside the Docker host, with no link to a bridge', () => {
    const l = layout(builtins, [container('h1', 'host', { networks: [{ network: 'host', ip: '', mac: '', gateway: '' }] })]);
    const h1 = node(l, 'container:h1');
    const host = l.groups.find((g) => g.id === HOST_GROUP)!;
    expect(h1.placement).toBe('host');
    expect(inside(h1, host)).toBe(true);
    expect(inside(node(l, HOST_STACK), host)).toBe(true);
    expect(l.edges.filter((e) => e.from === h1.id || e.to === h1.id)).toEqual([]);
    expectTidy(l);
  });

  it('none mode: the container stands alone with only lo', () => {
    const l = layout(builtins, [container('n1', 'none', { networks: [{ network: 'none', ip: '', mac: '', gateway: '' }] })]);
    const n1 = node(l, 'container:n1');
    expect(n1.placement).toBe('none');
    expect(l.edges.filter((e) => e.from === n1.id || e.to === n1.id)).toEqual([]);
    expect(inside(n1, l.groups.find((g) => g.id === HOST_GROUP)!)).toBe(false);
    expectTidy(l);
  });

  it('container mode: joiners share one box with the owner of the stack and point at it', () => {
    const custom = network('custom_network', 'bridge');
    const owner = container('web', 'custom_network', { networks: [attach('custom_network', 2)] });
    const sidecar = container('side', 'container:web', { joinedTo: 'web' });
    // A chain: joins the sidecar, whose stack is web's.
    const second = container('second', 'container:side', { joinedTo: 'side' });
    const l = layout([...builtins, custom], [owner, sidecar, second]);
    const stack = l.groups.find((g) => g.kind === 'stack');
    expect(stack).toMatchObject({ id: 'stack:web', owner: 'web' });
    for (const name of ['web', 'side', 'second']) expect(inside(node(l, `container:${name}`), stack!), name).toBe(true);
    const shares = l.edges.filter((e) => e.kind === 'shares').map((e) => [e.from, e.to]);
    expect(shares.sort()).toEqual([
      ['container:second', 'container:side'],
      ['container:side', 'container:web'],
    ]);
    // Only the owner has an interface of its own.
    expect(l.edges.filter((e) => e.kind === 'attachment').map((e) => e.from)).toEqual(['container:web']);
    expect(node(l, 'container:side')).toMatchObject({ placement: 'container', joinedTo: 'web' });
    expectTidy(l);
  });

  it('container mode on a host-mode owner stays inside the Docker host', () => {
    const l = layout(builtins, [container('h1', 'host'), container('j1', 'container:h1', { joinedTo: 'h1' })]);
    const host = l.groups.find((g) => g.id === HOST_GROUP)!;
    expect(inside(node(l, 'container:j1'), host)).toBe(true);
    expect(inside(node(l, 'container:h1'), host)).toBe(true);
    expectTidy(l);
  });

  it('container mode whose target is gone: drawn alone, naming the target, no dangling edge', () => {
    const l = layout(builtins, [container('orphan', 'container:0123456789ab', { joinedTo: '0123456789ab' })]);
    expect(node(l, 'container:orphan')).toMatchObject({ placement: 'container', joinedTo: '0123456789ab' });
    expect(l.edges.filter((e) => e.kind === 'shares')).toEqual([]);
    expect(l.groups.filter((g) => g.kind === 'stack')).toEqual([]);
  });

  it('a stopped container is marked as not running; a link to a network the map does not know is skipped', () => {
    const l = layout(builtins, [
      container('old', 'bridge', { state: 'exited', networks: [{ network: 'bridge', ip: '', mac: '', gateway: '' }, attach('gone_net', 4)] }),
    ]);
    expect(node(l, 'container:old')).toMatchObject({ running: false, state: 'exited' });
    expect(l.edges.filter((e) => e.kind === 'attachment').map((e) => e.to)).toEqual(['network:bridge']);
  });

  it('many containers on several networks stay tidy', () => {
    const nets = ['net_a', 'net_b', 'net_c'].map((n, i) => network(n, 'bridge', { subnet: `172.${20 + i}.0.0/16` }));
    const containers = Array.from({ length: 9 }, (_, i) =>
      container(`box${i}`, nets[i % 3]!.name, { networks: [attach(nets[i % 3]!.name, i + 2), ...(i % 2 ? [attach('bridge', i + 20)] : [])] }),
    );
    expectTidy(layout([...builtins, ...nets], containers));
  });

  it('left to right: containers sit right of their networks, the host at the left', () => {
    const custom = network('custom_network', 'bridge');
    const l = layout([...builtins, custom], [container('web', 'custom_network', { networks: [attach('custom_network', 2)] }), container('h1', 'host')], 'LR');
    const net = node<MapNetwork>(l, 'network:custom_network');
    expect(node(l, 'container:web').x).toBeGreaterThan(net.x + net.width);
    const host = node(l, HOST_STACK);
    expect(net.x).toBeGreaterThan(host.x + host.width);
    expect(inside(node(l, 'container:h1'), l.groups.find((g) => g.id === HOST_GROUP)!)).toBe(true);
    expectTidy(l);
  });

  /** Both directions laid out, and the one for the pane picked, as NetworkMap.svelte does. */
  function layoutForPane(topology: Topology, pane: { width: number; height: number }): DirectedLayout {
    return pickLayout({ TB: layoutNetworkMap(topology, 'TB'), LR: layoutNetworkMap(topology, 'LR') }, pane);
  }

  it('picks the direction drawn larger in the pane: left to right in a wide, short pane, top down in a tall one', () => {
    const nets = ['net_a', 'net_b'].map((n) => network(n, 'bridge', { subnet: '172.30.0.0/16' }));
    const topology: Topology = {
      networks: [...builtins, ...nets],
      containers: [container('a', 'net_a', { networks: [attach('net_a', 2)] }), container('b', 'net_b', { networks: [attach('net_b', 3)] })],
    };
    const wide = layoutForPane(topology, { width: 1200, height: 200 });
    const tall = layoutForPane(topology, { width: 300, height: 900 });
    expect(wide.direction).toBe('LR');
    expect(tall.direction).toBe('TB');
    expect(fitScale(wide, { width: 1200, height: 200 })).toBeGreaterThanOrEqual(fitScale(layoutNetworkMap(topology, 'TB'), { width: 1200, height: 200 }));
    // An unmeasured pane (hidden, first render) gets the default.
    expect(layoutForPane(topology, { width: 0, height: 0 }).direction).toBe('TB');
  });
});
