// The Electron window's page comes from app://netlab/, served out of the built
// renderer folder. With the grantFileProtocolExtraPrivileges fuse off,
// file:// behaves as in Chrome, where a module script on a file:// page is
// cross-origin (origin null) and the window stays blank; a standard, secure
// custom scheme gives the page a real origin, which is also what 'self' in
// its policy and the IPC sender check (ipc-sender.ts) name. This module
// decides each response and has no electron import; index.ts registers it.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { contentSecurityPolicy, contentTypeOf, newStyleNonce, withStyleNonce } from '../api/renderer-page';

export const APP_SCHEME = 'app';
export const APP_HOST = 'netlab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads when it is not on the dev server. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The privileges the scheme is registered with, before the app is ready. Nothing more: no bypassCSP (the policy
 * holds), no corsEnabled (Electron serves a custom scheme without checking Access-Control-Allow-Origin, so that
 * would let another origin read these files; the page's own module scripts are same-origin and need none), no
 * supportFetchAPI (the page fetches nothing of its own).
 */
export const APP_SCHEME_PRIVILEGES = {
  // A real origin (app://netlab), relative URLs, and the page's module scripts loading as same-origin.
  standard: true,
  // A secure context, like https: (no mixed-content downgrades).
  secure: true,
} as const;

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
  /** The file served (its real path), for a 200. */
  file?: string;
}

interface AppRequest {
  url: string;
  method: string;
}

/** The segments of a request's path under the renderer folder, or the refusal's status. */
export function appRequestPath(url: string): string[] | { status: 400 | 403 | 404 } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { status: 400 };
  }
  // Only this one origin: another host, a port or credentials name something that is not the app.
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) return { status: 403 };
  const raw = u.pathname === '' || u.pathname === '/' ? '/index.html' : u.pathname;
  const segments: string[] = [];
  for (const encoded of raw.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return { status: 400 };
    }
    // Each segment is one plain name: no empty (`//`, an absolute path) or dot segment (`..`, `%2e%2e`, dotfiles
    // such as .vite/), no separator smuggled in encoded (`%2f`, `\`), no drive (`C:`), no NUL.
    if (segment === '' || segment.startsWith('.') || /[/\\:\0]/.test(segment)) return { status: 404 };
    segments.push(segment);
  }
  return segments;
}

const REFUSALS: Record<number, string> = { 400: 'bad request', 403: 'forbidden', 404: 'not found', 405: 'method not allowed' };

function refusal(status: 400 | 403 | 404 | 405): AppResponse {
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
  };
  if (status === 405) headers.Allow = 'GET, HEAD';
  return { status, headers, body: `${REFUSALS[status]}\n` };
}

/** The real path of `file` when it is a file inside `root` (itself a real path), following any link. */
async function fileInside(root: string, file: string): Promise<string | undefined> {
  try {
    const real = await realpath(file);
    if (!real.startsWith(root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The response to a request on app://: a file of `rendererDir`, or a refusal (403 another origin, 404 a path
 * that leaves the folder, even through a link, or names nothing). The page (index.html) gets a fresh style
 * nonce on its entry script and in its policy, as browser mode's server does.
 */
export async function appResponse(request: AppRequest, rendererDir: string, nonce: () => string = newStyleNonce): Promise<AppResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405);
  const segments = appRequestPath(request.url);
  if (!Array.isArray(segments)) return refusal(segments.status);
  let root: string;
  try {
    root = await realpath(rendererDir);
  } catch {
    return refusal(404);
  }
  const file = await fileInside(root, join(root, ...segments));
  if (!file) return refusal(404);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return refusal(404);
  }
  let body: Uint8Array | string = bytes;
  const headers: Record<string, string> = {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
  };
  if (segments.length === 1 && segments[0] === 'index.html') {
    const styleNonce = nonce();
    headers['Content-Security-Policy'] = contentSecurityPolicy(styleNonce);
    headers['Cache-Control'] = 'no-store';
    body = withStyleNonce(bytes.toString('utf8'), styleNonce);
  }
  return { status: 200, headers, body: request.method === 'HEAD' ? '' : body, file };
}
