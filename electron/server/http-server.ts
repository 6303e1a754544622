// Browser mode: the built renderer over HTTP and the API contract over a
// WebSocket, both behind the per-run token.
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../api/dispatch';
import { authorize, isLoopback, TOKEN_COOKIE } from './auth';
import type { Broadcaster } from './broadcaster';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Large enough for a big paste, small enough that a garbage frame cannot hurt. */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface CallFrame {
  type: 'call';
  id: number;
  method: string;
  input?: unknown;
}

/**
 * The envelope only; the dispatcher checks the method and its input against the
 * contract. Checked by hand so this module loads without zod: the server answers
 * the page before the services (and zod) have loaded.
 */
export function parseCallFrame(raw: unknown): CallFrame | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { type, id, method, input } = raw as Record<string, unknown>;
  if (type !== 'call' || !Number.isSafeInteger(id) || (id as number) < 0) return undefined;
  if (typeof method !== 'string' || method.length > 64) return undefined;
  return { type, id: id as number, method, input };
}

export interface ServerOptions {
  host: string;
  port: number;
  token: string;
  staticDir: string;
  dispatch: Dispatcher;
  events: Broadcaster;
  /** Hears each static file served (its URL path), e.g. to know the page's files are out. */
  onServed?: (pathname: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

async function serveStatic(staticDir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const file = join(staticDir, rel);
  if (!file.startsWith(staticDir + sep)) {
    res.writeHead(404).end('not found');
    return false;
  }
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': rel === 'index.html' ? 'no-store' : 'max-age=3600',
    });
    res.end(body);
    return true;
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return false;
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const allowedHosts = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    const auth = authorize(req, options.token, allowedHosts, false);
    if (!auth.ok) {
      res.writeHead(auth.status ?? 401, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`NetLab refused this request (${auth.reason}). Open the address that \`npm run serve\` printed: it carries the token.\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (auth.fromQuery) {
      // The page's scripts and styles are fetched without the query: a strict, HttpOnly cookie carries it.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    void serveStatic(options.staticDir, pathname, res).then((ok) => {
      if (ok) options.onServed?.(pathname);
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const auth = authorize(req, options.token, allowedHosts, true);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!auth.ok || path !== '/api') {
      const status = auth.ok ? 404 : (auth.status ?? 401);
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (frame: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };
    const connection = options.events.add(send);
    let gone = false;
    const leave = (): void => {
      if (gone) return;
      gone = true;
      // Its shells would run on unseen (a reload opens new ones): stop them.
      const orphans = connection.owned();
      connection.remove();
      for (const id of orphans) void options.dispatch('terminal.close', { id });
    };
    ws.on('close', leave);
    ws.on('error', leave);
    ws.on('message', (data, isBinary) => {
      let parsed: CallFrame;
      try {
        if (isBinary) throw new Error('binary frames are not accepted');
        const frame = parseCallFrame(JSON.parse(data.toString()));
        if (!frame) throw new Error('not a call frame');
        parsed = frame;
      } catch (err) {
        send(JSON.stringify({ type: 'error', id: null, error: { name: 'BadFrame', message: (err as Error).message, code: 'bad-request' } }));
        return;
      }
      void options.dispatch(parsed.method, parsed.input).then((outcome) => {
        if (parsed.method === 'terminal.open' && 'result' in outcome) {
          const id = (outcome.result as { id: string }).id;
          // A socket that left while its shell opened: stop that shell too.
          if (gone) void options.dispatch('terminal.close', { id });
          else connection.own(id);
        }
        send(JSON.stringify('error' in outcome
          ? { type: 'error', id: parsed.id, error: outcome.error }
          : { type: 'result', id: parsed.id, result: outcome.result }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  allowedHosts.add(`${hostPart}:${port}`.toLowerCase());
  if (isLoopback(options.host)) {
    allowedHosts.add(`localhost:${port}`);
    allowedHosts.add(`127.0.0.1:${port}`);
  }

  return {
    url: `http://${hostPart}:${port}/?token=${options.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
