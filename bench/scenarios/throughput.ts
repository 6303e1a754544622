// 2. Terminal throughput: deterministic lines (seq) flooding the host
// terminal until an end marker is drawn, checked line by line; Ctrl-C during
// `yes`; the longest gap between animation frames during the flood.
// Baselines: xterm.js alone in a blank page parsing the same bytes, node-pty
// alone in Node reading them, and the app's server alone feeding a Node client.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import * as pty from 'node-pty';
import { WebSocketServer } from 'ws';
import { clearHost, HOST_ROWS, HOST_TERMINAL, launchBrowser, newPage, openDnsLesson, rowsText } from '../lib/browser';
import { startServe, type ServeHandle } from '../lib/serve';
import { ApiClient } from '../lib/ws';
import { max, p50, sleep } from '../lib/stats';
import { result, type BenchResult, type Scenario } from '../lib/types';

const BODY = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Bytes per line as the terminal receives it: L + 9 digits + space + body + CRLF. */
const LINE_BYTES = 1 + 9 + 1 + BODY.length + 2;

function expectedLine(n: number): string {
  return `L${String(n).padStart(9, '0')} ${BODY}`;
}

function seqCommand(lines: number, marker: string): string {
  // The marker is split in the command line so only the output shows it whole.
  return `seq -f 'L%09.0f ${BODY}' 1 ${lines}; echo "${marker.slice(0, 6)}""${marker.slice(6)}"`;
}

interface FloodWindow {
  __flood?: { arm(marker: string): void; result(): Promise<{ ms: number; maxGap: number; frames: number }> };
  __wsData: { last: number; count: number };
  __ctrlc?: { keyAt: number };
}

async function installFlood(page: Page): Promise<void> {
  await page.evaluate((sel) => {
    const rows = document.querySelector(sel);
    if (!rows) throw new Error('no host terminal rows');
    let marker = '';
    let startAt: number | null = null;
    let settle: ((r: { ms: number; maxGap: number; frames: number }) => void) | null = null;
    let pending: Promise<{ ms: number; maxGap: number; frames: number }> = Promise.resolve({ ms: 0, maxGap: 0, frames: 0 });
    let lastFrame = 0;
    let maxGap = 0;
    let frames = 0;
    const frame = (t: number): void => {
      if (!settle) return;
      if (lastFrame) maxGap = Math.max(maxGap, t - lastFrame);
      lastFrame = t;
      frames++;
      requestAnimationFrame(frame);
    };
    window.addEventListener('keydown', (e) => {
      if (settle && startAt === null && e.key === 'Enter') {
        startAt = performance.now();
        lastFrame = 0;
        maxGap = 0;
        frames = 0;
        requestAnimationFrame(frame);
      }
    }, true);
    new MutationObserver(() => {
      if (!settle || startAt === null) return;
      const texts = [...rows.children].map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trim());
      if (texts.includes(marker)) {
        const s = settle;
        settle = null;
        s({ ms: performance.now() - startAt, maxGap, frames });
      }
    }).observe(rows, { subtree: true, childList: true, characterData: true });
    (window as unknown as FloodWindow).__flood = {
      arm(m: string): void {
        marker = m;
        startAt = null;
        pending = new Promise((resolve) => {
          settle = resolve;
        });
      },
      result: () => pending,
    };
  }, HOST_ROWS);
}

/** The app: type the command, press Enter, wait for the marker; then check the last lines byte for byte. */
async function appFlood(page: Page, lines: number, timeoutMs: number): Promise<{ mbps: number; maxGap: number; verified: string }> {
  await clearHost(page);
  const marker = `BENCH_END_${Date.now().toString(36)}`;
  await page.keyboard.type(seqCommand(lines, marker));
  await page.evaluate((m) => (window as unknown as FloodWindow).__flood?.arm(m), marker);
  await page.keyboard.press('Enter');
  const got = await Promise.race([
    page.evaluate(() => (window as unknown as FloodWindow).__flood?.result()),
    sleep(timeoutMs).then(() => undefined),
  ]);
  if (!got) throw new Error(`the end marker did not appear within ${timeoutMs} ms`);
  const rows = await rowsText(page);
  const at = rows.findIndex((r) => r.trim() === marker);
  const before = rows.slice(0, at).filter(Boolean);
  const check = before.slice(-10);
  const want = check.map((_, i) => expectedLine(lines - check.length + 1 + i));
  const bad = check.findIndex((r, i) => r !== want[i]);
  if (check.length === 0 || bad >= 0) throw new Error(`content mismatch: got "${check[bad] ?? '(nothing)'}", want "${want[bad] ?? ''}"`);
  return { mbps: (lines * LINE_BYTES) / 1e6 / (got.ms / 1000), maxGap: got.maxGap, verified: `last ${check.length} lines before the marker match byte for byte` };
}

