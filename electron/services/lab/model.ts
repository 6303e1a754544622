// Turns Docker's list answers into the contract's Topology, and tells which
// names changed between two topologies. Pure functions: the tracker owns state.
import type Dockerode from 'dockerode';
import type { ContainerAttachment, ContainerNode, NetworkNode, Topology } from '../../api/types';

export type ContainerInfo = Dockerode.ContainerInfo;
export type NetworkInfo = Dockerode.NetworkInspectInfo;

interface RawModel {
  containers: ReadonlyMap<string, ContainerInfo>;
  networks: ReadonlyMap<string, NetworkInfo>;
}

interface LedgerView {
  containers: ReadonlySet<string>;
  networks: ReadonlySet<string>;
}

const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

export function containerName(info: Pick<ContainerInfo, 'Names' | 'Id'>): string {
  // Names carry a leading slash; legacy links add more names (/other/alias): take the plain one.
  const names = info.Names ?? [];
  const plain = names.find((n) => n.lastIndexOf('/') === 0) ?? names[0];
  return plain ? plain.replace(/^\//, '') : info.Id.slice(0, 12);
}

export function buildTopology(raw: RawModel, ledger: LedgerView): Topology {
  const networks = [...raw.networks.values()].map((n) => networkNode(n, ledger)).sort(byName);
  const containers = [...raw.containers.values()].map((c) => containerNode(c, raw.containers, ledger)).sort(byName);
  // IPAM omits the gateway when only a subnet was given; attached containers know it.
  for (const network of networks) {
    if (network.gateway) continue;
    const gateway = containers.flatMap((c) => c.networks).find((a) => a.network === network.name && a.gateway)?.gateway;
    if (gateway) network.gateway = gateway;
  }
  return { networks, containers };
}

function networkNode(info: NetworkInfo, ledger: LedgerView): NetworkNode {
  // A dual-stack network lists an IPv4 and an IPv6 configuration, in no promised order.
  const configs = info.IPAM?.Config ?? [];
  const ipam = configs.find((c) => !c.Subnet?.includes(':'));
  const ipam6 = configs.find((c) => c.Subnet?.includes(':'));
  const node: NetworkNode = {
    id: info.Id,
    name: info.Name,
    driver: info.Driver,
    builtin: BUILTIN_NETWORKS.has(info.Name),
    createdByLab: ledger.networks.has(info.Id),
  };
  if (ipam?.Subnet) node.subnet = ipam.Subnet;
  if (ipam?.Gateway) node.gateway = ipam.Gateway;
  if (info.Internal) node.internal = true;
  if (info.EnableIPv6) node.ipv6 = true;
  if (ipam6?.Subnet) node.subnet6 = ipam6.Subnet;
  return node;
}

function containerNode(
  info: ContainerInfo,
  all: ReadonlyMap<string, ContainerInfo>,
  ledger: LedgerView,
): ContainerNode {
  const rawMode = info.HostConfig?.NetworkMode ?? 'default';
  let networkMode = rawMode === 'default' ? 'bridge' : rawMode;
  let joinedTo: string | undefined;
  if (rawMode.startsWith('container:')) {
    const ref = rawMode.slice('container:'.length);
    const target = all.get(ref) ?? [...all.values()].find((c) => c.Id.startsWith(ref));
    // Keep the id when the other container is unknown (removed, or ignored).
    joinedTo = target ? containerName(target) : ref;
    networkMode = `container:${joinedTo}`;
  }
  const networks: ContainerAttachment[] = Object.entries(info.NetworkSettings?.Networks ?? {})
    .map(([network, n]) => {
      const attachment: ContainerAttachment = { network, ip: n.IPAddress ?? '', mac: n.MacAddress ?? '', gateway: n.Gateway ?? '' };
      if (n.GlobalIPv6Address) attachment.ip6 = n.GlobalIPv6Address;
      return attachment;
    })
    .sort((a, b) => a.network.localeCompare(b.network));
  const node: ContainerNode = {
    id: info.Id,
    name: containerName(info),
    image: info.Image,
    state: info.State,
    networkMode,
    networks,
    createdByLab: ledger.containers.has(info.Id),
  };
  if (joinedTo !== undefined) node.joinedTo = joinedTo;
  return node;
}

/**
 * Names whose node differs between two topologies: added, removed, changed or
 * renamed objects, plus the networks a container joined or left.
 */
export function changedNames(before: Topology, after: Topology): Set<string> {
  const touched = new Set<string>();
  diffNodes(before.networks, after.networks, touched, () => undefined);
  diffNodes(before.containers, after.containers, touched, (a, b) => {
    const key = (x: ContainerAttachment): string => JSON.stringify(x);
    const left = new Map((a?.networks ?? []).map((n) => [n.network, key(n)]));
    const right = new Map((b?.networks ?? []).map((n) => [n.network, key(n)]));
    for (const name of new Set([...left.keys(), ...right.keys()])) {
      if (left.get(name) !== right.get(name)) touched.add(name);
    }
  });
  return touched;
}

function diffNodes<T extends { id: string; name: string }>(
  before: T[],
  after: T[],
  touched: Set<string>,
  onChange: (a: T | undefined, b: T | undefined) => void,
): void {
  const old = new Map(before.map((n) => [n.id, n]));
  const seen = new Set<string>();
  for (const node of after) {
    seen.add(node.id);
    const prev = old.get(node.id);
    if (prev && JSON.stringify(prev) === JSON.stringify(node)) continue;
    touched.add(node.name);
    if (prev) touched.add(prev.name);
    onChange(prev, node);
  }
  for (const [id, prev] of old) {
    if (seen.has(id)) continue;
    touched.add(prev.name);
    onChange(prev, undefined);
  }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
