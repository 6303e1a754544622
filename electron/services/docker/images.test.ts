import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ImagePullProgress } from '../../api/types';
import { pullImage } from './images';

/** A Dockerode whose pull answers with the given progress lines (followProgress stays real). */
function dockerPulling(lines: object[], pullError?: Error): { docker: Dockerode; pulled: string[] } {
  const docker = new Dockerode({ socketPath: '/nonexistent/docker.sock' });
  const pulled: string[] = [];
  docker.pull = (async (ref: string) => {
    pulled.push(ref);
    if (pullError) throw pullError;
    const stream = new PassThrough();
    setImmediate(() => {
      // Split one line across chunks: the parser must cope.
      const text = lines.map((l) => JSON.stringify(l)).join('\r\n') + '\r\n';
      stream.write(text.slice(0, 7));
      stream.end(text.slice(7));
    });
    return stream;
  }) as unknown as Dockerode['pull'];
  return { docker, pulled };
}

describe('pullImage', () => {
  it('reports per-layer fractions and finishes with done', async () => {
    const { docker, pulled } = dockerPulling([
      { status: 'Pulling from library/busybox', id: 'latest' },
      { status: 'Pulling fs layer', id: 'aaaaaaaaaaaa', progressDetail: {} },
      { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 50, total: 200 } },
      { status: 'Already exists', id: 'bbbbbbbbbbbb', progressDetail: {} },
      { status: 'Pull complete', id: 'aaaaaaaaaaaa', progressDetail: {} },
      { status: 'Status: Downloaded newer image for busybox:latest' },
    ]);
    const events: ImagePullProgress[] = [];
    await pullImage(docker, 'busybox', (p) => events.push(p));

    expect(pulled).toEqual(['busybox:latest']);
    const downloading = events.find((e) => e.layers.some((l) => l.status === 'Downloading'));
    expect(downloading?.layers.find((l) => l.id === 'aaaaaaaaaaaa')?.fraction).toBe(0.25);
    const last = events.at(-1);
    expect(last?.done).toBe(true);
    expect(last?.error).toBeUndefined();
    expect(last?.status).toBe('Status: Downloaded newer image for busybox:latest');
    expect(last?.layers).toEqual([
      { id: 'aaaaaaaaaaaa', status: 'Pull complete', fraction: 1 },
      { id: 'bbbbbbbbbbbb', status: 'Already exists', fraction: 1 },
    ]);
  });

  it('explains an unreachable registry, from the HTTP answer', async () => {
    const { docker } = dockerPulling([], new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'));
    const events: ImagePullProgress[] = [];
    await expect(pullImage(docker, 'busybox', (p) => events.push(p))).rejects.toThrow(
      /^could not reach the registry for busybox: no network\? Import an image pack or build the images locally/,
    );
    expect(events.at(-1)).toMatchObject({ done: true, error: expect.stringContaining('could not reach the registry') });
  });

  it('fails on an error reported inside the stream', async () => {
    const { docker } = dockerPulling([
      { status: 'Pulling from library/nosuch', id: 'latest' },
      { errorDetail: { message: 'manifest unknown' }, error: 'manifest unknown' },
    ]);
    await expect(pullImage(docker, 'nosuch', () => undefined)).rejects.toThrow('could not pull nosuch: manifest unknown');
  });
});