/** xterm.js alone: the same lines written in 64 KiB chunks (8 in flight) to a fresh Terminal in a blank page. */
async function xtermAlone(page: Page, lines: number, cols: number, rows: number): Promise<{ mbps: number; maxGap: number }> {
  const require = createRequire(__filename);
  const lib = require.resolve('@xterm/xterm/lib/xterm.js');
  await page.goto('about:blank');
  await page.setContent('<div id="t" style="width:1000px;height:700px"></div>');
  await page.addStyleTag({ path: join(lib, '../../css/xterm.css') });
  await page.addScriptTag({ path: lib });
  return page.evaluate(
    async ({ lines, cols, rows, body }) => {
      const Ctor = (window as unknown as { Terminal: new (o: object) => { open(e: Element): void; write(d: string, cb: () => void): void; buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } }).Terminal;
      const term = new Ctor({ cols, rows, scrollback: 5000 });
      term.open(document.getElementById('t') as Element);
      const chunks: string[] = [];
      let cur = '';
      for (let n = 1; n <= lines; n++) {
        cur += `L${String(n).padStart(9, '0')} ${body}\r\n`;
        if (cur.length >= 65536) {
          chunks.push(cur);
          cur = '';
        }
      }
      if (cur) chunks.push(cur);
      let lastFrame = 0;
      let maxGap = 0;
      let running = true;
      const frame = (t: number): void => {
        if (!running) return;
        if (lastFrame) maxGap = Math.max(maxGap, t - lastFrame);
        lastFrame = t;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        let next = 0;
        let done = 0;
        const pump = (): void => {
          const chunk = chunks[next++];
          if (chunk === undefined) return;
          term.write(chunk, () => {
            done++;
            if (done === chunks.length) resolve();
            else pump();
          });
        };
        for (let i = 0; i < 8; i++) pump();
      });
      const ms = performance.now() - t0;
      running = false;
      const buf = term.buffer.active;
      const last = buf.getLine(buf.length - 2)?.translateToString(true) ?? '';
      if (last !== `L${String(lines).padStart(9, '0')} ${body}`) throw new Error(`xterm-alone content mismatch: ${last}`);
      return { mbps: (lines * (body.length + 13)) / 1e6 / (ms / 1000), maxGap };
    },
    { lines, cols, rows, body: BODY },
  );
}

/**
 * xterm.js alone fed over a WebSocket: a bare Node server sends the same lines
 * as the app's terminal.data frames (128 KiB, at most 1 000 000 characters
 * unacknowledged), the page parses each frame and acks it once xterm has
 * written it. No pty, no app: what this browser's WebSocket costs on top of xterm.
 */
