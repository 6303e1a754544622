// A proxy in front of the real Docker socket that plays an engine with a
// policy against host networking (as an authorization plugin or a locked-down
// engine has): a container create with NetworkMode "host" gets a 403 with the
// engine's kind of message; everything else passes unchanged, upgraded
// connections (attach, exec) included. Point the services at it with
// DOCKER_HOST=proxy.dockerHost.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOST_NETWORK_REFUSAL = 'host networking is not allowed on this engine (test policy)';

export interface PolicyDockerProxy {
  dockerHost: string;
  /** How many creates it refused. */
  refused(): number;
  close(): Promise<void>;
}

export async function startPolicyDockerProxy(target = '/var/run/docker.sock'): Promise<PolicyDockerProxy> {
  let refused = 0;
  const sockets = new Set<net.Socket>();
  const upstreams = new Set<http.ClientRequest>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && /\/containers\/create(\?|$)/.test(req.url ?? '') && wantsHostNetwork(body)) {
        refused++;
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: HOST_NETWORK_REFUSAL }));
        return;
      }
      const upstream = http.request({ socketPath: target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // A stream (events, wait) answers its headers long before its first byte: pass them on now.
        res.flushHeaders();
        answer.pipe(res);
      });
      upstreams.add(upstream);
      upstream.on('close', () => upstreams.delete(upstream));
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  // attach / exec start: the raw request goes on, then bytes flow both ways.
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const upstream = net.connect(target, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const dir = await mkdtemp(join(tmpdir(), 'netlab-policy-proxy-'));
  const path = join(dir, 'docker.sock');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    dockerHost: `unix://${path}`,
    refused: () => refused,
    async close() {
      for (const u of upstreams) u.destroy();
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function wantsHostNetwork(body: Buffer): boolean {
  try {
    const spec = JSON.parse(body.toString('utf8')) as { HostConfig?: { NetworkMode?: unknown } };
    return spec.HostConfig?.NetworkMode === 'host';
  } catch {
    return false;
  }
}
