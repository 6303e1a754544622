// pullImage against a real registry: Debian's docker-registry on localhost
// (the engine trusts 127.0.0.0/8 over plain http), so no internet is needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePullProgress } from '../../electron/api/types';
import { pullImage } from '../../electron/services/docker/images';
import { dockerCli, waitFor } from '../support/docker';
import { freePort } from '../support/free-port';

const REGISTRY_BIN = '/usr/bin/docker-registry';
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
let tmp: string;
let registry: ChildProcess | undefined;
let registryLog = '';
let image: string;

beforeAll(async () => {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} is missing: install Debian's docker-registry package to run the image pull test`);
  }
  tmp = mkdtempSync(path.join(os.tmpdir(), 'netlab-registry-'));
  const port = await freePort();
  mkdirSync(path.join(tmp, 'data'));
  const config = path.join(tmp, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(tmp, 'data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  registry = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  registry.stdout?.on('data', (d: Buffer) => (registryLog += d.toString()));
  registry.stderr?.on('data', (d: Buffer) => (registryLog += d.toString()));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).ok, `the registry on port ${port} (log: ${registryLog})`);

  // An image with a layer of its own (random bytes), so the pull downloads
  // something and reports progress instead of finding every layer present.
  image = `127.0.0.1:${port}/itest-lab-busybox:latest`;
  const source = 'itest-lab-image-source';
  await dockerCli('rm', '-f', source).catch(() => undefined);
  await dockerCli('run', '--name', source, 'busybox', 'sh', '-c', 'head -c 4000000 /dev/urandom > /blob');
  await dockerCli('commit', source, image);
  await dockerCli('rm', '-f', source);
  await dockerCli('push', image);
  await dockerCli('rmi', image);
});

afterAll(async () => {
  if (image) await dockerCli('rmi', image).catch(() => undefined);
  registry?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('pullImage', () => {
  it('pulls from a registry with per-layer progress', async () => {
    await expect(docker.getImage(image).inspect()).rejects.toThrow();
    const events: ImagePullProgress[] = [];
    await pullImage(docker, image, (p) => events.push(p));

    expect(events.length).toBeGreaterThan(1);
    const last = events.at(-1);
    expect(last).toMatchObject({ image, done: true });
    expect(last?.error).toBeUndefined();
    expect(last?.layers.length).toBeGreaterThan(0);
    expect(last?.layers.every((l) => l.fraction === 1)).toBe(true);
    // The new layer was downloaded with a partial fraction on the way.
    const partial = events.flatMap((e) => e.layers).filter((l) => l.fraction !== undefined && l.fraction > 0 && l.fraction < 1);
    expect(partial.length).toBeGreaterThan(0);
    const inspected = await docker.getImage(image).inspect();
    expect(inspected.RepoTags).toContain(image);
  });

  it('explains a registry that cannot be reached', async () => {
    const port = await freePort();
    const events: ImagePullProgress[] = [];
    await expect(pullImage(docker, `127.0.0.1:${port}/itest-lab-nothing:latest`, (p) => events.push(p))).rejects.toThrow(
      /could not reach the registry for 127\.0\.0\.1:\d+\/itest-lab-nothing:latest: no network\? Import an image pack or build the images locally/,
    );
    expect(events.at(-1)).toMatchObject({ done: true, error: expect.stringContaining('could not reach the registry') });
  });
});
