import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { engineRequester } from './engine-request';

let dir: string | undefined;
let server: http.Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('engineRequester', () => {
  it("asks docker-modem's socket lookup once, and every request reaches the socket it found", async () => {
    dir = await mkdtemp(join(tmpdir(), 'netlab-engine-request-'));
    const socket = join(dir, 'engine.sock');
    const seen: string[] = [];
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('OK');
    });
    await new Promise<void>((resolve) => server!.listen(socket, resolve));
    let lookups = 0;
    // docker-modem's default socketPath is a function that looks on the disk.
    const docker = { modem: { socketPath: async () => (lookups++, socket) } } as unknown as Dockerode;
    const request = engineRequester(docker);
    for (const path of ['/_ping', '/version', '/_ping']) {
      const req = await request({ method: 'GET', path });
      const body = await new Promise<string>((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('OK');
    }
    expect(seen).toEqual(['GET /_ping', 'GET /version', 'GET /_ping']);
    expect(lookups).toBe(1);
  });
});
