import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { APP_LABEL, hostViewDifferences, hostViewSpec } from './host-view';

const ID = `sha256:${'b'.repeat(64)}`;

/** What `docker inspect` reports for a container created from spec (the fields we compare). */
function inspected(spec: Dockerode.ContainerCreateOptions, image: string): Dockerode.ContainerInspectInfo {
  return {
    Image: image,
    Config: { Entrypoint: spec.Entrypoint, Cmd: null, User: spec.User, Labels: spec.Labels },
    HostConfig: { PidMode: '', CapAdd: null, Binds: null, ...spec.HostConfig },
    Mounts: [],
  } as unknown as Dockerode.ContainerInspectInfo;
}

describe('hostViewSpec', () => {
  it('shares the host network only, with no capability, no new privileges, a read-only root, its own entrypoint, as nobody', () => {
    const spec = hostViewSpec('v', ID);
    expect(spec).toMatchObject({
      name: 'v',
      Image: ID,
      Entrypoint: ['tail', '-f', '/dev/null'],
      User: '65534:65534',
      Labels: { [APP_LABEL]: 'docker-host' },
      HostConfig: { NetworkMode: 'host', CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], ReadonlyRootfs: true },
    });
    expect(spec.HostConfig?.PidMode).toBeUndefined();
    expect(spec.HostConfig?.CapAdd).toBeUndefined();
    expect(spec.HostConfig?.Privileged).toBeUndefined();
    expect(spec.HostConfig?.Binds).toBeUndefined();
    expect(spec.Cmd).toBeUndefined();
  });
});

describe('hostViewDifferences', () => {
  it('finds none in a view created from the spec', () => {
    expect(hostViewDifferences(inspected(hostViewSpec('v', ID), ID), ID)).toEqual([]);
  });

  it('names every way an older or altered view differs', () => {
    const old = inspected(
      { Entrypoint: null as unknown as string[], User: '', Labels: { [APP_LABEL]: 'docker-host' }, HostConfig: { NetworkMode: 'host', PidMode: 'host' } },
      `sha256:${'c'.repeat(64)}`,
    );
    (old.Config as { Cmd: string[] }).Cmd = ['tail', '-f', '/dev/null'];
    expect(hostViewDifferences(old, ID)).toEqual([
      `image sha256:${'c'.repeat(64)}, not ${ID}`,
      'PID mode host',
      'capabilities dropped: []',
      'new privileges allowed',
      'writable root filesystem',
      'entrypoint null',
      'command ["tail","-f","/dev/null"]',
      'user ""',
    ]);
  });

  it('catches an added capability, privilege, a bind mount or another network', () => {
    const spec = hostViewSpec('v', ID);
    const altered = inspected({ ...spec, HostConfig: { ...spec.HostConfig, NetworkMode: 'bridge', CapAdd: ['NET_ADMIN'], Privileged: true } }, ID);
    (altered as { Mounts: unknown[] }).Mounts = [{ Type: 'bind', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock' }];
    expect(hostViewDifferences(altered, ID)).toEqual(['network mode bridge', 'privileged', 'capabilities added: ["NET_ADMIN"]', 'bind mounts']);
  });
});
