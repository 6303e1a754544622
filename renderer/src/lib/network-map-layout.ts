// Turns the lab tracker's Topology into a positioned graph for the network map.
// Pure: no DOM, no Svelte. dagre places everything (ranks top to bottom: the
// Docker host, its bridges, the containers on them); nothing is hand-placed.
import dagre, { type EdgeLabel } from '@dagrejs/dagre';
import type { ContainerNode, NetworkNode, Topology } from '../../../electron/api/types';

/** How a container reaches the network: a bridge-like network, the host's stack, nothing but lo, or another container's stack. */
export type ContainerPlacement = 'network' | 'host' | 'none' | 'container';

interface Box {
  /** Top-left corner, in map units. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MapHostStack extends Box {
  kind: 'host-stack';
  id: 'host:stack';
}

export interface MapNetwork extends Box {
  kind: 'network';
  /** `network:NAME`, the map's stable hook. */
  id: string;
  name: string;
  driver: string;
  /** The Linux bridge behind it: docker0 for the default `bridge`, br-<id> for a user-defined bridge. */
  bridge?: string;
  subnet?: string;
  gateway?: string;
}

export interface MapContainer extends Box {
  kind: 'container';
  /** `container:NAME`, the map's stable hook. */
  id: string;
  name: string;
  image: string;
  state: string;
  running: boolean;
  placement: ContainerPlacement;
  /** For placement 'container': whose stack it shares (a name, or an id when that container is gone). */
  joinedTo?: string;
}

export type MapNode = MapHostStack | MapNetwork | MapContainer;

export interface MapGroup extends Box {
  /** host: the Docker host with its own stack and the host-mode containers; stack: containers sharing one network stack. */
  kind: 'host' | 'stack';
  id: string;
  /** For a stack: the container whose stack the others join. */
  owner?: string;
}

export interface MapEdge {
  /** uplink: a bridge on the host; attachment: a container's interface on a network; shares: joins another container's stack. */
  kind: 'uplink' | 'attachment' | 'shares';
  id: string;
  from: string;
  to: string;
  points: { x: number; y: number }[];
  /** Where the label's centre goes (attachments only). */
  label?: { x: number; y: number; width: number; height: number };
  ip?: string;
  mac?: string;
}

export interface MapLayout {
  width: number;
  height: number;
  groups: MapGroup[];
  nodes: MapNode[];
  edges: MapEdge[];
}

export const HOST_GROUP = 'host';
export const HOST_STACK = 'host:stack';

/** Text metrics in map units; the SVG draws at these sizes (see NetworkMap.svelte). */
export const LINE_HEIGHT = 16;
const CHAR_WIDTH = 7.2;
const PAD_X = 12;
const PAD_Y = 8;
const MIN_NODE_WIDTH = 150;
const MARGIN = 16;
/** The host's own stack: one short localized line (see NetworkMap.svelte). */
const HOST_STACK_SIZE = { width: 170, height: LINE_HEIGHT + 2 * PAD_Y };

/** Drivers whose "network" is not a segment of its own: host shares the host's stack, null is none. */
const NOT_DRAWN_DRIVERS = new Set(['host', 'null']);

function networkId(name: string): string {
  return `network:${name}`;
}

function containerId(name: string): string {
  return `container:${name}`;
}

function placementOf(c: Pick<ContainerNode, 'networkMode'>): ContainerPlacement {
  if (c.networkMode === 'host') return 'host';
  if (c.networkMode === 'none') return 'none';
  if (c.networkMode.startsWith('container:')) return 'container';
  return 'network';
}

/** The Linux bridge device behind a bridge-driver network, as `ip link` on the host shows it. */
function bridgeDevice(n: Pick<NetworkNode, 'name' | 'id' | 'driver'>): string | undefined {
  if (n.driver !== 'bridge') return undefined;
  if (n.name === 'bridge') return 'docker0';
  return `br-${n.id.slice(0, 12)}`;
}

/** Lines a network node shows; the node is sized to them. */
export function networkLines(n: Pick<MapNetwork, 'name' | 'driver' | 'bridge' | 'subnet' | 'gateway'>): string[] {
  const lines = [n.name, n.bridge ? `${n.driver} · ${n.bridge}` : n.driver];
  if (n.subnet) lines.push(n.subnet);
  if (n.gateway) lines.push(`gw ${n.gateway}`);
  return lines;
}

