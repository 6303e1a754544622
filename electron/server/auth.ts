// Browser mode hands a shell to whoever holds the token, so every request and
// socket proves it holds it, from the same origin.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'netlab_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, whatever the lengths. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export interface AuthResult {
  ok: boolean;
  status?: 401 | 403;
  reason?: string;
  /** The token came in the query: remember it in a cookie for the page's assets. */
  fromQuery?: boolean;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Checks the Host (against DNS rebinding), the Origin (no cross-site use) and
 * the token (query or cookie). `allowedHosts` are host:port values this server answers to.
 */
export function authorize(req: IncomingMessage, token: string, allowedHosts: Set<string>, requireOrigin: boolean): AuthResult {
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host.toLowerCase())) return { ok: false, status: 403, reason: 'unexpected Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined || requireOrigin) {
    let originHost: string | undefined;
    try {
      originHost = origin ? new URL(origin).host.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    if (!originHost || !allowedHosts.has(originHost)) return { ok: false, status: 403, reason: 'cross-origin request refused' };
  }
  const url = new URL(req.url ?? '/', 'http://x');
  const fromQuery = url.searchParams.get('token');
  if (tokenMatches(token, fromQuery)) return { ok: true, fromQuery: true };
  if (tokenMatches(token, cookie(req, TOKEN_COOKIE))) return { ok: true };
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}
