// The address `npm run serve` prints and opens: the page's origin, and a
// single-use launch code in the fragment, which a browser never sends to any
// server (nor in a Referer). The app's routes are hash routes too, so the code
// rides after the route: `#/settings?launch=CODE`, or `#launch=CODE` for the
// home screen. The page reads it, removes it from the address bar at once and
// trades it for a session credential on its WebSocket (ws-protocol.ts).
// Dependency-free: the renderer imports it.
import { SECRET_PATTERN } from './ws-protocol';

export interface LaunchFragment {
  /** The launch code, when the fragment carried a well-formed one. */
  code?: string;
  /** The fragment without the code ('' when nothing else was there). */
  hash: string;
}

export interface LaunchUrlOptions {
  /** A query for the page, without '?', e.g. 'renderer=dom'. */
  query?: string;
  /** A hash route, e.g. '#/settings' or '#/lesson/dns'. */
  route?: string;
}

export function formatLaunchUrl(origin: string, code: string, options: LaunchUrlOptions = {}): string {
  const query = options.query ? `?${options.query}` : '';
  const route = options.route && options.route !== '#' ? options.route : '';
  return `${origin}/${query}${route ? `${route}?launch=${code}` : `#launch=${code}`}`;
}

/** Splits `#ROUTE?launch=CODE` (or `#launch=CODE`) into the route and the code; any other fragment passes through. */
export function parseLaunchFragment(hash: string): LaunchFragment {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = body.indexOf('?');
  const [route, query] = body.startsWith('launch=') ? ['', body] : q < 0 ? [body, undefined] : [body.slice(0, q), body.slice(q + 1)];
  if (query === undefined) return { hash };
  const rest: string[] = [];
  let code: string | undefined;
  let found = false;
  for (const param of query.split('&')) {
    if (!param.startsWith('launch=')) {
      if (param) rest.push(param);
      continue;
    }
    // A malformed code is dropped from the address all the same.
    found = true;
    const value = param.slice('launch='.length);
    if (code === undefined && SECRET_PATTERN.test(value)) code = value;
  }
  if (!found) return { hash };
  const kept = route + (rest.length ? `?${rest.join('&')}` : '');
  return { ...(code === undefined ? {} : { code }), hash: kept ? `#${kept}` : '' };
}
