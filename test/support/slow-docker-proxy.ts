// A proxy in front of the real Docker socket that makes the engine look slow
// or stuck: every chunk, either way, waits delayMs; stall() holds all traffic
// (new connections included) until resume(). Point the services at it with
// DOCKER_HOST=proxy.dockerHost (unix:// by default, tcp://127.0.0.1:port on request).
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SlowDockerProxy {
  /** A DOCKER_HOST value that reaches the proxy. */
  dockerHost: string;
  setDelay(ms: number): void;
  /** Holds every chunk in both directions until resume(); nothing reaches Docker meanwhile. */
  stall(): void;
  resume(): void;
  /** How many chunks are held or waiting right now. */
  pending(): number;
  /** Cuts every connection (held chunks are dropped, never delivered) and stops listening. */
  close(): Promise<void>;
}

export interface SlowDockerProxyOptions {
  target?: string;
  delayMs?: number;
  listen?: 'unix' | 'tcp';
}

export async function startSlowDockerProxy(options: SlowDockerProxyOptions = {}): Promise<SlowDockerProxy> {
  const target = options.target ?? '/var/run/docker.sock';
  let delayMs = options.delayMs ?? 0;
  let stalled = false;
  let closed = false;
  let waiting = 0;
  let released: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const sockets = new Set<net.Socket>();

  /** Forwards chunks from one side to the other in order, each delayed, all held while stalled. */
  function relay(from: net.Socket, to: net.Socket): void {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const due = Date.now() + delayMs;
      waiting += 1;
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        while (stalled && !closed) await gate;
        waiting -= 1;
        if (!closed && !to.destroyed) to.write(chunk);
      });
    });
    from.on('end', () => {
      chain = chain.then(() => {
        if (!to.destroyed) to.end();
      });
    });
    from.on('error', () => to.destroy());
    from.on('close', () => {
      void chain.then(() => to.destroy());
    });
  }

  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client);
    sockets.add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    relay(client, upstream);
    relay(upstream, client);
  });

  let dockerHost: string;
  let dir: string | undefined;
  if (options.listen === 'tcp') {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address() as net.AddressInfo;
    dockerHost = `tcp://127.0.0.1:${address.port}`;
  } else {
    dir = await mkdtemp(join(tmpdir(), 'netlab-slow-docker-'));
    const path = join(dir, 'docker.sock');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    dockerHost = `unix://${path}`;
  }

  return {
    dockerHost,
    setDelay(ms) {
      delayMs = ms;
    },
    stall() {
      if (stalled) return;
      stalled = true;
      gate = new Promise((resolve) => (released = resolve));
    },
    resume() {
      stalled = false;
      released();
    },
    pending: () => waiting,
    async close() {
      closed = true;
      stalled = false;
      released();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
