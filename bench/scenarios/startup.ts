// 7. Startup: process spawn → the first lesson card painted in the page (the
// card's mutation, then the next animation frame), wall clock on both sides,
// in a browser tab opened before the spawn.
// Baseline: the same route with a bare node HTTP server serving one card.
// Bundle: the entry chunk and its static imports (Vite's build manifest),
// gzipped (level 9); baseline all renderer JS gzipped.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { initialPageFiles, type ViteManifest } from '../../electron/server/page-files';
import { launchBrowser, newPage } from '../lib/browser';
import { ROOT, startServe } from '../lib/serve';
import { epochMs, p50 } from '../lib/stats';
import { result, type BenchResult, type Scenario } from '../lib/types';

const MINIMAL_SERVER = `
const http = require('node:http');
const s = http.createServer((q, r) => { r.setHeader('content-type', 'text/html'); r.end('<!doctype html><div data-testid="lesson-card">x</div>'); });
s.listen(0, '127.0.0.1', () => console.log('serving at http://127.0.0.1:' + s.address().port + '/'));
`;

interface Painted {
  /** Epoch ms of the first frame after a lesson card exists. */
  card: number;
  /** Epoch ms of the first contentful paint (the app shell, before the list). */
  first: number;
}

/**
 * A fresh tab, ready before the server is spawned: Playwright takes 240–350 ms
 * here to create a browser context, which is the harness's time, not start-up's
 * (a learner's browser is already open).
 */
async function blankTab(browser: Browser): Promise<Page> {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    const w = window as unknown as { __painted: Promise<number> };
    w.__painted = new Promise<number>((resolve) => {
      const check = (): boolean => {
        if (!document.querySelector('[data-testid="lesson-card"]')) return false;
        requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
        return true;
      };
      document.addEventListener('DOMContentLoaded', () => {
        if (check()) return;
        const o = new MutationObserver(() => {
          if (check()) o.disconnect();
        });
        o.observe(document.body, { subtree: true, childList: true });
      });
    });
  });
  await page.goto('about:blank');
  return page;
}

async function paintedAt(page: Page, url: string): Promise<Painted> {
  await page.goto(url);
  const card = await page.evaluate(() => (window as unknown as { __painted: Promise<number> }).__painted);
  // The paint entry is reported once the frame is presented, which can be after the card's frame ran.
  const first = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list, observer) => {
          const fcp = list.getEntriesByName('first-contentful-paint')[0];
          if (!fcp) return;
          observer.disconnect();
          resolve(performance.timeOrigin + fcp.startTime);
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => resolve(Number.NaN), 5000);
      }),
  );
  await page.context().close();
  return { card, first };
}

function since(t0: number, at: Painted): Painted {
  return { card: at.card - t0, first: at.first - t0 };
}

async function appStartup(browser: Browser): Promise<Painted> {
  const page = await blankTab(browser);
  // The learner's path: the printed address, its launch code still unused.
  const serve = await startServe([], [], { keepPrintedCode: true });
  try {
    return since(serve.spawnedAt, await paintedAt(page, serve.printedUrl));
  } finally {
    await serve.stop();
  }
}

async function minimalStartup(browser: Browser): Promise<Painted> {
  const page = await blankTab(browser);
  const t0 = epochMs();
  const child = spawn(process.execPath, ['-e', MINIMAL_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving at (\S+)/.exec(out);
        if (m?.[1]) ok(m[1]);
      });
      child.once('exit', () => fail(new Error('minimal server exited')));
    });
    return since(t0, await paintedAt(page, url));
  } finally {
    child.kill();
  }
}

/** The entry chunk and everything it imports statically (Vite's build manifest), as files under out/renderer. */
async function initialChunks(): Promise<string[]> {
  const dir = join(ROOT, 'out/renderer');
  const manifest = JSON.parse(await readFile(join(dir, '.vite/manifest.json'), 'utf8')) as ViteManifest;
  return initialPageFiles(manifest).scripts.map((f) => join(dir, f));
}

async function gzKiB(files: string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(f), { level: 9 }).length;
  return bytes / 1024;
}

export const startup: Scenario = {
  name: 'startup',
  description: 'process start → first paint and first lesson card painted; initial renderer JS gzipped',
  async run(ctx) {
    const trials = ctx.quick ? 2 : 5;
    const browser = await launchBrowser();
    const results: BenchResult[] = [];
    try {
      const app: Painted[] = [];
      const base: Painted[] = [];
      for (let i = 0; i < trials; i++) {
        base.push(await minimalStartup(browser));
        app.push(await appStartup(browser));
      }
      const cards = app.map((a) => a.card);
      ctx.log(`startup p50 ${p50(cards).toFixed(0)} ms (bare node server ${p50(base.map((b) => b.card)).toFixed(0)} ms)`);
      results.push(
        result('startup to lesson list', p50(cards), 'ms', p50(base.map((b) => b.card)), { max: 800 }, `p50 of ${trials}: spawn of out/main/serve.js → first frame after the first lesson card, in a tab opened before the spawn; baseline a bare node HTTP server serving one card, same route`),
        result('startup to first paint', p50(app.map((a) => a.first)), 'ms', p50(base.map((b) => b.first)), undefined, `p50 of ${trials}: spawn → first-contentful-paint (the app shell, before the list arrives); baseline the bare server's page`),
      );
    } finally {
      await browser.close();
    }
    const initial = await initialChunks();
    const assets = join(ROOT, 'out/renderer/assets');
    const allJs = (await readdir(assets)).filter((f) => f.endsWith('.js')).map((f) => join(assets, f));
    const size = await gzKiB(initial);
    const all = await gzKiB(allJs);
    ctx.log(`initial JS ${size.toFixed(1)} KiB gzipped (${initial.length} files), all JS ${all.toFixed(1)} KiB`);
    results.push(result('initial renderer JS (gzip -9)', size, 'KiB', all, { max: 400 }, `${initial.map((f) => f.slice(assets.length + 1)).join(', ')}; baseline all renderer JS chunks gzipped`));
    return results;
  },
};
