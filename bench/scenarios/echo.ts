// 1. Keystroke echo: a key pressed in the host terminal until xterm's DOM
// renderer shows it, idle and while another terminal (a second host shell)
// runs `yes`. Baseline: node-pty alone in Node (bash --norc,
// write one character, time to its echo), no transport and no xterm.
import * as pty from 'node-pty';
import type { Page } from '@playwright/test';
import { chromiumArgs } from '../../electron/main/chromium-switches';
import { clearHost, HOST_ROWS, launchBrowser, newPage, openDnsLesson } from '../lib/browser';
import { startServe, type ServeHandle } from '../lib/serve';
import { ApiClient } from '../lib/ws';
import { p50, p95, poll, sleep } from '../lib/stats';
import { result, type BenchResult, type Scenario } from '../lib/types';

const KEYS = 'abcdefghijklmnopqrstuvwxyz';
const PER_LINE = 20;
const FRAME_MS = 1000 / 60;

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
    // Keys land at any point of the display's 16.7 ms frame, as typing does; one
    // right after another echo would sit at the same phase every time.
    await sleep(Math.random() * FRAME_MS);
    await page.keyboard.press(ch);
    const sample = await page.evaluate(() => (window as unknown as EchoWindow).__echo?.result());
    if (!sample) throw new Error('the echo probe is not installed');
    samples.push(sample);
  }
  await page.keyboard.press('Control+U');
  return samples;
}

interface EchoRun {
  idle: EchoSample[];
  busy: EchoSample[];
  yesMBps: number;
  /** terminal.data frames that reached the page while `yes` ran elsewhere. */
  frames: number;
}

/** Echo in the host terminal of a fresh page, idle and while another terminal runs `yes`. */
async function echoRun(serve: ServeHandle, count: number, browserArgs: string[]): Promise<EchoRun> {
  const browser = await launchBrowser(browserArgs);
  let other: ApiClient | undefined;
  try {
    const page = await newPage(browser);
    await openDnsLesson(page, serve);
    await installEcho(page);
    const idle = await appEcho(page, count);
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
    const frameCount = (): Promise<number> => page.evaluate(() => (window as unknown as EchoWindow & { __wsData: { count: number } }).__wsData.count);
    const charsBefore = yesChars;
    const framesBefore = await frameCount();
    const t0 = performance.now();
    const busy = await appEcho(page, count);
    const seconds = (performance.now() - t0) / 1000;
    const frames = (await frameCount()) - framesBefore;
    const yesMBps = (yesChars - charsBefore) / 1e6 / seconds;
    await other.call('terminal.input', { id: yesId, data: '\x03' });
    return { idle, busy, yesMBps, frames };
  } finally {
    other?.close();
    await browser.close();
  }
}

export const echo: Scenario = {
  name: 'echo',
  description: 'keystroke echo in the host terminal, idle and under `yes` in another terminal',
  async run(ctx) {
    const count = ctx.quick ? 50 : 200;
    const base = await nodePtyEcho(count);
    ctx.log(`node-pty echo p50 ${p50(base).toFixed(2)} ms`);

    const serve = await startServe();
    const results: BenchResult[] = [];
    try {
      const how = `${count} keys; keydown (capture listener) → MutationObserver on .xterm-rows (DOM renderer) showing the text on the cursor row`;
      const share = (xs: EchoSample[]): string => `transport share (keydown → last terminal.data frame) p50 ${p50(xs.map((x) => x.wsMs)).toFixed(1)} ms`;
      const web = await echoRun(serve, count, []);
      ctx.log(`browser mode: echo idle p50 ${p50(web.idle.map((x) => x.ms)).toFixed(2)} ms, under yes p95 ${p95(web.busy.map((x) => x.ms)).toFixed(2)} ms`);
      // The desktop shell starts Chromium with its own switches (one stops
      // Chromium holding a message that arrives after a key press until the
      // next frame). No Electron binary runs here: the same Chromium with the
      // same switches stands in for it.
      const desk = await echoRun(serve, count, chromiumArgs());
      ctx.log(`desktop switches: echo idle p50 ${p50(desk.idle.map((x) => x.ms)).toFixed(2)} ms, under yes p95 ${p95(desk.busy.map((x) => x.ms)).toFixed(2)} ms`);
      const yes = (r: EchoRun): string => `yes in a second host shell (own WebSocket client, acked) at ${r.yesMBps.toFixed(1)} MB/s; ${r.frames} of its frames reached the page (output goes to the opening client only)`;
      const switches = `Chromium with ${chromiumArgs().join(' ')}, as the Electron shell starts it`;
      results.push(
        result('echo idle p50', p50(web.idle.map((x) => x.ms)), 'ms', p50(base), { max: 5 }, `browser mode; ${how}; ${share(web.idle)}; baseline node-pty p50`),
        result('echo idle p95', p95(web.idle.map((x) => x.ms)), 'ms', p95(base), { max: 12 }, 'browser mode; baseline node-pty p95'),
        result('echo under yes p95', p95(web.busy.map((x) => x.ms)), 'ms', p95(base), { max: 25 }, `browser mode; ${yes(web)}; ${share(web.busy)}; baseline node-pty p95 idle`),
        result('echo idle p50, desktop switches', p50(desk.idle.map((x) => x.ms)), 'ms', p50(base), { max: 5 }, `${switches}; ${share(desk.idle)}`),
        result('echo idle p95, desktop switches', p95(desk.idle.map((x) => x.ms)), 'ms', p95(base), { max: 12 }, switches),
        result('echo under yes p95, desktop switches', p95(desk.busy.map((x) => x.ms)), 'ms', p95(base), { max: 25 }, `${switches}; ${yes(desk)}; ${share(desk.busy)}`),
      );
    } finally {
      await serve.stop();
    }
    return results;
  },
};
