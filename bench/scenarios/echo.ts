// 1. Keystroke echo: a key pressed in the host terminal until xterm's DOM
// renderer shows it, idle and while another terminal (a second host shell)
// runs `yes`. Baseline: node-pty alone in Node (bash --norc,
// write one character, time to its echo), no transport and no xterm.
import * as pty from 'node-pty';
import type { Page } from '@playwright/test';
import { chromiumArgs } from '../../electron/main/chromium-switches';
import { clearHost, HOST_ROWS, launchBrowser, newPage, openDnsLesson } from '../lib/browser';
import { startServe } from '../lib/serve';
import { ApiClient } from '../lib/ws';
import { p50, p95, poll, sleep } from '../lib/stats';
import { result, type BenchResult, type Scenario } from '../lib/types';

const KEYS = 'abcdefghijklmnopqrstuvwxyz';
const PER_LINE = 20;

interface EchoSample {
  /** keydown → the typed text shown in .xterm-rows */
  ms: number;
  /** keydown → the last terminal.data frame before that (the transport's share) */
  wsMs: number;
}
interface EchoWindow {
  __echo?: { arm(target: string): void; result(): Promise<EchoSample> };
  __wsData: { last: number };
}

/** Node-side floor: bash in node-pty, one character at a time. */
async function nodePtyEcho(count: number): Promise<number[]> {
  const shell = pty.spawn('bash', ['--norc', '--noprofile'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 30,
    env: { ...process.env, PS1: '$ ', HISTFILE: '/dev/null' } as Record<string, string>,
  });
  let out = '';
  const waiters: (() => void)[] = [];
  shell.onData((d) => {
    out += d;
    for (const w of waiters.splice(0)) w();
  });
  const waitOut = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (test() ? resolve() : void waiters.push(check));
      check();
    });
  await waitOut(() => out.includes('$ '));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i % PER_LINE === 0 && i > 0) {
      out = '';
      shell.write('\x15');
      await sleep(20);
    }
    const ch = KEYS[i % KEYS.length] ?? 'x';
    out = '';
    const t0 = performance.now();
    shell.write(ch);
    await waitOut(() => out.includes(ch));
    samples.push(performance.now() - t0);
  }
  shell.kill();
  return samples;
}

