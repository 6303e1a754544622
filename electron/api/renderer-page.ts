// How the built renderer page is served, the same by both transports: browser
// mode's HTTP server (electron/server/http-server.ts) and the Electron window's
// app:// protocol (electron/main/app-protocol.ts). Its policy travels as a
// response header, never as a <meta> tag: a header can name a fresh nonce per
// load, and a meta policy on a file:// page would let 'self' match every local
// file. In the window, 'self' is the app's own origin (app://netlab), and
// nothing else is widened. No electron import: the server and the tests load it.
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';

const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // No inline style attributes (Svelte's style: directives go through the CSSOM, which CSP does not govern);
  // <style> elements: see contentSecurityPolicy.
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
];

/**
 * The policy sent with a response; the page's own (index.html) names a fresh style nonce. xterm.js writes its
 * theme and cell sizes into <style> elements it creates, with no option to avoid them or pass a nonce
 * (test/e2e/csp.spec.ts found them), so renderer/src/lib/style-nonce.ts gives the nonce to every <style> a
 * script creates: one that arrives with markup (an injection) is still refused.
 */
export function contentSecurityPolicy(styleNonce?: string): string {
  const elements = styleNonce ? [`style-src-elem 'self' 'nonce-${styleNonce}'`] : ["style-src-elem 'self'"];
  return [...POLICY, ...elements].join('; ');
}

/**
 * The Electron window on Vite's dev server (`npm run dev`, never packaged): Vite writes each stylesheet into a
 * <style> element it creates before our entry runs, and its page carries no nonce, so there <style> elements
 * are allowed. Everything else is the policy above.
 */
export function devServerContentSecurityPolicy(): string {
  return [...POLICY, "style-src-elem 'self' 'unsafe-inline'"].join('; ');
}

/** A nonce for one page load: 24 random bytes, base64url (a CSP nonce may use '-' and '_'). */
export function newStyleNonce(): string {
  return randomBytes(24).toString('base64url');
}

/** The entry script carries the nonce, where style-nonce.ts reads it (a nonce attribute is hidden from CSS and markup). */
export function withStyleNonce(html: string, nonce: string): string {
  return html.replace(/<script(?=[^>]*\btype="module")/, `<script nonce="${nonce}"`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The Content-Type of a built file; anything unknown is opaque bytes (sent with nosniff, so never run as a script). */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
