// Names a lesson needs that the learner's own containers or networks already
// hold. The lab never removes those by itself: the learner chooses to use the
// existing object, remove it (that exact id), or carry on.
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';
import type { NameConflict } from '../../api/types';

/** Every engine has these; a lesson may name them but never owns them. */
const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

interface ConflictScope {
  names: { containers: string[]; networks: string[] };
  /** Ids the lab created (its ledger) or the learner chose to use: not conflicts. */
  skip: (id: string) => boolean;
  /** The app's own helper containers carry this label. */
  ignoreLabel?: string;
}

export async function findNameConflicts(docker: Dockerode, scope: ConflictScope): Promise<NameConflict[]> {
  const containerNames = new Set(scope.names.containers);
  const networkNames = new Set(scope.names.networks.filter((n) => !BUILTIN_NETWORKS.has(n)));
  const [containers, networks] = await Promise.all([
    // Docker's name filter matches substrings: ask broadly, keep exact names only.
    containerNames.size ? docker.listContainers({ all: true, filters: { name: [...containerNames] } }) : [],
    networkNames.size ? docker.listNetworks({ filters: { name: [...networkNames] } }) : [],
  ]);
  const found: NameConflict[] = [];
  for (const c of containers) {
    const name = c.Names.map((n) => n.replace(/^\//, '')).find((n) => containerNames.has(n));
    if (!name || scope.skip(c.Id)) continue;
    if (scope.ignoreLabel && c.Labels[scope.ignoreLabel] !== undefined) continue;
    found.push({ kind: 'container', name, id: c.Id, image: c.Image, state: c.State });
  }
  for (const n of networks) {
    if (!networkNames.has(n.Name) || scope.skip(n.Id)) continue;
    found.push({ kind: 'network', name: n.Name, id: n.Id });
  }
  return found.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/**
 * The conflict a request means, checked against a fresh listing: the same kind,
 * name and id. A request made from an old list (the learner replaced the object
 * since) is refused, so it can never remove a different object.
 */
export function matchConflict(current: NameConflict[], request: { kind: NameConflict['kind']; name: string; id: string }): NameConflict {
  const named = current.find((c) => c.kind === request.kind && c.name === request.name);
  if (!named) {
    throw new LabError(`No ${request.kind} named ${request.name} conflicts with this lesson any more; nothing was changed.`, 'not-found');
  }
  if (named.id !== request.id) {
    throw new LabError(
      `The ${request.kind} named ${request.name} is now a different one (${named.id.slice(0, 12)}, not ${request.id.slice(0, 12)}); nothing was changed. Look at the list again.`,
      'stale',
    );
  }
  return named;
}

/** Removes exactly this object, by id. A container is stopped first (force). */
export async function removeConflict(docker: Dockerode, conflict: NameConflict): Promise<void> {
  try {
    if (conflict.kind === 'container') await docker.getContainer(conflict.id).remove({ force: true });
    else await docker.getNetwork(conflict.id).remove();
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode === 404) return;
    const json = (err as { json?: { message?: unknown } }).json;
    const reason = typeof json?.message === 'string' ? json.message : err instanceof Error ? err.message : String(err);
    throw new LabError(`Could not remove ${conflict.kind} ${conflict.name}: ${reason}`, 'docker');
  }
}
