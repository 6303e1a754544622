// The Electron window's app:// handler (electron/main/app-protocol.ts) on the
// real build: the page it serves carries this load's nonce where the page reads
// it, and every file the page names is served with its type. What Electron does
// with these answers is for the desktop suite; this needs no Electron and no
// engine. Runs on the built renderer (npm run build first).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, appResponse } from '../../electron/main/app-protocol';

const RENDERER = resolve(__dirname, '../../out/renderer');
const text = (body: Uint8Array | string): string => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));

describe('app:// on the built renderer', () => {
  it('serves the page with its nonce on the entry script and in the policy header', async () => {
    const res = await appResponse({ url: APP_ENTRY_URL, method: 'GET' }, RENDERER);
    expect(res.status).toBe(200);
    const html = text(res.body);
    const nonce = /<script nonce="([^"]+)" type="module"/.exec(html)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const policy = res.headers['Content-Security-Policy'] ?? '';
    expect(policy).toContain(`style-src-elem 'self' 'nonce-${nonce}'`);
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
    expect(html).not.toMatch(/http-equiv="Content-Security-Policy"/i);
  });

  it('serves every file the page names, with its type', async () => {
    const html = await readFile(resolve(RENDERER, 'index.html'), 'utf8');
    const named = [...html.matchAll(/(?:src|href)="\.?\/([^"]+)"/g)].map((m) => m[1] ?? '');
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', png: 'image/png' };
    expect(named.some((f) => f.endsWith('.js'))).toBe(true);
    expect(named.some((f) => f.endsWith('.css'))).toBe(true);
    for (const file of named) {
      const res = await appResponse({ url: `${APP_ORIGIN}/${file}`, method: 'GET' }, RENDERER);
      expect(res.status, file).toBe(200);
      expect(res.headers['Content-Type'], file).toBe(types[file.split('.').pop() ?? '']);
    }
  });

  it('keeps the build manifest and everything beside the renderer out of reach', async () => {
    for (const path of ['/.vite/manifest.json', '/../main/index.js', '/..%2fmain%2findex.js', '/..%2f..%2fpackage.json']) {
      const res = await appResponse({ url: `${APP_ORIGIN}${path}`, method: 'GET' }, RENDERER);
      expect(res.status, path).toBe(404);
    }
  });
});
