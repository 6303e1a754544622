import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS } from './node-flags';

/** Allocates short-lived objects in a fresh Node, then reports the young generation's capacity in MB. */
function youngGenerationMB(flags: readonly string[]): number {
  const script = `
    const v8 = require('node:v8');
    let keep = [];
    for (let i = 0; i < 2e6; i++) { const o = { i, s: 'x' + i }; if (i % 1000 === 0) keep.push(o); }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size / 1048576));`;
  return Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' }));
}

describe('browser mode Node flags', () => {
  it('npm run serve starts the server with them', () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.serve).toBe(`electron-vite build && node ${SERVE_NODE_FLAGS.join(' ')} out/main/serve.js`);
  });

  it('keep the young generation small while a lot of garbage is made', () => {
    expect(youngGenerationMB(SERVE_NODE_FLAGS)).toBeLessThanOrEqual(8);
    // Without them this Node grows it further: the cap is what holds it down.
    expect(youngGenerationMB([])).toBeGreaterThan(8);
  });
});
