import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, contentTypeOf, devServerContentSecurityPolicy, newStyleNonce, withStyleNonce } from './renderer-page';

const directives = (csp: string): Record<string, string[]> => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('the content security policy', () => {
  it('allows no inline script or style, and <style> elements only with the page nonce', () => {
    const page = directives(contentSecurityPolicy('N0nce'));
    expect(page['script-src']).toEqual(["'self'"]);
    expect(page['style-src']).toEqual(["'self'"]);
    expect(page['style-src-elem']).toEqual(["'self'", "'nonce-N0nce'"]);
    expect(page['style-src-attr']).toBeUndefined();
    expect(directives(contentSecurityPolicy())['style-src-elem']).toEqual(["'self'"]);
    expect(contentSecurityPolicy('N0nce')).not.toContain('unsafe');
  });

  it("names no scheme or host: 'self' is the page's own origin (app://netlab in the window)", () => {
    const policy = contentSecurityPolicy('N0nce');
    for (const [name, sources] of Object.entries(directives(policy))) {
      for (const source of sources) expect(source, name).toMatch(/^'(self|none|nonce-N0nce)'$|^data:$/);
    }
    expect(policy).not.toMatch(/app:|file:|https?:|\*/);
    const d = directives(policy);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-src']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
  });

  it('widens only <style> elements for the dev server, whose page has no nonce', () => {
    const dev = directives(devServerContentSecurityPolicy());
    const page = directives(contentSecurityPolicy());
    expect(dev['style-src-elem']).toEqual(["'self'", "'unsafe-inline'"]);
    expect({ ...dev, 'style-src-elem': page['style-src-elem'] }).toEqual(page);
  });

  it('takes a fresh nonce per load, in the characters a CSP nonce may use', () => {
    const a = newStyleNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newStyleNonce()).not.toBe(a);
  });

  it('puts the nonce on the entry script, where the page reads it', () => {
    const html = '<head><script type="module" crossorigin src="./assets/index.js"></script></head>';
    expect(withStyleNonce(html, 'N0nce')).toBe('<head><script nonce="N0nce" type="module" crossorigin src="./assets/index.js"></script></head>');
    expect(withStyleNonce('<script crossorigin type="module" src="a.js">', 'N')).toBe('<script nonce="N" crossorigin type="module" src="a.js">');
  });
});

describe('contentTypeOf', () => {
  it('types the built files, and anything unknown as opaque bytes', () => {
    expect(contentTypeOf('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/r/assets/index-1.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/r/assets/index-1.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('/r/icon.png')).toBe('image/png');
    expect(contentTypeOf('/r/a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('/r/a.exe')).toBe('application/octet-stream');
    expect(contentTypeOf('/r/LICENSE')).toBe('application/octet-stream');
  });
});
