import { describe, expect, it } from 'vitest';
import { sep } from 'node:path';
import { contentSecurityPolicy, parseCallFrame, staticFile, withStyleNonce } from './http-server';

describe('parseCallFrame', () => {
  it('takes a call with an id, a method name and any input', () => {
    expect(parseCallFrame({ type: 'call', id: 7, method: 'lessons.list', input: { a: 1 } })).toEqual({ type: 'call', id: 7, method: 'lessons.list', input: { a: 1 } });
    expect(parseCallFrame({ type: 'call', id: 0, method: 'preflight.run' })).toEqual({ type: 'call', id: 0, method: 'preflight.run', input: undefined });
  });

  it('refuses anything else, leaving the method and input to the dispatcher', () => {
    const bad: unknown[] = [
      null,
      'call',
      [{ type: 'call', id: 1, method: 'm' }],
      { type: 'result', id: 1, method: 'm' },
      { type: 'call', method: 'm' },
      { type: 'call', id: -1, method: 'm' },
      { type: 'call', id: 1.5, method: 'm' },
      { type: 'call', id: '1', method: 'm' },
      { type: 'call', id: Number.MAX_SAFE_INTEGER + 1, method: 'm' },
      { type: 'call', id: 1, method: 42 },
      { type: 'call', id: 1, method: 'x'.repeat(65) },
    ];
    for (const frame of bad) expect(parseCallFrame(frame), JSON.stringify(frame)).toBeUndefined();
  });
});

describe('staticFile', () => {
  const dir = `${sep}srv${sep}renderer`;

  it('maps a path into the directory, / to index.html', () => {
    expect(staticFile(dir, '/')).toEqual({ file: `${dir}${sep}index.html`, rel: 'index.html' });
    expect(staticFile(dir, '/assets/a%20b.js')).toEqual({ file: `${dir}${sep}assets${sep}a b.js`, rel: `assets${sep}a b.js` });
  });

  it('answers 400 for a path that does not decode or holds a NUL', () => {
    expect(staticFile(dir, '/%zz')).toEqual({ status: 400 });
    expect(staticFile(dir, '/%E0%A4%A')).toEqual({ status: 400 });
    expect(staticFile(dir, '/a%00.js')).toEqual({ status: 400 });
  });

  it('never leaves the directory', () => {
    expect(staticFile(dir, '/..%2f..%2fpackage.json')).toEqual({ file: `${dir}${sep}package.json`, rel: 'package.json' });
    expect(staticFile(dir, '/%2e%2e/%2e%2e/etc/passwd')).toEqual({ file: `${dir}${sep}etc${sep}passwd`, rel: `etc${sep}passwd` });
  });
});

describe('the content security policy', () => {
  const directives = (csp: string): Record<string, string[]> => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

  it('allows no inline script or style, and <style> elements only with the page nonce', () => {
    const page = directives(contentSecurityPolicy('N0nce'));
    expect(page['script-src']).toEqual(["'self'"]);
    expect(page['style-src']).toEqual(["'self'"]);
    expect(page['style-src-elem']).toEqual(["'self'", "'nonce-N0nce'"]);
    expect(page['style-src-attr']).toBeUndefined();
    expect(directives(contentSecurityPolicy())['style-src-elem']).toEqual(["'self'"]);
    expect(contentSecurityPolicy('N0nce')).not.toContain('unsafe');
  });

  it('puts the nonce on the entry script, where the page reads it', () => {
    const html = '<head><script type="module" crossorigin src="./assets/index.js"></script></head>';
    expect(withStyleNonce(html, 'N0nce')).toBe('<head><script nonce="N0nce" type="module" crossorigin src="./assets/index.js"></script></head>');
    expect(withStyleNonce('<script crossorigin type="module" src="a.js">', 'N')).toBe('<script nonce="N" crossorigin type="module" src="a.js">');
  });
});
