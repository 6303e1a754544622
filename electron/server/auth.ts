// Browser mode hands a shell to whoever drives its API, so the /api WebSocket
// proves three things: the request is for us (Host, against DNS rebinding),
// from our page (Origin), and from a holder of this run's session credential
// or of a live launch code (ws-protocol.ts). The static files are the public
// build output: they get the Host and Origin checks only.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LaunchCodes } from './launch-codes';
import { API_PROTOCOL, AUTH_PREFIX, LAUNCH_PREFIX } from '../api/ws-protocol';

/** 192 random bits, base64url. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, whatever the lengths. */
export function secretMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

interface Refusal {
  status: 400 | 401 | 403 | 404;
  reason: string;
}

/**
 * The path of an origin-form request target (`/x?y`), or undefined for
 * anything else (`http://[`, `*`, an absolute URL): those get a 400.
 */
export function requestPathname(target: string | undefined): string | undefined {
  if (!target?.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    return new URL(target, 'http://netlab.invalid').pathname;
  } catch {
    return undefined;
  }
}

/** Host (against DNS rebinding) and Origin (no cross-site use). `allowedHosts` are host:port values this server answers to. */
export function checkSite(req: IncomingMessage, allowedHosts: Set<string>, requireOrigin: boolean): Refusal | undefined {
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host.toLowerCase())) return { status: 403, reason: 'unexpected Host header' };
  const origin = req.headers.origin;
  if (origin === undefined && !requireOrigin) return undefined;
  let originHost: string | undefined;
  try {
    originHost = origin ? new URL(origin).host.toLowerCase() : undefined;
  } catch {
    originHost = undefined;
  }
  if (!originHost || !allowedHosts.has(originHost)) return { status: 403, reason: 'cross-origin request refused' };
  return undefined;
}

/** The subprotocols a WebSocket upgrade offers, in order. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').map((p) => p.trim()).filter(Boolean);
}

interface UpgradeAuthOptions {
  allowedHosts: Set<string>;
  credential: string;
  launchCodes: LaunchCodes;
}

/** How an upgrade proved itself: `launched` when by a launch code (the server then hands it the credential). */
type UpgradeAuth = { ok: true; launched: boolean } | ({ ok: false } & Refusal);

/** Everything an /api upgrade must pass; a launch code is spent only once all else holds. */
export function authorizeUpgrade(req: IncomingMessage, options: UpgradeAuthOptions): UpgradeAuth {
  const pathname = requestPathname(req.url);
  if (pathname === undefined) return { ok: false, status: 400, reason: 'bad request target' };
  const site = checkSite(req, options.allowedHosts, true);
  if (site) return { ok: false, ...site };
  if (pathname !== '/api') return { ok: false, status: 404, reason: 'no such endpoint' };
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  const given = (prefix: string): string | undefined => offered.find((p) => p.startsWith(prefix))?.slice(prefix.length);
  const credential = given(AUTH_PREFIX);
  const code = given(LAUNCH_PREFIX);
  if (credential === undefined && code === undefined) return { ok: false, status: 401, reason: 'no credential' };
  if (!offered.includes(API_PROTOCOL)) return { ok: false, status: 400, reason: `the ${API_PROTOCOL} protocol was not offered` };
  if (credential !== undefined) {
    return secretMatches(options.credential, credential) ? { ok: true, launched: false } : { ok: false, status: 401, reason: 'wrong credential' };
  }
  return options.launchCodes.redeem(code ?? '') ? { ok: true, launched: true } : { ok: false, status: 401, reason: 'used, expired or unknown launch code' };
}