/** Lines a container node shows; the node is sized to them. */
export function containerLines(c: Pick<MapContainer, 'name' | 'image' | 'state' | 'running' | 'placement' | 'joinedTo'>): string[] {
  const lines = [c.name, c.image];
  if (c.placement === 'host') lines.push('--network host');
  if (c.placement === 'none') lines.push('lo 127.0.0.1');
  if (c.placement === 'container') lines.push(`--network container:${c.joinedTo ?? '?'}`);
  if (!c.running) lines.push(c.state);
  return lines;
}

function boxSize(lines: string[]): { width: number; height: number } {
  const longest = Math.max(0, ...lines.map((l) => l.length));
  return {
    width: Math.max(MIN_NODE_WIDTH, Math.ceil(longest * CHAR_WIDTH + 2 * PAD_X)),
    height: lines.length * LINE_HEIGHT + 2 * PAD_Y,
  };
}

function edgeLabelSize(ip: string, mac: string): { width: number; height: number } {
  const longest = Math.max(ip.length, mac.length, 1);
  return { width: Math.ceil(longest * CHAR_WIDTH * 0.9 + 10), height: 2 * LINE_HEIGHT - 2 };
}

/** TB: host on top, containers at the bottom (tall panes); LR: host on the left (wide, short panes). */
export type MapDirection = 'TB' | 'LR';

