// The lesson's own names on the engine: removed before a lab (leftovers of an
// earlier run, and only those names), and looked for after a reset.
import type Dockerode from 'dockerode';
import type { Topology } from '../../electron/api/types';

export interface LessonNames {
  containers: readonly string[];
  networks: readonly string[];
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** Which of the names exist now (exact names; Docker's name filter matches substrings). */
export async function existingNames(docker: Dockerode, names: LessonNames): Promise<{ containers: string[]; networks: string[] }> {
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true }), docker.listNetworks()]);
  const present = new Set(containers.flatMap((c) => c.Names.map((n) => n.replace(/^\//, ''))));
  const nets = new Set(networks.map((n) => n.Name));
  return {
    containers: names.containers.filter((n) => present.has(n)),
    networks: names.networks.filter((n) => nets.has(n)),
  };
}

/**
 * Removes the containers and networks of these names that exist, and nothing
 * else: a container of another name attached to one of the networks is only
 * disconnected. Returns what was removed, for the log.
 */
export async function removeNames(docker: Dockerode, names: LessonNames): Promise<{ removed: string[]; failed: string[] }> {
  const found = await existingNames(docker, names);
  const removed: string[] = [];
  const failed: string[] = [];
  for (const name of found.containers) {
    try {
      await docker.getContainer(name).remove({ force: true });
      removed.push(`container ${name}`);
    } catch (err) {
      if (statusOf(err) !== 404) failed.push(`container ${name}: ${(err as Error).message}`);
    }
  }
  for (const name of found.networks) {
    const network = docker.getNetwork(name);
    try {
      const info = (await network.inspect()) as { Containers?: Record<string, unknown> };
      for (const id of Object.keys(info.Containers ?? {})) {
        await network.disconnect({ Container: id, Force: true }).catch(() => undefined);
      }
      await network.remove();
      removed.push(`network ${name}`);
    } catch (err) {
      if (statusOf(err) !== 404) failed.push(`network ${name}: ${(err as Error).message}`);
    }
  }
  return { removed, failed };
}

/** What the lab marked as its own in the topology (ids and names), to look for after a reset. */
export function recordedByLab(topology: Topology): { containers: { id: string; name: string }[]; networks: { id: string; name: string }[] } {
  return {
    containers: topology.containers.filter((c) => c.createdByLab).map((c) => ({ id: c.id, name: c.name })),
    networks: topology.networks.filter((n) => n.createdByLab && !n.builtin).map((n) => ({ id: n.id, name: n.name })),
  };
}

/** Leftovers after a reset: names of the lesson or objects the lab recorded that still exist. */
export async function leftovers(docker: Dockerode, names: LessonNames, recorded: ReturnType<typeof recordedByLab>): Promise<string[]> {
  const found = await existingNames(docker, names);
  const out = [...found.containers.map((n) => `container ${n}`), ...found.networks.map((n) => `network ${n}`)];
  for (const c of recorded.containers) {
    if (names.containers.includes(c.name)) continue;
    try {
      await docker.getContainer(c.id).inspect();
      out.push(`container ${c.name} (recorded by the lab)`);
    } catch (err) {
      if (statusOf(err) !== 404) out.push(`container ${c.name}: ${(err as Error).message}`);
    }
  }
  for (const n of recorded.networks) {
    if (names.networks.includes(n.name)) continue;
    try {
      await docker.getNetwork(n.id).inspect();
      out.push(`network ${n.name} (recorded by the lab)`);
    } catch (err) {
      if (statusOf(err) !== 404) out.push(`network ${n.name}: ${(err as Error).message}`);
    }
  }
  return out;
}
