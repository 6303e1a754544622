// Preflight against the real engine, and against sockets that fail in each way
// a learner's machine can: missing, refused, silent, and permission denied.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preflight } from '../../electron/api/types';
import { createDocker } from '../../electron/services/docker/client';
import { runPreflight } from '../../electron/services/docker/preflight';
import { dockerCli } from './helpers/docker';

const SOCKET = '/var/run/docker.sock';
const ROOT = path.resolve(__dirname, '../..');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'netlab-preflight-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function listen(server: net.Server, target: string | number): Promise<void> {
  return new Promise((resolve) => server.listen(target as never, () => resolve()));
}

describe('runPreflight', () => {
  it('reports a reachable engine with version and which images are present', async () => {
    const result = await runPreflight(new Dockerode({ socketPath: SOCKET }), `unix://${SOCKET}`, ['busybox', 'itest-lab-no-such-image:nope']);
    const serverVersion = await dockerCli('version', '--format', '{{.Server.Version}}');
    expect(result).toMatchObject({ reachable: true, endpoint: `unix://${SOCKET}`, version: serverVersion, kind: 'engine' });
    expect(result.apiVersion).toMatch(/^1\.\d+$/);
    expect(result.os).toBeTruthy();
    expect(result.problem).toBeUndefined();
    expect(result.images).toEqual([
      { name: 'busybox', present: true },
      { name: 'itest-lab-no-such-image:nope', present: false },
    ]);
  });

  it('finds this machine\'s engine through createDocker', async () => {
    const { docker, endpoint } = createDocker();
    const result = await runPreflight(docker, endpoint, ['httpd']);
    expect(result.reachable).toBe(true);
    expect(result.images).toEqual([{ name: 'httpd', present: true }]);
  });

  it('says not-running, with advice, when the socket does not exist', async () => {
    const missing = path.join(tmp, 'missing', 'docker.sock');
    const result = await runPreflight(new Dockerode({ socketPath: missing }), `unix://${missing}`, ['busybox']);
    expect(result.reachable).toBe(false);
    expect(result.problem?.code).toBe('not-running');
    expect(result.problem?.advice.en).toContain('sudo systemctl start docker');
    expect(result.problem?.advice['zh-CN']).toContain('Docker Desktop');
    expect(result.images).toEqual([{ name: 'busybox', present: false }]);
  });

  it('says not-running when the connection is refused', async () => {
    // Take a free port, then free it again: nothing listens there.
    const probe = net.createServer();
    await listen(probe, 0);
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const result = await runPreflight(new Dockerode({ host: '127.0.0.1', port, protocol: 'http' }), `tcp://127.0.0.1:${port}`, []);
    expect(result.problem?.code).toBe('not-running');
    expect(result.problem?.message).toContain('ECONNREFUSED');
  });

  it('says timeout when the engine accepts but never answers', async () => {
    const silentPath = path.join(tmp, 'silent.sock');
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await listen(silent, silentPath);
    try {
      const started = Date.now();
      const result = await runPreflight(new Dockerode({ socketPath: silentPath }), `unix://${silentPath}`, ['busybox'], 300);
      expect(result.problem?.code).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('says permission, with the docker group advice, when the socket is not ours', async () => {
    let result: Preflight;
    if (process.getuid?.() === 0) {
      // Root is never refused by file modes: ask as an unprivileged user instead.
      result = await preflightAs(65534, SOCKET);
    } else {
      const lockedPath = path.join(tmp, 'locked.sock');
      const locked = net.createServer();
      await listen(locked, lockedPath);
      chmodSync(lockedPath, 0o000);
      try {
        result = await runPreflight(new Dockerode({ socketPath: lockedPath }), `unix://${lockedPath}`, []);
      } finally {
        await new Promise((r) => locked.close(r));
      }
    }
    expect(result.reachable).toBe(false);
    expect(result.problem?.code).toBe('permission');
    expect(result.problem?.advice.en).toContain('sudo usermod -aG docker $USER');
  });
});

/** Runs runPreflight in a child process under another uid (needs root), returning its result. */
function preflightAs(uid: number, socketPath: string): Promise<Preflight> {
  const script = `
    import Dockerode from 'dockerode';
    import { runPreflight } from ${JSON.stringify(path.join(ROOT, 'electron/services/docker/preflight.ts'))};
    runPreflight(new Dockerode({ socketPath: ${JSON.stringify(socketPath)} }), 'unix://${socketPath}', []).then(
      (r) => process.stdout.write(JSON.stringify(r)),
    );
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['-e', script], {
      cwd: ROOT,
      uid,
      gid: uid,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`preflight as uid ${uid} exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as Preflight);
    });
  });
}