export function layoutNetworkMap(topology: Topology, direction: MapDirection = 'TB'): MapLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: direction === 'TB' ? 28 : 20, ranksep: 56, edgesep: 16, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));

  const nodes = new Map<string, MapNode>();
  const groups = new Map<string, MapGroup>();
  const edges: MapEdge[] = [];
  // dagre's edge name -> the map edge it lays out.
  const edgeByName = new Map<string, MapEdge>();

  function addNode(node: MapNode): void {
    nodes.set(node.id, node);
    g.setNode(node.id, { width: node.width, height: node.height });
  }

  function addGroup(group: MapGroup, parent?: string): void {
    groups.set(group.id, group);
    g.setNode(group.id, { width: 0, height: 0, paddingTop: 28 });
    if (parent) g.setParent(group.id, parent);
  }

  function addEdge(edge: MapEdge, rankFrom: string, rankTo: string, label?: { width: number; height: number }): void {
    edges.push(edge);
    edgeByName.set(edge.id, edge);
    g.setEdge(rankFrom, rankTo, label ? { ...label, labelpos: 'c' } : { minlen: 1 }, edge.id);
  }

  // The Docker host: its own stack, with the host-mode containers beside it.
  addGroup({ kind: 'host', id: HOST_GROUP, x: 0, y: 0, width: 0, height: 0 });
  addNode({ kind: 'host-stack', id: HOST_STACK, x: 0, y: 0, ...HOST_STACK_SIZE });
  g.setParent(HOST_STACK, HOST_GROUP);

  for (const n of topology.networks) {
    if (NOT_DRAWN_DRIVERS.has(n.driver)) continue;
    const bridge = bridgeDevice(n);
    const node: MapNetwork = { kind: 'network', id: networkId(n.name), name: n.name, driver: n.driver, x: 0, y: 0, width: 0, height: 0 };
    if (bridge) node.bridge = bridge;
    if (n.subnet) node.subnet = n.subnet;
    if (n.gateway) node.gateway = n.gateway;
    Object.assign(node, boxSize(networkLines(node)));
    addNode(node);
    addEdge({ kind: 'uplink', id: `uplink:${n.name}`, from: HOST_STACK, to: node.id, points: [] }, HOST_STACK, node.id);
  }

  const byName = new Map(topology.containers.map((c) => [c.name, c]));
  for (const c of topology.containers) {
    const placement = placementOf(c);
    const node: MapContainer = {
      kind: 'container',
      id: containerId(c.name),
      name: c.name,
      image: c.image,
      state: c.state,
      running: c.state === 'running',
      placement,
      x: 0,
      y: 0,
      width: 0,
      height: 0,
    };
    if (placement === 'container') node.joinedTo = c.joinedTo ?? c.networkMode.slice('container:'.length);
    Object.assign(node, boxSize(containerLines(node)));
    addNode(node);
  }

  // Containers sharing a stack are drawn in one box with the container that owns it.
  const ownerOf = (c: ContainerNode): ContainerNode | undefined => {
    // Follow container:a -> container:b chains to the real owner; a cycle or a gone container ends the walk.
    let current = c;
    const seen = new Set<string>([c.name]);
    while (placementOf(current) === 'container') {
      const next = current.joinedTo ? byName.get(current.joinedTo) : undefined;
      if (!next || seen.has(next.name)) return current === c ? undefined : current;
      seen.add(next.name);
      current = next;
    }
    return current;
  };
  for (const c of topology.containers) {
    if (placementOf(c) !== 'container') continue;
    const owner = ownerOf(c);
    if (!owner) continue;
    const groupId = `stack:${owner.name}`;
    if (!groups.has(groupId)) {
      addGroup({ kind: 'stack', id: groupId, owner: owner.name, x: 0, y: 0, width: 0, height: 0 }, placementOf(owner) === 'host' ? HOST_GROUP : undefined);
      g.setParent(containerId(owner.name), groupId);
    }
    g.setParent(containerId(c.name), groupId);
    const target = c.joinedTo && byName.has(c.joinedTo) ? c.joinedTo : owner.name;
    addEdge(
      { kind: 'shares', id: `shares:${c.name}`, from: containerId(c.name), to: containerId(target), points: [] },
      containerId(target),
      containerId(c.name),
    );
  }

  for (const c of topology.containers) {
    const id = containerId(c.name);
    const placement = placementOf(c);
    if (placement === 'host' && !g.parent(id)) g.setParent(id, HOST_GROUP);
    if (placement !== 'network') continue;
    for (const a of c.networks) {
      const net = networkId(a.network);
      if (!nodes.has(net)) continue;
      // Ranked network -> container so containers sit below their networks; drawn and named container -> network.
      addEdge(
        { kind: 'attachment', id: `attach:${c.name}:${a.network}`, from: id, to: net, points: [], ip: a.ip, mac: a.mac },
        net,
        id,
        edgeLabelSize(a.ip, a.mac),
      );
    }
  }

  dagre.layout(g);

  for (const node of nodes.values()) place(node, g.node(node.id));
  for (const group of groups.values()) place(group, g.node(group.id));
  for (const e of g.edges()) {
    const edge = e.name ? edgeByName.get(e.name) : undefined;
    const laid = g.edge(e) as EdgeLabel | undefined;
    if (!edge || !laid) continue;
    edge.points = (laid.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
    if (edge.kind === 'attachment' && laid.x !== undefined && laid.y !== undefined) {
      edge.label = { x: round(laid.x), y: round(laid.y), width: laid.width ?? 0, height: laid.height ?? 0 };
    }
  }
  const graph = g.graph();
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    // Outer boxes first so they are painted underneath what they hold.
    groups: [...groups.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'host' ? -1 : 1)),
    nodes: [...nodes.values()],
    edges,
  };
}

function place(box: Box, laid: { x?: number; y?: number; width: number; height: number } | undefined): void {
  if (!laid || laid.x === undefined || laid.y === undefined) return;
  box.width = round(laid.width);
  box.height = round(laid.height);
  box.x = round(laid.x - laid.width / 2);
  box.y = round(laid.y - laid.height / 2);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** How much a layout must shrink (below 1) or may grow to fill a pane of this size. */
export function fitScale(layout: Pick<MapLayout, 'width' | 'height'>, pane: { width: number; height: number }): number {
  if (layout.width <= 0 || layout.height <= 0) return 1;
  return Math.min(pane.width / layout.width, pane.height / layout.height);
}

export type DirectedLayout = MapLayout & { direction: MapDirection };

/**
 * Of the two directions, the one drawn larger in the pane, so text stays
 * readable whether the pane is tall or wide. Resizing only picks again: the
 * layouts themselves depend on the topology alone.
 */
export function pickLayout(layouts: Record<MapDirection, MapLayout>, pane: { width: number; height: number }): DirectedLayout {
  if (pane.width <= 0 || pane.height <= 0) return { ...layouts.TB, direction: 'TB' };
  return fitScale(layouts.LR, pane) > fitScale(layouts.TB, pane) ? { ...layouts.LR, direction: 'LR' } : { ...layouts.TB, direction: 'TB' };
}
