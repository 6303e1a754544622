// The docker CLI and dockerode as the benchmarks use them. Everything the
// bench creates is named bench-* or carries BENCH_LABEL, and only that is removed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { createDocker } from '../../electron/services/docker/client';
import { epochMs, sleep } from './stats';

export const PREFIX = 'bench-';
/** Set on everything the bench creates under a lesson's own names, so it knows what is its own. */
export const BENCH_LABEL = 'netlab.bench';

const run = promisify(execFile);

export async function dockerCli(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

let client: Dockerode | undefined;
export function docker(): Dockerode {
  client ??= createDocker().docker;
  return client;
}

export async function containerNames(): Promise<string[]> {
  return (await dockerCli('ps', '-a', '--format', '{{.Names}}')).split('\n').filter(Boolean);
}

export async function networkNames(): Promise<string[]> {
  return (await dockerCli('network', 'ls', '--format', '{{.Name}}')).split('\n').filter(Boolean);
}

/** Removes containers and networks whose name starts with `prefix` (default bench-). */
export async function removeByPrefix(prefix = PREFIX): Promise<void> {
  const containers = (await containerNames()).filter((n) => n.startsWith(prefix));
  if (containers.length) await dockerCli('rm', '-f', ...containers).catch(() => '');
  for (const net of (await networkNames()).filter((n) => n.startsWith(prefix))) {
    await dockerCli('network', 'rm', net).catch(() => '');
  }
}

/** The DNS lesson's own names. */
export const DNS_CONTAINERS = ['default_bbox01', 'default_bbox02', 'custom_bbox02', 'custom_bbox03', 'default_bbox1'];
export const DNS_NETWORKS = ['custom_network', 'custom-network'];

async function labelOf(kind: 'container' | 'network', name: string): Promise<string | undefined> {
  try {
    const info =
      kind === 'container' ? await docker().getContainer(name).inspect() : await docker().getNetwork(name).inspect();
    const labels = (kind === 'container' ? (info as Dockerode.ContainerInspectInfo).Config.Labels : (info as Dockerode.NetworkInspectInfo).Labels) ?? {};
    return labels[BENCH_LABEL];
  } catch {
    return undefined;
  }
}

/**
 * Makes the DNS lesson's names free: the bench's own leftovers (labelled) are
 * removed; anyone else's are waited for (another helper may be verifying the
 * lesson right now). Throws if they are still taken after `waitMs`.
 */
export async function freeDnsNames(waitMs = 90_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const taken: string[] = [];
    const containers = new Set(await containerNames());
    for (const name of DNS_CONTAINERS.filter((n) => containers.has(n))) {
      if (await labelOf('container', name)) await dockerCli('rm', '-f', name).catch(() => '');
      else taken.push(name);
    }
    const networks = new Set(await networkNames());
    for (const name of DNS_NETWORKS.filter((n) => networks.has(n))) {
      if (await labelOf('network', name)) await dockerCli('network', 'rm', name).catch(() => '');
      else taken.push(name);
    }
    if (!taken.length) return;
    if (Date.now() > deadline) throw new Error(`the DNS lesson's names are in use by someone else: ${taken.join(', ')}`);
    await sleep(2_000);
  }
}

/** Removes the DNS lesson's names the bench created (labelled ones only). */
export async function removeOwnDnsNames(): Promise<void> {
  for (const name of DNS_CONTAINERS) if (await labelOf('container', name)) await dockerCli('rm', '-f', name).catch(() => '');
  for (const name of DNS_NETWORKS) if (await labelOf('network', name)) await dockerCli('network', 'rm', name).catch(() => '');
}

/** When each create and destroy event for one named object reached this process (epochMs), from our own getEvents subscription. */
export async function eventArrivals(
  type: 'container' | 'network',
  name: string,
): Promise<{ times: { create: number[]; destroy: number[] }; stop(): void }> {
  const times = { create: [] as number[], destroy: [] as number[] };
  const stream = (await docker().getEvents({ filters: { type: [type], event: ['create', 'destroy'] } })) as NodeJS.ReadableStream & { destroy(): void };
  let buf = '';
  stream.on('data', (chunk: Buffer) => {
    const at = epochMs();
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const ev = JSON.parse(line) as { Action?: string; Actor?: { Attributes?: Record<string, string> } };
      if (ev.Actor?.Attributes?.name !== name) continue;
      if (ev.Action === 'create') times.create.push(at);
      if (ev.Action === 'destroy') times.destroy.push(at);
    }
  });
  return { times, stop: () => stream.destroy() };
}