async function xtermOverWebSocket(page: Page, lines: number, cols: number, rows: number): Promise<number> {
  let text = '';
  for (let n = 1; n <= lines; n++) text += `${expectedLine(n)}\r\n`;
  const server = createServer((_req, res) => res.end('<!doctype html><div id="t" style="width:1000px;height:700px"></div>'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    let sent = 0;
    let acked = 0;
    const pump = (): void => {
      while (sent < text.length && sent - acked < 1_000_000) {
        const data = text.slice(sent, sent + 128 * 1024);
        sent += data.length;
        ws.send(JSON.stringify({ type: 'event', name: 'terminal.data', payload: { id: 'ws', data } }));
      }
    };
    ws.on('message', (m) => {
      acked += Number(JSON.parse(m.toString()).ack ?? 0);
      pump();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const require = createRequire(__filename);
    const lib = require.resolve('@xterm/xterm/lib/xterm.js');
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.addStyleTag({ path: join(lib, '../../css/xterm.css') });
    await page.addScriptTag({ path: lib });
    const ms = await page.evaluate(
      async ({ cols, rows, total }) => {
        const Ctor = (window as unknown as { Terminal: new (o: object) => { open(e: Element): void; write(d: string, cb: () => void): void } }).Terminal;
        const term = new Ctor({ cols, rows, scrollback: 5000 });
        term.open(document.getElementById('t') as Element);
        const ws = new WebSocket(`ws://${location.host}/`);
        await new Promise((ok) => ws.addEventListener('open', ok));
        const t0 = performance.now();
        return new Promise<number>((resolve) => {
          let done = 0;
          ws.addEventListener('message', (e: MessageEvent) => {
            const data = (JSON.parse(e.data as string) as { payload: { data: string } }).payload.data;
            term.write(data, () => {
              done += data.length;
              ws.send(JSON.stringify({ ack: data.length }));
              if (done >= total) resolve(performance.now() - t0);
            });
          });
          ws.send(JSON.stringify({ ack: 0 }));
        });
      },
      { cols, rows, total: text.length },
    );
    return text.length / 1e6 / (ms / 1000);
  } finally {
    wss.close();
    server.close();
  }
}

interface AckWindow {
  __acks: { received: number; acked: number; target: number; doneAt: number; startAt: number; marker: string };
}

/**
 * The app with a renderer that draws on a canvas (no DOM rows to watch): the
 * flood ends when the page has acknowledged every character up to the frame
 * that carried the end marker, i.e. xterm has parsed the last byte.
 */
async function appFloodAcked(browser: Browser, serve: ServeHandle, renderer: string, lines: number, timeoutMs: number): Promise<{ mbps: number; canvas: boolean }> {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    const w = window as unknown as AckWindow;
    w.__acks = { received: 0, acked: 0, target: 0, doneAt: 0, startAt: 0, marker: '' };
    const Native = window.WebSocket;
    const send = Native.prototype.send;
    Native.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
      if (typeof data === 'string' && data.includes('"terminal.ack"')) {
        w.__acks.acked += (JSON.parse(data) as { input: { chars: number } }).input.chars;
        if (w.__acks.target && !w.__acks.doneAt && w.__acks.acked >= w.__acks.target) w.__acks.doneAt = performance.now();
      }
      send.call(this, data);
    };
    class Counting extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e: MessageEvent) => {
          const text = typeof e.data === 'string' ? e.data : '';
          if (!text.startsWith('{"type":"event","name":"terminal.data"')) return;
          w.__acks.received += (JSON.parse(text) as { payload: { data: string } }).payload.data.length;
          if (w.__acks.marker && !w.__acks.target && text.includes(w.__acks.marker)) w.__acks.target = w.__acks.received;
        });
      }
    }
    window.WebSocket = Counting;
  });
  try {
    await page.goto(await serve.launchUrl({ query: `renderer=${renderer}` }));
    await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
    await page.locator(`${HOST_TERMINAL}[data-phase="running"]`).waitFor();
    await page.waitForFunction(() => (window as unknown as AckWindow).__acks.received > 0);
    await sleep(500);
    const marker = `BENCH_END_${Date.now().toString(36)}`;
    await page.locator(HOST_TERMINAL).click();
    await page.keyboard.type(seqCommand(lines, marker));
    await sleep(200);
    await page.evaluate((m) => {
      const a = (window as unknown as AckWindow).__acks;
      a.marker = m;
      window.addEventListener('keydown', () => (a.startAt = performance.now()), { capture: true, once: true });
    }, marker);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as AckWindow).__acks.doneAt > 0, undefined, { timeout: timeoutMs, polling: 50 });
    const ms = await page.evaluate(() => {
      const a = (window as unknown as AckWindow).__acks;
      return a.doneAt - a.startAt;
    });
    const canvas = (await page.locator(`${HOST_TERMINAL} canvas`).count()) > 0;
    return { mbps: (lines * LINE_BYTES) / 1e6 / (ms / 1000), canvas };
  } finally {
    await page.context().close();
  }
}