/** Page-side probe: keydown (capture, before xterm sees it) to the mutation of .xterm-rows that shows the typed text on the cursor row. */
async function installEcho(page: Page): Promise<void> {
  await page.evaluate((sel) => {
    const rows = document.querySelector(sel);
    if (!rows) throw new Error('no host terminal rows');
    let target = '';
    let keyAt: number | null = null;
    let done: ((s: EchoSample) => void) | null = null;
    let pending: Promise<EchoSample> = Promise.resolve({ ms: 0, wsMs: 0 });
    const cursorRowText = (): string => {
      const row = rows.querySelector('.xterm-cursor')?.closest('.xterm-rows > div') ?? null;
      return (row?.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd();
    };
    window.addEventListener('keydown', () => {
      if (done && keyAt === null) keyAt = performance.now();
    }, true);
    new MutationObserver(() => {
      if (!done || keyAt === null) return;
      if (cursorRowText().endsWith(target)) {
        const now = performance.now();
        const last = (window as unknown as EchoWindow).__wsData.last;
        const d = done;
        done = null;
        d({ ms: now - keyAt, wsMs: last >= keyAt ? last - keyAt : Number.NaN });
      }
    }).observe(rows, { subtree: true, childList: true, characterData: true });
    (window as unknown as EchoWindow).__echo = {
      arm(t: string): void {
        target = t;
        keyAt = null;
        pending = new Promise<EchoSample>((resolve, reject) => {
          done = resolve;
          setTimeout(() => reject(new Error(`no echo of "${t}" within 5 s`)), 5_000);
        });
      },
      result: () => pending,
    };
  }, HOST_ROWS);
}

async function appEcho(page: Page, count: number): Promise<EchoSample[]> {
  await clearHost(page);
  const samples: EchoSample[] = [];
  let typed = '';
  for (let i = 0; i < count; i++) {
    if (i % PER_LINE === 0 && i > 0) {
      await clearHost(page);
      typed = '';
    }
    const ch = KEYS[i % KEYS.length] ?? 'x';
    typed += ch;
    await page.evaluate((t) => (window as unknown as EchoWindow).__echo?.arm(t), typed);
    await page.keyboard.press(ch);
    const sample = await page.evaluate(() => (window as unknown as EchoWindow).__echo?.result());
    if (!sample) throw new Error('the echo probe is not installed');
    samples.push(sample);
  }
  await page.keyboard.press('Control+U');
  return samples;
}

export const echo: Scenario = {
  name: 'echo',
  description: 'keystroke echo in the host terminal, idle and under `yes` in another terminal',
  async run(ctx) {
    const count = ctx.quick ? 50 : 200;
    const base = await nodePtyEcho(count);
    ctx.log(`node-pty echo p50 ${p50(base).toFixed(2)} ms`);

    const serve = await startServe();
    const browser = await launchBrowser();
    let other: ApiClient | undefined;
    const results: BenchResult[] = [];
    try {
      const page = await newPage(browser);
      await openDnsLesson(page, serve);
      await installEcho(page);
      const idle = await appEcho(page, count);
      ctx.log(`app echo idle p50 ${p50(idle.map((s) => s.ms)).toFixed(2)} ms (transport share p50 ${p50(idle.map((s) => s.wsMs)).toFixed(2)} ms)`);

      // Another terminal running `yes`: a second host shell on the same server,
      // driven (and acknowledged) over its own WebSocket. A container shell in a
      // tab would load the page's xterm too, but on a shared engine another
      // lab's reset may remove the container mid-run; a shell cannot be taken.
      other = await ApiClient.connect(serve);
      const yesId = await other.openHost();
      let yesChars = 0;
      other.on('terminal.data', ({ id, data }) => {
        if (id === yesId) yesChars += data.length;
      });
      await other.call('terminal.input', { id: yesId, data: 'yes\r' });
      await poll(() => yesChars > 1_000_000, '`yes` output in the other terminal');
      const charsBefore = yesChars;
      const framesBefore = await page.evaluate(() => (window as unknown as EchoWindow & { __wsData: { count: number } }).__wsData.count);
      const t0 = performance.now();
      const busy = await appEcho(page, count);
      const seconds = (performance.now() - t0) / 1000;
      const frames = (await page.evaluate(() => (window as unknown as EchoWindow & { __wsData: { count: number } }).__wsData.count)) - framesBefore;
      const yesMBps = (yesChars - charsBefore) / 1e6 / seconds;
      await other.call('terminal.input', { id: yesId, data: '\x03' });
      ctx.log(`app echo under yes p95 ${p95(busy.map((s) => s.ms)).toFixed(2)} ms (yes at ${yesMBps.toFixed(1)} MB/s, ${frames} frames to the page)`);

      const how = `${count} keys; keydown (capture listener) → MutationObserver on .xterm-rows (DOM renderer) showing the text on the cursor row`;
      const share = (xs: EchoSample[]): string => `transport share (keydown → last terminal.data frame) p50 ${p50(xs.map((x) => x.wsMs)).toFixed(1)} ms`;
      // The desktop shell starts Chromium with its own switches (one of them
      // stops Chromium holding a message that arrives after a key press until
      // the next frame). No Electron binary runs here: the same Chromium with
      // the same switches stands in for it.
      const desktop = await launchBrowser(chromiumArgs());
      let switched: EchoSample[];
      try {
        const dpage = await newPage(desktop);
        await openDnsLesson(dpage, serve);
        await installEcho(dpage);
        switched = await appEcho(dpage, count);
      } finally {
        await desktop.close();
      }
      ctx.log(`app echo idle with ${chromiumArgs().join(' ')} p50 ${p50(switched.map((s) => s.ms)).toFixed(2)} ms`);

      results.push(
        result('echo idle p50', p50(idle.map((s) => s.ms)), 'ms', p50(base), { max: 5 }, `${how}; ${share(idle)}; baseline node-pty p50`),
        result('echo idle p95', p95(idle.map((s) => s.ms)), 'ms', p95(base), { max: 12 }, 'baseline node-pty p95'),
        result('echo idle p50, desktop switches', p50(switched.map((s) => s.ms)), 'ms', p50(base), { max: 5 }, `Chromium with ${chromiumArgs().join(' ')} as the Electron shell sets it; ${share(switched)}`),
        result('echo idle p95, desktop switches', p95(switched.map((s) => s.ms)), 'ms', p95(base), { max: 12 }, 'baseline node-pty p95'),
        result('echo under yes p50', p50(busy.map((s) => s.ms)), 'ms', p50(base), undefined, `${share(busy)}`),
        result(
          'echo under yes p95',
          p95(busy.map((s) => s.ms)),
          'ms',
          p95(base),
          { max: 25 },
          `yes in a second host shell (own WebSocket client, acked) at ${yesMBps.toFixed(1)} MB/s; ${frames} of its frames reached the page (output goes to the opening client only); baseline node-pty p95 idle`,
        ),
      );
    } finally {
      other?.close();
      await browser.close();
      await serve.stop();
    }
    return results;
  },
};
