// 9. The live network map. With the DNS lesson open in the page and
// custom_network present, a container is created and started on it from Node
// (dockerode) and removed again: from the arrival of Docker's "create" event
// (our own getEvents subscription) to its data-node appearing on the map, and
// from the "destroy" event to the node leaving it; both clocks wall time. Baseline: what a
// learner would run to see the same thing, `docker network inspect` through the CLI.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { launchBrowser, newPage, openDnsLesson } from '../lib/browser';
import { BENCH_LABEL, docker, eventArrivals, freeDnsNames, removeOwnDnsNames } from '../lib/docker';
import { startServe } from '../lib/serve';
import { p50, p95, poll } from '../lib/stats';
import { result, type BenchResult, type Scenario } from '../lib/types';

const NETWORK = 'custom_network';
const CONTAINER = 'custom_bbox02';

interface MapWindow {
  __map?: { shown: number; gone: number };
}

/** Records, in the page, when the container's node appears on and leaves the map. */
async function watchNode(page: Page): Promise<void> {
  await page.evaluate((name) => {
    const w = window as unknown as MapWindow;
    w.__map = { shown: 0, gone: 0 };
    let present = false;
    const look = (): void => {
      const now = document.querySelector(`[data-testid="network-map"] [data-node="container:${name}"]`) !== null;
      if (now === present) return;
      present = now;
      const at = performance.timeOrigin + performance.now();
      if (w.__map) w.__map[now ? 'shown' : 'gone'] = at;
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
    look();
  }, CONTAINER);
}

async function mapTrials(trials: number): Promise<{ shown: number[]; gone: number[] }> {
  const serve = await startServe();
  const browser = await launchBrowser();
  const events = await eventArrivals('container', CONTAINER);
  const shown: number[] = [];
  const gone: number[] = [];
  try {
    await docker().createNetwork({ Name: NETWORK, Driver: 'bridge', Labels: { [BENCH_LABEL]: '1' } });
    const page = await newPage(browser);
    await openDnsLesson(page, serve);
    await page.locator(`[data-testid="network-map"] [data-node="network:${NETWORK}"]`).waitFor({ timeout: 20_000 });
    await watchNode(page);
    for (let i = 0; i < trials; i++) {
      const created = events.times.create.length;
      const destroyed = events.times.destroy.length;
      await page.evaluate(() => Object.assign((window as unknown as MapWindow).__map ?? {}, { shown: 0, gone: 0 }));
      const box = await docker().createContainer({
        name: CONTAINER,
        Image: 'busybox',
        Cmd: ['sleep', '600'],
        Labels: { [BENCH_LABEL]: '1' },
        HostConfig: { NetworkMode: NETWORK },
      });
      await box.start();
      const createdAt = await poll(() => events.times.create[created], 'the container create event');
      await page.waitForFunction(() => ((window as unknown as MapWindow).__map?.shown ?? 0) > 0, undefined, { timeout: 10_000 });
      shown.push((await page.evaluate(() => (window as unknown as MapWindow).__map?.shown ?? 0)) - createdAt);

      await box.remove({ force: true });
      const destroyedAt = await poll(() => events.times.destroy[destroyed], 'the container destroy event');
      await page.waitForFunction(() => ((window as unknown as MapWindow).__map?.gone ?? 0) > 0, undefined, { timeout: 10_000 });
      gone.push((await page.evaluate(() => (window as unknown as MapWindow).__map?.gone ?? 0)) - destroyedAt);
    }
  } finally {
    events.stop();
    await browser.close();
    await serve.stop();
    await removeOwnDnsNames();
  }
  return { shown, gone };
}

async function cliInspect(trials: number): Promise<number[]> {
  await docker().createNetwork({ Name: NETWORK, Driver: 'bridge', Labels: { [BENCH_LABEL]: '1' } });
  const samples: number[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      const t0 = performance.now();
      await promisify(execFile)('docker', ['network', 'inspect', NETWORK]);
      samples.push(performance.now() - t0);
    }
  } finally {
    await removeOwnDnsNames();
  }
  return samples;
}

export const map: Scenario = {
  name: 'map',
  description: 'container created on custom_network → its node on the live map; removed → node gone',
  async run(ctx) {
    const trials = ctx.quick ? 5 : 30;
    await freeDnsNames();
    const cli = await cliInspect(trials);
    const { shown, gone } = await mapTrials(trials);
    ctx.log(`map: create event → node p50 ${p50(shown).toFixed(1)} ms; destroy event → node gone p50 ${p50(gone).toFixed(1)} ms`);
    const results: BenchResult[] = [
      result('map: container appears p50', p50(shown), 'ms', p50(cli), { max: 1000 }, `${trials} trials: our getEvents arrival of "create" → data-node on the map; baseline \`docker network inspect\` p50 through the CLI`),
      result('map: container appears p95', p95(shown), 'ms', p95(cli), { max: 1000 }, 'baseline CLI p95'),
      result('map: container gone p50', p50(gone), 'ms', p50(cli), { max: 1000 }, 'our getEvents arrival of "destroy" → data-node gone from the DOM, which includes the map\'s 350 ms fade-out; baseline CLI p50'),
    ];
    return results;
  },
};
