// 6. Memory: server RSS (/proc/<pid>/status VmRSS) and the renderer's JS heap
// (CDP Performance.getMetrics after a GC) with 4 terminals open (the host
// shell and 3 container shells in tabs), then the growth of the server's RSS
// while `yes` floods the host terminal, beside the live heap before and after
// the soak (a full GC forced through the inspector: the server runs with
// --inspect on a random loopback port, nothing else changes; with the young
// generation capped no full GC happens by itself in 10 minutes). Baseline: the
// same server idle, before any page connected.
import { HOST_TERMINAL, jsHeapMiB, launchBrowser, newPage, openDnsLesson } from '../lib/browser';
import { connectHeapInspector, type HeapInspector } from '../lib/heap-inspector';
import { dockerCli, PREFIX, removeByPrefix } from '../lib/docker';
import { rssMiB, startServe } from '../lib/serve';
import { p50, sleep } from '../lib/stats';
import { result, type Scenario } from '../lib/types';
import { ApiClient } from '../lib/ws';

const TAG = `${PREFIX}mem-`;

export const memory: Scenario = {
  name: 'memory',
  description: 'server RSS and renderer heap with 4 terminals; RSS growth during a `yes` soak',
  async run(ctx) {
    const soakSeconds = ctx.quick ? 20 : 600;
    await removeByPrefix(TAG);
    const boxes = [1, 2, 3].map((i) => `${TAG}${i}`);
    for (const b of boxes) await dockerCli('run', '-d', '--name', b, 'busybox', 'sleep', '3600');
    const serve = await startServe([], ['--inspect=127.0.0.1:0']);
    const browser = await launchBrowser();
    let api: ApiClient | undefined;
    let inspector: HeapInspector | undefined;
    try {
      await sleep(2000);
      const idle = await rssMiB(serve.pid);
      const page = await newPage(browser);
      await openDnsLesson(page, serve);
      for (const b of boxes) {
        await page.getByTestId('open-shell-input').fill(b);
        await page.getByTestId('open-shell').click();
        await page
          .waitForFunction((sel) => /[$#]/.test(document.querySelector(sel)?.textContent ?? ''), `[data-testid="terminal"][data-terminal="${b}"] .xterm-rows`, { timeout: 20_000 })
          .catch(() => undefined);
      }
      api = await ApiClient.connect(serve);
      const running = (await api.call('terminal.list', {})).filter((t) => t.running).length;
      await sleep(2000);
      const withTerminals = await rssMiB(serve.pid);
      const heap = await jsHeapMiB(page);
      ctx.log(`server RSS idle ${idle.toFixed(1)} MiB, with ${running} terminals ${withTerminals.toFixed(1)} MiB; renderer heap ${heap.toFixed(1)} MiB`);
      inspector = await connectHeapInspector(() => serve.output());
      const liveBefore = await inspector.liveHeapMiB();

      await page.locator('[data-testid="terminal-tab"][data-terminal="host"]').click();
      await page.locator(HOST_TERMINAL).click();
      await page.keyboard.type('yes');
      await page.keyboard.press('Enter');
      await sleep(2000);
      const samples: number[] = [];
      const t0 = Date.now();
      while (Date.now() - t0 < soakSeconds * 1000) {
        samples.push(await rssMiB(serve.pid));
        await sleep(1000);
      }
      const actual = (Date.now() - t0) / 1000;
      await page.keyboard.press('Control+C');
      await sleep(1000);
      const liveAfter = await inspector.liveHeapMiB();
      const heapAfter = await jsHeapMiB(page);
      // RSS saw-tooths by tens of MiB while output streams (V8's young generation, socket
      // buffers), so each end is the median of a minute of samples: a leak moves that, a tooth does not.
      const window = Math.max(3, Math.min(60, Math.floor(samples.length / 4)));
      const head = p50(samples.slice(0, window));
      const tail = p50(samples.slice(-window));
      const growth = tail - head;
      const growth3 = p50(samples.slice(-3)) - p50(samples.slice(0, 3));
      ctx.log(`soak ${actual.toFixed(0)} s: RSS ${head.toFixed(1)} → ${tail.toFixed(1)} MiB (medians of ${window} samples; min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}; of 3 samples: ${growth3.toFixed(2)} MiB); heap after ${heapAfter.toFixed(1)} MiB`);
      ctx.log(`soak: live heap ${liveBefore.toFixed(2)} → ${liveAfter.toFixed(2)} MiB`);
      return [
        result('server RSS, 4 terminals', withTerminals, 'MiB', idle, { max: 150 }, `${running} terminal sessions running (host + ${boxes.length} container tabs); baseline the idle server before any page`),
        result('renderer JS heap, 4 terminals', heap, 'MiB', null, undefined, `CDP JSHeapUsedSize after a forced GC; after the soak: ${heapAfter.toFixed(1)} MiB`),
        result(`server RSS growth, ${actual.toFixed(0)} s yes soak`, growth, 'MiB', head, { max: 10 }, `median of the last ${window} samples − median of the first ${window} (1 s apart, from 2 s after yes started; with 3 samples: ${growth3.toFixed(2)} MiB); range ${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)} MiB; baseline RSS at the start of the soak`),
        result(`server live heap growth, ${actual.toFixed(0)} s yes soak`, liveAfter - liveBefore, 'MiB', liveBefore, undefined, 'heap in use after a full GC forced through the inspector, 1 s after Ctrl-C − the same just before yes: what a leak would raise, whatever heap V8 keeps committed; baseline the live heap before the soak'),
      ];
    } finally {
      inspector?.close();
      api?.close();
      await browser.close();
      await serve.stop();
      await removeByPrefix(TAG);
    }
  },
};
