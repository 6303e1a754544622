// The network map as text: the rows of the table that is its keyboard- and
// screen-reader-friendly alternative (NetworkMapTable.svelte). One row per
// network; one row per container and network it is attached to, so every
// address has its own row; a container in host, none or container mode, or
// attached nowhere, has one row that says so. Pure, so it is tested without a DOM.
import type { ContainerNode, NetworkNode, Topology } from '../../../electron/api/types';

export interface NetworkRow {
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
  /** Containers attached to it. */
  containers: number;
}

export type ContainerMode = 'network' | 'host' | 'none' | 'container' | 'unattached';

export interface ContainerRow {
  /** Unique per row: container and network. */
  key: string;
  container: string;
  state: string;
  running: boolean;
  mode: ContainerMode;
  /** The network of this row (mode 'network'), else ''. */
  network: string;
  /** Container mode: whose stack it shares. */
  joinedTo?: string;
  ip: string;
  mac: string;
  /** The container's first row (the others repeat its name for a screen reader, not on screen). */
  first: boolean;
}

export interface MapTable {
  networks: NetworkRow[];
  containers: ContainerRow[];
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name);
}

function modeOf(c: ContainerNode): ContainerMode {
  if (c.networks.length > 0) return 'network';
  if (c.networkMode === 'host') return 'host';
  if (c.networkMode === 'none') return 'none';
  if (c.networkMode.startsWith('container:') || c.joinedTo) return 'container';
  return 'unattached';
}

function rowsOf(c: ContainerNode): ContainerRow[] {
  const base = { container: c.name, state: c.state, running: c.state === 'running' };
  const mode = modeOf(c);
  if (mode !== 'network') {
    const joinedTo = mode === 'container' ? (c.joinedTo ?? c.networkMode.slice('container:'.length)) : undefined;
    return [{ ...base, key: c.name, mode, network: '', ...(joinedTo ? { joinedTo } : {}), ip: mode === 'none' ? '127.0.0.1' : '', mac: '', first: true }];
  }
  return [...c.networks]
    .sort((a, b) => a.network.localeCompare(b.network))
    .map((a, i) => ({ ...base, key: `${c.name}\u0000${a.network}`, mode, network: a.network, ip: a.ip, mac: a.mac, first: i === 0 }));
}

function networkRow(n: NetworkNode, containers: readonly ContainerNode[]): NetworkRow {
  return {
    name: n.name,
    driver: n.driver,
    subnet: n.subnet ?? '',
    gateway: n.gateway ?? '',
    containers: containers.filter((c) => c.networks.some((a) => a.network === n.name)).length,
  };
}

export function mapTable(topology: Topology): MapTable {
  return {
    networks: [...topology.networks].sort(byName).map((n) => networkRow(n, topology.containers)),
    containers: [...topology.containers].sort(byName).flatMap(rowsOf),
  };
}
