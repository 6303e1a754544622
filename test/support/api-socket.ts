// A Node client onto browser mode's /api WebSocket, signing in the way the page
// does (electron/server/ws-protocol.ts): with a launch code once, then with the
// session credential it handed over. The tests and the benchmarks use it.
import WebSocket from 'ws';
import { credentialProtocols, launchProtocols, type LaunchCodeFrame, type SessionFrame } from '../../electron/api/ws-protocol';

export interface ApiSocketOptions {
  /** The Origin header: the server's own unless given; null sends none. */
  origin?: string | null;
  /** A Host header to send instead of the URL's. */
  host?: string;
  maxPayload?: number;
}

function socket(origin: string, protocols: string[], options: ApiSocketOptions): WebSocket {
  return new WebSocket(`${origin.replace(/^http/, 'ws')}/api`, protocols, {
    ...(options.origin === null ? {} : { origin: options.origin ?? origin }),
    ...(options.host ? { headers: { host: options.host } } : {}),
    ...(options.maxPayload ? { maxPayload: options.maxPayload } : {}),
  });
}

/** Resolves once open; rejects with `HTTP <status>` when the upgrade is refused. */
function opened(ws: WebSocket): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    ws.once('open', () => ok(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

/** A socket signed in with the session credential. */
export function openApiSocket(origin: string, credential: string, options: ApiSocketOptions = {}): Promise<WebSocket> {
  return opened(socket(origin, credentialProtocols(credential), options));
}

/** Any protocols at all, e.g. none or forged ones. */
export function openRawApiSocket(origin: string, protocols: string[], options: ApiSocketOptions = {}): Promise<WebSocket> {
  return opened(socket(origin, protocols, options));
}

/** Trades a launch code for the session credential, as the page does; rejects with `HTTP 401` for a used or expired code. */
export async function redeemLaunchCode(origin: string, code: string, options: ApiSocketOptions = {}): Promise<string> {
  const ws = socket(origin, launchProtocols(code), options);
  // Listening before the socket opens: the session frame may come in with the upgrade's reply.
  const first = new Promise<string>((ok) => ws.once('message', (data) => ok(data.toString())));
  await opened(ws);
  try {
    const frame = JSON.parse(await first) as Partial<SessionFrame>;
    if (frame.type !== 'session' || typeof frame.credential !== 'string') throw new Error(`expected a session frame first, got ${JSON.stringify(frame)}`);
    return frame.credential;
  } finally {
    ws.close();
  }
}

/** A fresh launch code, minted over a signed-in socket (a transport-level request, not an API call). */
export async function mintLaunchCode(origin: string, credential: string): Promise<string> {
  const ws = await openApiSocket(origin, credential);
  try {
    const reply = new Promise<LaunchCodeFrame>((ok) => {
      const onMessage = (data: WebSocket.RawData): void => {
        const frame = JSON.parse(data.toString()) as Partial<LaunchCodeFrame>;
        if (frame.type === 'launch.code' && frame.id === 1) {
          ws.off('message', onMessage);
          ok(frame as LaunchCodeFrame);
        }
      };
      ws.on('message', onMessage);
    });
    ws.send(JSON.stringify({ type: 'launch.mint', id: 1 }));
    return (await reply).code;
  } finally {
    ws.close();
  }
}
