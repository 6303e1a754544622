import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { engineConnector } from './engine-connection';

let dir: string | undefined;
let server: net.Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes `text` on a new connection and reads until the other end closes. */
function exchange(connect: () => import('node:stream').Duplex, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect();
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    socket.end(text);
  });
}

describe('engineConnector', () => {
  it("asks docker-modem's socket lookup once, and every connection reaches the socket it found", async () => {
    dir = await mkdtemp(join(tmpdir(), 'netlab-engine-connection-'));
    const socket = join(dir, 'engine.sock');
    const seen: string[] = [];
    server = net.createServer({ allowHalfOpen: true }, (c) => {
      let text = '';
      c.on('data', (d: Buffer) => (text += d.toString()));
      c.on('end', () => {
        seen.push(text);
        c.end(`echo ${text}`);
      });
    });
    await new Promise<void>((resolve) => server!.listen(socket, resolve));
    let lookups = 0;
    // docker-modem's default socketPath is a function that looks on the disk.
    const docker = { modem: { socketPath: async () => (lookups++, socket) } } as unknown as Dockerode;
    const connect = engineConnector(docker);
    for (const text of ['one', 'two', 'three']) expect(await exchange(connect, text)).toBe(`echo ${text}`);
    expect(seen).toEqual(['one', 'two', 'three']);
    expect(lookups).toBe(1);
  });

  it('fails a connection to a socket that is not there, and the next one still tries', async () => {
    dir = await mkdtemp(join(tmpdir(), 'netlab-engine-connection-'));
    const docker = { modem: { socketPath: async () => join(dir!, 'none.sock') } } as unknown as Dockerode;
    const connect = engineConnector(docker);
    await expect(exchange(connect, 'x')).rejects.toThrow(/ENOENT/);
    await expect(exchange(connect, 'y')).rejects.toThrow(/ENOENT/);
  });
});
