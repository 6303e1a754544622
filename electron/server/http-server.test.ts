import { describe, expect, it } from 'vitest';
import { sep } from 'node:path';
import { parseCallFrame, staticFile } from './http-server';

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
