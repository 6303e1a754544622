// Preflight against the real engine, and against sockets that fail in each way
// a learner's machine can: missing, refused, silent, and permission denied.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preflight } from '../../electron/api/types';
import { createDocker } from '../../electron/services/docker/client';
import { runPreflight } from '../../electron/services/docker/preflight';
import { dockerCli } from '../support/docker';

const SOCKET = '/var/run/docker.sock';
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

/**
 * Runs runPreflight as another user (needs root), in this process: the
 * effective ids change for the call and back. A child process under that
 * user could not even read the checkout when it sits in a private folder
 * (a `mktemp -d` clone), and this test must not depend on where it sits.
 */
async function preflightAs(id: number, socketPath: string): Promise<Preflight> {
  const groups = process.getgroups?.() ?? [];
  process.setgroups?.([id]);
  process.setegid?.(id);
  process.seteuid?.(id);
  try {
    // A fresh agent: a kept-alive connection from an earlier test would be reused, never refused.
    return await runPreflight(new Dockerode({ socketPath, agent: new http.Agent() } as Dockerode.DockerOptions), `unix://${socketPath}`, []);
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
    process.setgroups?.(groups);
  }
}