/**
 * The app's server alone: the same command in a host shell opened by a Node
 * client that acknowledges every frame as it arrives. Shell, pty, batching,
 * flow control and the WebSocket, no browser: the most any page could get from
 * this server on this machine.
 */
async function serverAlone(serve: ServeHandle, lines: number): Promise<number> {
  const api = await ApiClient.connect(serve);
  try {
    const id = await api.openHost();
    await sleep(300);
    let chars = 0;
    const off = api.on('terminal.data', (d) => {
      if (d.id === id) chars += d.data.length;
    });
    const t0 = performance.now();
    await api.run(id, seqCommand(lines, `BENCH_END_${Date.now().toString(36)}`), lines / 5);
    const ms = performance.now() - t0;
    off();
    if (chars < lines * LINE_BYTES) throw new Error(`the server alone delivered ${chars} characters, want at least ${lines * LINE_BYTES}`);
    return chars / 1e6 / (ms / 1000);
  } finally {
    api.close();
  }
}

function spawnBash(): pty.IPty {
  return pty.spawn('bash', ['--norc', '--noprofile'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 30,
    env: { ...process.env, PS1: '$ ', HISTFILE: '/dev/null' } as Record<string, string>,
  });
}

/** node-pty alone: bytes from writing the command until the marker arrives. */
async function nodePtyFlood(lines: number): Promise<number> {
  const shell = spawnBash();
  const marker = `BENCH_END_${Date.now().toString(36)}`;
  let tail = '';
  let bytes = 0;
  let t0 = 0;
  let started = false;
  const ms = await new Promise<number>((resolve) => {
    shell.onData((d) => {
      tail = (tail + d).slice(-4096);
      if (!started) {
        if (tail.includes('$ ')) {
          started = true;
          tail = '';
          t0 = performance.now();
          shell.write(`${seqCommand(lines, marker)}\r`);
        }
        return;
      }
      bytes += d.length;
      if (tail.includes(`\n${marker}`)) resolve(performance.now() - t0);
    });
  });
  shell.kill();
  return bytes / 1e6 / (ms / 1000);
}

/** node-pty alone: Ctrl-C after a second of `yes`, until 100 ms pass without data. */
async function nodePtyCtrlC(): Promise<number> {
  const shell = spawnBash();
  let last = 0;
  shell.onData(() => (last = performance.now()));
  await sleep(300);
  shell.write('yes\r');
  await sleep(1000);
  const t0 = performance.now();
  shell.write('\x03');
  while (performance.now() - last < 100) await sleep(10);
  shell.kill();
  return last - t0;
}

async function appCtrlC(page: Page): Promise<number> {
  await clearHost(page);
  await page.keyboard.type('yes');
  await page.keyboard.press('Enter');
  await sleep(1000);
  await page.evaluate(() => {
    const w = window as unknown as FloodWindow;
    w.__ctrlc = { keyAt: 0 };
    window.addEventListener('keydown', () => {
      if (w.__ctrlc && !w.__ctrlc.keyAt) w.__ctrlc.keyAt = performance.now();
    }, { capture: true, once: true });
  });
  await page.keyboard.press('Control+C');
  return page.evaluate(async () => {
    const w = window as unknown as FloodWindow;
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      if (w.__ctrlc?.keyAt && performance.now() - w.__wsData.last >= 100) return w.__wsData.last - w.__ctrlc.keyAt;
    }
  });
}

