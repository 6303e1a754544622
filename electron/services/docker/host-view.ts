// The "Docker host view": a helper container on the host's network namespace
// (only that one), so a shell in it shows docker0, the veth ends and bridge
// membership on any platform (on Docker Desktop they live inside its VM, not
// on the learner's machine). Reading them (`ip addr`, `ip link`, `ip route`,
// /sys/class/net) needs no capability, so it runs with none: all dropped, no
// new privileges, as nobody, a read-only root with a small tmpfs /tmp, its own
// PID namespace, and its own entrypoint on an image pinned by id
// (host-view-image.ts). It carries the app's label, never mounts the Docker
// socket, and is removed with the lab. A labelled view created otherwise (an
// older app's, with the host's PID namespace) is replaced.
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';
import { log } from '../log/logger';
import { HOST_VIEW_IMAGE, pinnedHostViewImage } from './host-view-image';

/** Label on every container the app itself starts; the tracker leaves them out of labs. */
export const APP_LABEL = 'dev.netlab.app';
const HOST_VIEW_CONTAINER = 'netlab-docker-host';

/** Explicit, so the image's own ENTRYPOINT and CMD never run. */
const ENTRYPOINT = ['tail', '-f', '/dev/null'];
/**
 * nobody, numerically (no passwd lookup): with host networking the host's
 * abstract unix sockets are reachable, and some services trust a peer whose
 * uid is 0 (containerd-shim did: CVE-2020-15257).
 */
const USER = '65534:65534';

interface HostViewOptions {
  /** Where the pinned image id is recorded. */
  dataDir: string;
  /** Default busybox:latest, resolved once and then pinned by id. */
  image?: string;
  /** Default netlab-docker-host (tests use their own name on the shared engine). */
  name?: string;
}

/** What the host view is created with. */
export function hostViewSpec(name: string, imageId: string): Dockerode.ContainerCreateOptions {
  return {
    name,
    Image: imageId,
    Entrypoint: ENTRYPOINT,
    User: USER,
    Labels: { [APP_LABEL]: 'docker-host' },
    HostConfig: {
      NetworkMode: 'host',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      // busybox sh keeps nothing there, but a learner may want a scratch file.
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m' },
      AutoRemove: false,
    },
  };
}

/** How an existing view differs from hostViewSpec (empty: it is ours as is). */
export function hostViewDifferences(info: Dockerode.ContainerInspectInfo, imageId: string): string[] {
  const host = info.HostConfig;
  const found: string[] = [];
  if (info.Image !== imageId) found.push(`image ${info.Image}, not ${imageId}`);
  if (host.NetworkMode !== 'host') found.push(`network mode ${host.NetworkMode}`);
  if (host.PidMode) found.push(`PID mode ${host.PidMode}`);
  if (host.Privileged) found.push('privileged');
  if (JSON.stringify(host.CapDrop ?? []) !== JSON.stringify(['ALL'])) found.push(`capabilities dropped: ${JSON.stringify(host.CapDrop ?? [])}`);
  if ((host.CapAdd ?? []).length > 0) found.push(`capabilities added: ${JSON.stringify(host.CapAdd)}`);
  if (!(host.SecurityOpt ?? []).some((o: string) => o === 'no-new-privileges' || o === 'no-new-privileges:true')) found.push('new privileges allowed');
  if (!host.ReadonlyRootfs) found.push('writable root filesystem');
  if ((host.Binds ?? []).length > 0 || (info.Mounts ?? []).some((m) => m.Type === 'bind')) found.push('bind mounts');
  const entrypoint = info.Config.Entrypoint;
  if (JSON.stringify(typeof entrypoint === 'string' ? [entrypoint] : (entrypoint ?? [])) !== JSON.stringify(ENTRYPOINT)) {
    found.push(`entrypoint ${JSON.stringify(entrypoint)}`);
  }
  if ((info.Config.Cmd ?? []).length > 0) found.push(`command ${JSON.stringify(info.Config.Cmd)}`);
  if (info.Config.User !== USER) found.push(`user ${JSON.stringify(info.Config.User)}`);
  return found;
}

/** Starts (or reuses) the host view container; returns its name. */
export async function ensureHostView(docker: Dockerode, options: HostViewOptions): Promise<string> {
  const name = options.name ?? HOST_VIEW_CONTAINER;
  const imageId = await pinnedHostViewImage(docker, options.dataDir, options.image ?? HOST_VIEW_IMAGE);
  // Twice at most: two terminals opened at once may race to create it.
  for (let attempt = 0; ; attempt++) {
    const existing = docker.getContainer(name);
    let info: Dockerode.ContainerInspectInfo | undefined;
    try {
      info = await existing.inspect();
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    if (info) {
      if (info.Config.Labels?.[APP_LABEL] === undefined) {
        throw new LabError(
          `A container named ${name} exists and was not started by NetLab; it is left alone. Rename or remove it to use the Docker host view.`,
          'name-taken',
        );
      }
      const differences = hostViewDifferences(info, imageId);
      if (differences.length === 0) {
        if (!info.State.Running) await existing.start();
        return name;
      }
      log.info('replacing the Docker host view', { name, differences });
      await existing.remove({ force: true }).catch((err: unknown) => {
        if (statusOf(err) !== 404) throw err;
      });
    }
    try {
      const container = await docker.createContainer(hostViewSpec(name, imageId));
      await container.start();
      return name;
    } catch (err) {
      if (statusOf(err) !== 409 || attempt > 0) throw err;
    }
  }
}

/** Removes every container the app started (found by its label), in parallel, without a stop wait. */
export async function removeAppContainers(docker: Dockerode): Promise<string[]> {
  const mine = await docker.listContainers({ all: true, filters: { label: [APP_LABEL] } });
  await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return mine.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
