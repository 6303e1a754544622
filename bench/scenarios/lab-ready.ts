// 4. Lab ready: a click on the DNS lesson's card until the host prompt is
// drawn and every checkpoint shows a status other than pending (mousedown in
// the page → the first DOM mutation where both hold). Baseline: the smallest
// Docker round trip a lab needs, `docker run -d busybox sleep 30` + `docker exec <id> true`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { HOST_ROWS, launchBrowser, newPage, openList } from '../lib/browser';
import { dockerCli, PREFIX } from '../lib/docker';
import { startServe } from '../lib/serve';
import { p50, p95 } from '../lib/stats';
import { result, type Scenario } from '../lib/types';

async function readyTrial(page: Page): Promise<number> {
  const card = page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]');
  await card.waitFor();
  const ready = page.evaluate((rowsSel) => {
    return new Promise<number>((resolve, reject) => {
      let downAt = 0;
      window.addEventListener('mousedown', () => (downAt ||= performance.now()), { capture: true, once: true });
      const isReady = (): boolean => {
        const rows = document.querySelector(rowsSel)?.textContent ?? '';
        const checkpoints = [...document.querySelectorAll('[data-testid="checkpoint"]')];
        return /[$#]/.test(rows) && checkpoints.length > 0 && checkpoints.every((c) => c.getAttribute('data-status') !== 'pending');
      };
      const observer = new MutationObserver(() => {
        if (downAt && isReady()) {
          observer.disconnect();
          resolve(performance.now() - downAt);
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      setTimeout(() => reject(new Error('the lab was not ready within 30 s')), 30_000);
    });
  }, HOST_ROWS);
  await card.click();
  const ms = await ready;
  await page.getByTestId('back-to-list').click();
  return ms;
}

async function dockerRoundTrip(i: number): Promise<number> {
  const name = `${PREFIX}ready-${process.pid}-${i}`;
  const t0 = performance.now();
  const id = (await promisify(execFile)('docker', ['run', '-d', '--name', name, 'busybox', 'sleep', '30'])).stdout.trim();
  await promisify(execFile)('docker', ['exec', id, 'true']);
  const ms = performance.now() - t0;
  await dockerCli('rm', '-f', name).catch(() => '');
  return ms;
}

export const labReady: Scenario = {
  name: 'lab-ready',
  description: 'lesson card click → host prompt drawn and no checkpoint pending',
  async run(ctx) {
    const trials = ctx.quick ? 3 : 10;
    const base: number[] = [];
    for (let i = 0; i < trials; i++) base.push(await dockerRoundTrip(i));
    const serve = await startServe();
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      await openList(page, serve);
      // The first open also starts the tracker (one full listing); it is a trial like the others.
      const samples: number[] = [];
      for (let i = 0; i < trials; i++) samples.push(await readyTrial(page));
      ctx.log(`lab ready p50 ${p50(samples).toFixed(0)} ms (first ${samples[0]?.toFixed(0)} ms)`);
      return [
        result('lab ready p50', p50(samples), 'ms', p50(base), { max: 600 }, `${trials} clicks (first, with tracker start: ${samples[0]?.toFixed(0)} ms; p95 ${p95(samples).toFixed(0)} ms); baseline docker run -d + docker exec true p50`),
      ];
    } finally {
      await browser.close();
      await serve.stop();
    }
  },
};