export const throughput: Scenario = {
  name: 'throughput',
  description: 'terminal flood throughput, Ctrl-C during `yes`, frame gaps',
  async run(ctx) {
    const megabytes = ctx.quick ? 10 : 100;
    const lines = Math.floor((megabytes * 1e6) / LINE_BYTES);
    const ctrlcTrials = ctx.quick ? 2 : 5;
    const ptyMbps = await nodePtyFlood(lines);
    ctx.log(`node-pty alone ${ptyMbps.toFixed(1)} MB/s`);
    const ptyStops: number[] = [];
    for (let i = 0; i < ctrlcTrials; i++) ptyStops.push(await nodePtyCtrlC());

    const serve = await startServe();
    const browser = await launchBrowser();
    const results: BenchResult[] = [];
    try {
      const page = await newPage(browser);
      await openDnsLesson(page, serve);
      await installFlood(page);
      const size = await page.evaluate((sel) => {
        const rows = document.querySelector(sel);
        const width = rows?.querySelector('div')?.textContent?.length ?? 0;
        return { rows: rows?.children.length ?? 0, cols: width };
      }, HOST_ROWS);
      const app = await appFlood(page, lines, megabytes * 30_000);
      ctx.log(`app ${app.mbps.toFixed(1)} MB/s, max frame gap ${app.maxGap.toFixed(0)} ms`);
      const stops: number[] = [];
      for (let i = 0; i < ctrlcTrials; i++) stops.push(await appCtrlC(page));
      ctx.log(`Ctrl-C stop p50 ${p50(stops).toFixed(0)} ms`);

      // The renderer choice: WebGL forced beside the DOM renderer, both timed to
      // the last byte parsed (acks), on this machine's software GL.
      const gl = await appFloodAcked(browser, serve, 'webgl', lines, megabytes * 30_000);
      const dom = await appFloodAcked(browser, serve, 'dom', lines, megabytes * 30_000);
      if (!gl.canvas || dom.canvas) throw new Error('the forced renderers were not the ones drawing');
      ctx.log(`last byte parsed: DOM ${dom.mbps.toFixed(1)} MB/s, WebGL forced ${gl.mbps.toFixed(1)} MB/s`);

      const blank = await newPage(browser);
      const alone = await xtermAlone(blank, lines, Math.max(80, size.cols), Math.max(10, size.rows));
      ctx.log(`xterm alone ${alone.mbps.toFixed(1)} MB/s`);
      const overWs = await xtermOverWebSocket(await newPage(browser), lines, Math.max(80, size.cols), Math.max(10, size.rows));
      ctx.log(`xterm alone over a WebSocket ${overWs.toFixed(1)} MB/s`);
      const supply = await serverAlone(serve, lines);
      ctx.log(`the server alone to a Node client ${supply.toFixed(1)} MB/s`);

      results.push(
        result(`throughput ${megabytes} MB vs xterm alone`, app.mbps, 'MB/s', alone.mbps, { min: 25, ratioMin: 0.8 }, `seq lines into the host terminal (DOM renderer), Enter keydown → end marker drawn; ${app.verified}; baseline xterm.js alone in a blank page (64 KiB writes, 8 in flight)`),
        result(`throughput ${megabytes} MB vs xterm over a WebSocket`, app.mbps, 'MB/s', overWs, undefined, 'baseline xterm.js alone fed the same lines over a WebSocket by a bare Node server (128 KiB frames, acked after each write): the ceiling of any WebSocket-fed terminal in this browser'),
        result(`throughput ${megabytes} MB, WebGL forced vs DOM`, gl.mbps, 'MB/s', dom.mbps, undefined, `Enter → the page acked the end marker's frame (xterm parsed the last byte), ?renderer=webgl vs ?renderer=dom; this machine's WebGL is SwiftShader (software), where the app keeps the DOM renderer`),
        result(`throughput ${megabytes} MB vs the server alone`, app.mbps, 'MB/s', supply, undefined, "baseline the app's server feeding a Node client that acks each frame at once (host shell, pty, batching, flow control, WebSocket; no browser): what this server delivers when nothing else wants the CPUs"),
        result(`throughput ${megabytes} MB vs node-pty alone`, app.mbps, 'MB/s', ptyMbps, undefined, 'baseline node-pty alone reading the same command in Node'),
        result('Ctrl-C during yes: output stops', p50(stops), 'ms', p50(ptyStops), { max: 200 }, `p50 of ${ctrlcTrials}, max ${max(stops).toFixed(0)} ms; keydown → last terminal.data frame before 100 ms of silence; baseline node-pty alone`),
        result('max frame gap during flood', app.maxGap, 'ms', alone.maxGap, { below: 100 }, 'requestAnimationFrame gaps in the page from Enter to the marker; baseline the same in the xterm-alone page'),
      );
    } finally {
      await browser.close();
      await serve.stop();
    }
    return results;
  },
};
