// Browser mode: the built renderer over HTTP and the API contract over a
// WebSocket. The files are public build output; the WebSocket is what needs
// the session credential (auth.ts). No request, however malformed, may end the
// process: every parse of a target, a header or a percent-escape is guarded.
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../api/dispatch';
import { contentSecurityPolicy, contentTypeOf, newStyleNonce, withStyleNonce } from '../api/renderer-page';
import { authorizeUpgrade, checkSite, isLoopback, requestPathname } from './auth';
import type { Broadcaster } from './broadcaster';
import type { LaunchCodes } from './launch-codes';
import { API_PROTOCOL, launchMintId, type LaunchCodeFrame, type SessionFrame } from '../api/ws-protocol';

/** Large enough for a big paste, small enough that a garbage frame cannot hurt. */
const MAX_FRAME_BYTES = 2 * 1024 * 1024;

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

/** The file under `staticDir` a URL path names: 400 for a path that does not decode, 404 for one that leaves the directory. */
export function staticFile(staticDir: string, pathname: string): { file: string; rel: string } | { status: 400 | 404 } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(staticDir, rel);
  return file.startsWith(staticDir + sep) ? { file, rel } : { status: 404 };
}

interface ServerOptions {
  host: string;
  port: number;
  /** This run's session credential: what a page keeps in sessionStorage. */
  credential: string;
  launchCodes: LaunchCodes;
  staticDir: string;
  /** Runs a call; each connection is one caller. */
  dispatch: Dispatcher;
  /** A connection left: the services stop what its caller opened. */
  disconnect: (caller: string) => void;
  events: Broadcaster;
  /** Hears each static file served (its URL path), e.g. to know the page's files are out. */
  onServed?: (pathname: string) => void;
}

export interface RunningServer {
  /** http://host:port, without a path. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse, styleNonce?: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(styleNonce));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

async function serveStatic(staticDir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const found = staticFile(staticDir, pathname);
  if ('status' in found) {
    plain(res, found.status, found.status === 400 ? 'bad request' : 'not found');
    return false;
  }
  let body: Buffer;
  try {
    if (!(await stat(found.file)).isFile()) throw new Error('not a file');
    body = await readFile(found.file);
  } catch {
    plain(res, 404, 'not found');
    return false;
  }
  const page = found.rel === 'index.html';
  if (page) {
    const nonce = newStyleNonce();
    securityHeaders(res, nonce);
    body = Buffer.from(withStyleNonce(body.toString('utf8'), nonce));
  }
  res.writeHead(200, {
    'Content-Type': contentTypeOf(found.file),
    'Cache-Control': page ? 'no-store' : 'max-age=3600',
  });
  res.end(body);
  return true;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function refuseUpgrade(socket: Socket, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const allowedHosts = new Set<string>();
  /** Names each connection as a caller, for as long as this server runs. */
  let connections = 0;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    // authorizeUpgrade made sure it was offered.
    handleProtocols: (offered) => (offered.has(API_PROTOCOL) ? API_PROTOCOL : false),
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    const refusal = checkSite(req, allowedHosts, false);
    if (refusal) {
      plain(res, refusal.status, `NetLab refused this request (${refusal.reason}). Open the address that \`npm run serve\` printed.`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const pathname = requestPathname(req.url);
    if (pathname === undefined) {
      plain(res, 400, 'bad request target');
      return;
    }
    serveStatic(options.staticDir, pathname, res).then(
      (ok) => {
        if (ok) options.onServed?.(pathname);
      },
      () => {
        if (!res.headersSent) plain(res, 500, 'internal error');
        else res.destroy();
      },
    );
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Node stops watching an upgraded socket's errors: a reset peer would otherwise end the process.
    socket.on('error', () => socket.destroy());
    const auth = authorizeUpgrade(req, { allowedHosts, credential: options.credential, launchCodes: options.launchCodes });
    if (!auth.ok) {
      refuseUpgrade(socket, auth.status);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, auth.launched));
  });

  function onConnection(ws: WebSocket, launched: boolean): void {
    const send = (frame: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };
    // A page that came with a launch code gets the credential to keep (sessionStorage) for its reloads.
    if (launched) send(JSON.stringify({ type: 'session', credential: options.credential } satisfies SessionFrame));
    const caller = `ws-${++connections}`;
    const removeClient = options.events.add(caller, send);
    let gone = false;
    const leave = (): void => {
      if (gone) return;
      gone = true;
      removeClient();
      // Its shells would run on unseen (a reload opens new ones): the services stop them.
      options.disconnect(caller);
    };
    ws.on('close', leave);
    ws.on('error', leave);
    ws.on('message', (data, isBinary) => {
      let raw: unknown;
      let parsed: CallFrame;
      try {
        if (isBinary) throw new Error('binary frames are not accepted');
        raw = JSON.parse(data.toString());
        const mintId = launchMintId(raw);
        if (mintId !== undefined) {
          // Transport-level, not part of the contract (which Electron's IPC shares): a code for another page.
          send(JSON.stringify({ type: 'launch.code', id: mintId, code: options.launchCodes.mint() } satisfies LaunchCodeFrame));
          return;
        }
        const frame = parseCallFrame(raw);
        if (!frame) throw new Error('not a call frame');
        parsed = frame;
      } catch (err) {
        send(JSON.stringify({ type: 'error', id: null, error: { name: 'BadFrame', message: (err as Error).message, code: 'bad-request' } }));
        return;
      }
      options.dispatch(parsed.method, parsed.input, { caller }).then(
        (outcome) => {
          send(JSON.stringify('error' in outcome
            ? { type: 'error', id: parsed.id, error: outcome.error }
            : { type: 'result', id: parsed.id, result: outcome.result }));
        },
        // Only when the services failed to start, which ends the process anyway (serve.ts).
        (err: unknown) => send(JSON.stringify({ type: 'error', id: parsed.id, error: { name: 'Unavailable', message: String(err), code: 'unavailable' } })),
      );
    });
  }

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
    origin: `http://${hostPart}:${port}`,
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
