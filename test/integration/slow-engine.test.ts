// A slow or stuck engine, through a socket proxy in front of the real Docker:
// with a delay every operation still succeeds; when the proxy stalls, lab.open,
// lab.reset and a container shell fail with a clear timeout message (short
// timeouts configured here), progress is reported, and nothing the learner owns is removed.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services/app/services';
import { openAppLog } from '../../electron/services/log/logger';
import { RecordingSink } from '../support/services';
import { startSlowDockerProxy, type SlowDockerProxy } from '../support/slow-docker-proxy';
import { containerNames, dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-rn-';
const LESSONS = resolve(__dirname, '../fixtures/courses/robust-course');
const lessonId = 'robust-names';
const TIMEOUT_MS = 1500;

let proxy: SlowDockerProxy;
const started: Services[] = [];

async function servicesVia(dockerHost: string): Promise<{ services: Services; sink: RecordingSink; dataDir: string }> {
  const sink = new RecordingSink();
  const dataDir = await mkdtemp(join(tmpdir(), 'netlab-slow-'));
  await openAppLog(dataDir);
  const services = await createServices(
    {
      dataDir,
      lessons: [{ dir: LESSONS, source: 'extra' }],
      appVersion: 'test',
      transport: 'websocket',
      cleanShellRc: true,
      env: { ...process.env, DOCKER_HOST: dockerHost, HISTFILE: join(dataDir, 'history') },
      engineTimeoutMs: TIMEOUT_MS,
      slowAfterMs: 100,
    },
    sink,
  );
  started.push(services);
  return { services, sink, dataDir };
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  await dockerCli('run', '-d', '--name', `${PREFIX}web1`, 'busybox', 'sleep', '600');
});

afterEach(async () => {
  // Cut the proxy first: requests stuck in it fail, so disposing cannot hang.
  await proxy?.close();
  for (const s of started.splice(0)) await s.dispose();
});

afterAll(async () => {
  await removeByPrefix(PREFIX);
});

describe('a slow engine', () => {
  it('with a delay on every chunk, preflight, lab.open, topology, reset and a container shell still work', async () => {
    proxy = await startSlowDockerProxy({ delayMs: 40 });
    const { services, sink } = await servicesVia(proxy.dockerHost);
    const api = services.handlers;

    const preflight = await api['preflight.run']({});
    expect(preflight.reachable).toBe(true);
    expect(preflight.endpoint).toBe(proxy.dockerHost);
    await api['lab.open']({ lessonId });
    await dockerCli('run', '-d', '--name', `${PREFIX}box`, 'busybox', 'sleep', '600');
    await waitFor(async () => (await api['lab.topology']({})).containers.some((c) => c.name === `${PREFIX}box`), 'the box through the proxy');
    const shell = await api['terminal.open']({ kind: 'container', container: `${PREFIX}box`, cols: 80, rows: 24 });
    expect(shell.running).toBe(true);
    await api['terminal.close']({ id: shell.id });

    const result = await api['lab.reset']({});
    expect(result.removedContainers).toEqual([`${PREFIX}box`]);
    expect(await containerNames(PREFIX)).toEqual([`${PREFIX}web1`]);
    // Nothing timed out.
    expect(sink.of('operation.progress').filter((p) => p.phase === 'failed')).toEqual([]);
  });

  it('stalled while a lab is open: reset and a container shell time out with a clear message; nothing is removed', async () => {
    proxy = await startSlowDockerProxy();
    const { services, sink } = await servicesVia(proxy.dockerHost);
    const api = services.handlers;
    await api['lab.open']({ lessonId });
    await dockerCli('run', '-d', '--name', `${PREFIX}box`, 'busybox', 'sleep', '600');
    await waitFor(async () => (await api['lab.topology']({})).containers.some((c) => c.name === `${PREFIX}box`), 'the box through the proxy');

    proxy.stall();
    await expect(api['lab.reset']({})).rejects.toThrow(
      `The Docker engine at ${proxy.dockerHost} did not answer within 1.5 s while removing the lab's containers and networks.`,
    );
    await expect(api['terminal.open']({ kind: 'container', container: `${PREFIX}box`, cols: 80, rows: 24 })).rejects.toThrow(
      /did not answer within 1\.5 s while opening a shell in itest-rn-box/,
    );
    // The UI was told it was waiting, then that it failed, for each.
    const progress = sink.of('operation.progress');
    for (const op of ['lab.reset', 'terminal.open']) {
      expect(progress.filter((p) => p.op === op).map((p) => p.phase)).toEqual(['slow', 'failed']);
    }
    expect(progress.find((p) => p.op === 'lab.reset' && p.phase === 'failed')?.message).toMatch(/did not answer/);
    // The stalled requests never reached Docker: the learner's web1 and the lab's box are both still there.
    expect(await containerNames(PREFIX)).toEqual([`${PREFIX}box`, `${PREFIX}web1`]);
    await dockerCli('rm', '-f', `${PREFIX}box`);
  });

  it('stalled from the start: lab.open fails with the timeout message, and the lesson can be opened again later', async () => {
    proxy = await startSlowDockerProxy();
    proxy.stall();
    const { services, sink } = await servicesVia(proxy.dockerHost);
    await expect(services.handlers['lab.open']({ lessonId })).rejects.toThrow(
      `The Docker engine at ${proxy.dockerHost} did not answer within 1.5 s while opening the lab`,
    );
    expect(sink.of('operation.progress').map((p) => [p.op, p.phase])).toEqual([
      ['lab.open', 'slow'],
      ['lab.open', 'failed'],
    ]);
    // The engine answers again: the same services open the lab.
    proxy.resume();
    const opened = await services.handlers['lab.open']({ lessonId });
    expect(opened.topology.containers.some((c) => c.name === `${PREFIX}web1`)).toBe(true);
    expect(await containerNames(PREFIX)).toEqual([`${PREFIX}web1`]);
  });

  it('stalled during an image pull: the pull fails after the same silence, with the engine in the message', async () => {
    proxy = await startSlowDockerProxy();
    const { services, sink } = await servicesVia(proxy.dockerHost);
    proxy.stall();
    await expect(services.handlers['images.pull']({ image: 'busybox' })).rejects.toThrow(
      `The Docker engine at ${proxy.dockerHost} did not answer within 1.5 s while pulling busybox (no progress)`,
    );
    // The image list in the UI is told the pull ended, with the reason.
    expect(sink.of('images.progress').at(-1)).toMatchObject({ image: 'busybox', done: true, error: expect.stringContaining('did not answer') });
  });

  it('stalled during an image pack export: it fails after the same silence and leaves no file', async () => {
    proxy = await startSlowDockerProxy();
    const { services, dataDir } = await servicesVia(proxy.dockerHost);
    const file = join(dataDir, 'course.netlab-images.tar');
    proxy.stall();
    await expect(services.handlers['images.exportPack']({ file })).rejects.toThrow(
      `did not answer within 1.5 s while exporting the image pack (no progress)`,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('over tcp:// as well: a stalled reset times out with the tcp endpoint in the message', async () => {
    proxy = await startSlowDockerProxy({ listen: 'tcp' });
    const { services } = await servicesVia(proxy.dockerHost);
    await services.handlers['lab.open']({ lessonId });
    proxy.stall();
    await expect(services.handlers['lab.reset']({})).rejects.toThrow(`The Docker engine at ${proxy.dockerHost} did not answer within 1.5 s`);
    expect(await containerNames(PREFIX)).toEqual([`${PREFIX}web1`]);
  });
});
