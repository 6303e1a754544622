import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, appRequestPath, appResponse } from './app-protocol';

const directives = (csp: string): Record<string, string[]> => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

const PAGE = '<!doctype html><head><script type="module" crossorigin src="./assets/index-1.js"></script></head><body><div id="app"></div></body>';
const SECRET = 'outside the renderer';

// <tmp>/renderer is served; <tmp>/secret.txt and <tmp>/renderer-evil/ sit beside it and must stay out of reach.
let tmp: string;
let renderer: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'e18protocol-'));
  renderer = join(tmp, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await mkdir(join(renderer, '.vite'));
  await mkdir(join(tmp, 'renderer-evil'));
  await writeFile(join(renderer, 'index.html'), PAGE);
  await writeFile(join(renderer, 'assets', 'index-1.js'), 'console.log(1);\n');
  await writeFile(join(renderer, 'assets', 'index-1.css'), 'body{}\n');
  await writeFile(join(renderer, 'assets', 'a b.js'), '// spaced\n');
  await writeFile(join(renderer, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(renderer, '.vite', 'manifest.json'), '{}');
  await writeFile(join(tmp, 'secret.txt'), SECRET);
  await writeFile(join(tmp, 'renderer-evil', 'f.js'), SECRET);
  // Links: one out to a file, one out to the parent folder, one to a sibling whose name shares the prefix, one within.
  await symlink(join(tmp, 'secret.txt'), join(renderer, 'assets', 'escape.js'));
  await symlink(tmp, join(renderer, 'up'));
  await symlink(join(tmp, 'renderer-evil', 'f.js'), join(renderer, 'prefix.js'));
  await symlink(join(renderer, 'assets', 'index-1.js'), join(renderer, 'alias.js'));
  // The folder itself reached through a link (as a packaged path may be).
  await symlink(renderer, join(tmp, 'renderer-link'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const get = (url: string, dir = renderer) => appResponse({ url, method: 'GET' }, dir, () => 'N0nce');
const text = (body: Uint8Array | string): string => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));

describe('the app scheme', () => {
  it('is standard and secure, and no more: the policy holds and no other origin may read it', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true });
  });
});

describe('appRequestPath', () => {
  it('maps the origin and / to index.html, and a path to its decoded segments', () => {
    expect(appRequestPath(APP_ORIGIN)).toEqual(['index.html']);
    expect(appRequestPath(`${APP_ORIGIN}/`)).toEqual(['index.html']);
    expect(appRequestPath(APP_ENTRY_URL)).toEqual(['index.html']);
    expect(appRequestPath(`${APP_ORIGIN}/assets/a%20b.js?x=1#y`)).toEqual(['assets', 'a b.js']);
  });

  it('refuses every other origin with 403', () => {
    for (const url of ['app://other/index.html', 'app://netlab.evil/index.html', 'app://netlab:8080/index.html', 'app://user@netlab/index.html', 'app://u:p@netlab/', 'app:///index.html', 'app:netlab/index.html', 'http://netlab/index.html', 'file:///index.html', 'https://netlab/index.html']) {
      expect(appRequestPath(url), url).toEqual({ status: 403 });
    }
  });

  it('refuses a path that does not decode (400), and any segment that is not one plain name (404)', () => {
    expect(appRequestPath(`${APP_ORIGIN}/%zz`)).toEqual({ status: 400 });
    expect(appRequestPath(`${APP_ORIGIN}/%E0%A4%A`)).toEqual({ status: 400 });
    expect(appRequestPath('not a url')).toEqual({ status: 400 });
    for (const path of ['/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets%2f..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets%5c..%5c..%5csecret.txt', '//etc/passwd', '/%2fetc%2fpasswd', '/C:%5cWindows', '/C:/Windows', '/a%00.js', '/assets/', '/.vite/manifest.json', '/%2evite/manifest.json']) {
      expect(appRequestPath(`${APP_ORIGIN}${path}`), path).toEqual({ status: 404 });
    }
    // Literal dot segments the URL itself resolves, as Chromium does, never above the origin's root.
    expect(appRequestPath(`${APP_ORIGIN}/assets/../../../secret.txt`)).toEqual(['secret.txt']);
    expect(appRequestPath(`${APP_ORIGIN}/%2e%2e/%2E%2E/secret.txt`)).toEqual(['secret.txt']);
  });
});

