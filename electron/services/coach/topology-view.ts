// Questions the coach asks of the tracker's model: find a container the way
// the docker CLI does (name or id prefix), who is on which network, and which
// known name a typo was probably meant to be.
import type { ContainerNode, NetworkNode, Topology } from '../../api/types';

export function findContainer(topology: Topology | undefined, ref: string): ContainerNode | undefined {
  if (!topology || ref === '') return undefined;
  const name = ref.replace(/^\//, '');
  return (
    topology.containers.find((c) => c.name === name) ??
    (/^[0-9a-f]{3,64}$/.test(name) ? topology.containers.find((c) => c.id.startsWith(name)) : undefined)
  );
}

export function findNetwork(topology: Topology | undefined, ref: string): NetworkNode | undefined {
  if (!topology || ref === '') return undefined;
  return (
    topology.networks.find((n) => n.name === ref) ??
    (/^[0-9a-f]{3,64}$/.test(ref) ? topology.networks.find((n) => n.id.startsWith(ref)) : undefined)
  );
}

export function networksOf(container: ContainerNode): string[] {
  return container.networks.map((a) => a.network);
}

export function isOn(container: ContainerNode, network: string): boolean {
  return container.networks.some((a) => a.network === network);
}

/** On the default bridge and nothing else. */
export function onlyOnDefaultBridge(container: ContainerNode): boolean {
  return container.networks.length > 0 && container.networks.every((a) => a.network === 'bridge');
}

/** Containers attached to a network, by name. */
export function attachedTo(topology: Topology, network: string): string[] {
  return topology.containers.filter((c) => isOn(c, network)).map((c) => c.name);
}

/** The container's address on a network ('' when it has none there). */
export function addressOn(container: ContainerNode, network: string): string {
  return container.networks.find((a) => a.network === network)?.ip ?? '';
}

/** Networks two containers share. */
export function sharedNetworks(a: ContainerNode, b: ContainerNode): string[] {
  const theirs = new Set(networksOf(b));
  return networksOf(a).filter((n) => theirs.has(n));
}

/** The closest candidate to a probably mistyped name, if one is close enough to be meant. */
export function closestName(typed: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  const fold = (s: string): string => s.toLowerCase().replace(/[-_.]/g, '');
  for (const name of new Set(candidates)) {
    if (name === typed) continue;
    const distance = fold(name) === fold(typed) ? 0.5 : editDistance(typed, name);
    const limit = Math.min(2, Math.floor(Math.max(typed.length, name.length) / 4));
    if (distance <= Math.max(limit, 0.5) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

export const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** A word that can be a container name (not an address, variable or substitution). */
export const NAME_LIKE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
