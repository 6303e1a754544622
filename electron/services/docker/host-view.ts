// The "Docker host view": a helper container in the host's network and PID
// namespaces, so a shell in it shows docker0, the veth ends and bridge
// membership on any platform (on Docker Desktop they live inside its VM, not
// on the learner's machine). It carries the app's label, is not privileged,
// never mounts the Docker socket, and is removed with the lab.
import type Dockerode from 'dockerode';
import { LabError } from '../../api/errors';

/** Label on every container the app itself starts; the tracker leaves them out of labs. */
export const APP_LABEL = 'dev.netlab.app';
export const HOST_VIEW_CONTAINER = 'netlab-docker-host';

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/** Starts (or reuses) the host view container; returns its name. */
export async function ensureHostView(docker: Dockerode, image = 'busybox'): Promise<string> {
  const existing = docker.getContainer(HOST_VIEW_CONTAINER);
  try {
    const info = await existing.inspect();
    if (info.Config.Labels?.[APP_LABEL] === undefined) {
      throw new LabError(
        `A container named ${HOST_VIEW_CONTAINER} exists and was not started by NetLab; it is left alone. Rename or remove it to use the Docker host view.`,
        'name-taken',
      );
    }
    if (!info.State.Running) await existing.start();
    return HOST_VIEW_CONTAINER;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const container = await docker.createContainer({
    name: HOST_VIEW_CONTAINER,
    Image: image,
    Cmd: ['tail', '-f', '/dev/null'],
    Labels: { [APP_LABEL]: 'docker-host' },
    HostConfig: { NetworkMode: 'host', PidMode: 'host', AutoRemove: false },
  });
  await container.start();
  return HOST_VIEW_CONTAINER;
}

/** Removes every container the app started (found by its label), in parallel, without a stop wait. */
export async function removeAppContainers(docker: Dockerode): Promise<string[]> {
  const mine = await docker.listContainers({ all: true, filters: { label: [APP_LABEL] } });
  await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return mine.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}