describe('appResponse', () => {
  it('serves the page with a fresh style nonce on its entry script and in its policy header', async () => {
    const res = await get(APP_ENTRY_URL);
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(res.headers['Cache-Control']).toBe('no-store');
    expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
    const csp = directives(res.headers['Content-Security-Policy'] ?? '');
    expect(csp['style-src-elem']).toEqual(["'self'", "'nonce-N0nce'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(res.headers['Content-Security-Policy']).not.toContain('unsafe');
    expect(text(res.body)).toContain('<script nonce="N0nce" type="module" crossorigin src="./assets/index-1.js">');
    expect((await get(`${APP_ORIGIN}/`)).headers['Content-Security-Policy']).toContain("'nonce-N0nce'");
  });

  it('takes a new nonce on every load of the page', async () => {
    const nonceOf = async (): Promise<string | undefined> => {
      const res = await appResponse({ url: APP_ENTRY_URL, method: 'GET' }, renderer);
      const inPage = /<script nonce="([^"]+)"/.exec(text(res.body))?.[1];
      expect(res.headers['Content-Security-Policy']).toContain(`'nonce-${inPage}'`);
      return inPage;
    };
    const first = await nonceOf();
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await nonceOf()).not.toBe(first);
  });

  it('serves the other files byte for byte with their types, a policy without the nonce, and nosniff', async () => {
    const cases: [string, string, string][] = [
      ['/assets/index-1.js', 'text/javascript; charset=utf-8', 'assets/index-1.js'],
      ['/assets/index-1.css', 'text/css; charset=utf-8', 'assets/index-1.css'],
      ['/assets/a%20b.js', 'text/javascript; charset=utf-8', 'assets/a b.js'],
      ['/icon.png', 'image/png', 'icon.png'],
    ];
    for (const [path, type, file] of cases) {
      const res = await get(`${APP_ORIGIN}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers['Content-Type'], path).toBe(type);
      expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
      expect(res.headers['Content-Security-Policy']).not.toContain('nonce');
      expect(res.headers['Cache-Control']).toBeUndefined();
      expect(Buffer.from(res.body).equals(await readFile(join(renderer, file))), path).toBe(true);
    }
  });

  it('follows a link that stays inside the folder, and serves a folder reached through a link', async () => {
    const alias = await get(`${APP_ORIGIN}/alias.js`);
    expect(alias.status).toBe(200);
    expect(text(alias.body)).toBe('console.log(1);\n');
    const viaLink = await get(APP_ENTRY_URL, join(tmp, 'renderer-link'));
    expect(viaLink.status).toBe(200);
    expect(text(viaLink.body)).toContain('nonce="N0nce"');
  });

  it('never serves a file outside the folder: traversal, encoded separators, absolute paths, links out', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '//' + join(tmp, 'secret.txt').replace(/^\//, ''),
      '/' + encodeURIComponent(join(tmp, 'secret.txt')),
      '/assets/escape.js',
      '/up/secret.txt',
      '/up/renderer-evil/f.js',
      '/prefix.js',
      '/.vite/manifest.json',
    ];
    for (const path of attempts) {
      const res = await get(`${APP_ORIGIN}${path}`);
      expect([403, 404], path).toContain(res.status);
      expect(text(res.body), path).not.toContain(SECRET);
      expect(res.file, path).toBeUndefined();
    }
    // The near-miss: the same link kinds pointing inside are served (above), so the refusals are about leaving.
  });

  it('refuses other hosts, missing files, folders and non-GET methods', async () => {
    expect((await get('app://other/index.html')).status).toBe(403);
    expect((await get('app://netlab.evil/index.html')).status).toBe(403);
    expect((await get(`${APP_ORIGIN}/missing.js`)).status).toBe(404);
    expect((await get(`${APP_ORIGIN}/assets`)).status).toBe(404);
    expect((await get(`${APP_ORIGIN}/%zz`)).status).toBe(400);
    expect((await get(APP_ENTRY_URL, join(tmp, 'no-such-folder'))).status).toBe(404);
    const post = await appResponse({ url: APP_ENTRY_URL, method: 'POST' }, renderer);
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET, HEAD');
    for (const res of [await get('app://other/'), await get(`${APP_ORIGIN}/missing.js`), post]) {
      expect(res.headers['Content-Type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
      expect(res.headers['Content-Security-Policy']).toContain("default-src 'self'");
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await appResponse({ url: `${APP_ORIGIN}/assets/index-1.js`, method: 'HEAD' }, renderer);
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toBe('');
  });
});
