// Browser mode as a client sees it: the token, the origin check, the WebSocket
// contract, and a clean stop. Runs the built server (npm run build first).
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type ServeHandle } from '../support/serve';

let serve: ServeHandle;

beforeAll(async () => {
  serve = await startServe();
});

afterAll(async () => {
  await serve?.stop();
});

function connect(opts: { token?: string; origin?: string | null } = {}): Promise<WebSocket> {
  const token = opts.token ?? serve.token;
  const ws = new WebSocket(`${serve.origin.replace('http', 'ws')}/api?token=${token}`, {
    ...(opts.origin === null ? {} : { origin: opts.origin ?? serve.origin }),
  });
  return new Promise((ok, fail) => {
    ws.once('open', () => ok(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

type Frame = { type: string; id?: number | null; result?: unknown; error?: { message: string; code?: string }; name?: string; payload?: unknown };

function next(ws: WebSocket, match: (f: Frame) => boolean): Promise<Frame> {
  return new Promise((ok) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (match(frame)) {
        ws.off('message', onMessage);
        ok(frame);
      }
    };
    ws.on('message', onMessage);
  });
}

let seq = 0;
async function call(ws: WebSocket, method: string, input: unknown): Promise<Frame> {
  const id = ++seq;
  const reply = next(ws, (f) => f.id === id);
  ws.send(JSON.stringify({ type: 'call', id, method, input }));
  return reply;
}

describe('browser mode HTTP', () => {
  it('refuses the page without the token or with a wrong one', async () => {
    expect((await fetch(`${serve.origin}/`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/?token=nope`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/?token=${serve.token.slice(0, -1)}`)).status).toBe(401);
  });

  it('serves the page with the token, a strict CSP, and a cookie for its assets', async () => {
    const res = await fetch(serve.url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const html = await res.text();
    const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    expect((await fetch(`${serve.origin}${asset}`)).status).toBe(401);
    const withCookie = await fetch(`${serve.origin}${asset}`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
  });

  it('ships the built renderer with a strict CSP meta (the Electron window has no server headers)', async () => {
    const html = await readFile(resolve(__dirname, '../../out/renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('refuses another origin and a rebinding Host header', async () => {
    expect((await fetch(serve.url, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const port = new URL(serve.origin).port;
    const res = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: evil.example:${port}`, serve.url]);
    expect(res.stdout.toString()).toBe('403');
  });

  it('does not serve files outside the renderer', async () => {
    const res = await fetch(`${serve.origin}/..%2f..%2fpackage.json?token=${serve.token}`);
    expect(res.status).toBe(404);
  });
});

describe('browser mode WebSocket', () => {
  it('refuses an upgrade without the token or from another origin', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow('HTTP 401');
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: null })).rejects.toThrow('HTTP 403');
  });

  it('serves the contract and rejects unknown methods, bad input and garbage', async () => {
    const ws = await connect();
    const list = await call(ws, 'lessons.list', {});
    expect(list.type).toBe('result');
    expect((list.result as { lessons: { id: string }[] }).lessons.map((l) => l.id)).toContain('dns');

    const unknown = await call(ws, 'shell.exec', { cmd: 'id' });
    expect(unknown).toMatchObject({ type: 'error', error: { code: 'bad-request' } });
    const bad = await call(ws, 'lessons.get', { id: '../../etc' });
    expect(bad).toMatchObject({ type: 'error', error: { code: 'bad-request' } });

    const garbageReply = next(ws, (f) => f.type === 'error' && f.id === null);
    ws.send('{not json');
    expect((await garbageReply).error?.code).toBe('bad-request');
    ws.close();
  });

  it('closes the socket on an oversized frame', async () => {
    const ws = await connect();
    const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'terminal.input', input: { id: 'x', data: 'y'.repeat(3 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });
});

describe('browser mode terminals', () => {
  it("sends a shell's output only to the connection that opened it, and stops the shell when that connection leaves", async () => {
    const [a, b] = [await connect(), await connect()];
    const seenByB: string[] = [];
    b.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      if (f.type === 'event' && (f.name === 'terminal.data' || f.name === 'terminal.exit')) seenByB.push((f.payload as { id: string }).id);
    });
    const opened = await call(a, 'terminal.open', { kind: 'host', cols: 80, rows: 24 });
    const id = (opened.result as { id: string }).id;
    let outA = '';
    const printed = next(a, (f) => {
      if (f.type === 'event' && f.name === 'terminal.data' && (f.payload as { id: string }).id === id) outA += (f.payload as { data: string }).data;
      return outA.includes('routed-2');
    });
    const pidFile = join(serve.dataDir, `routed-${Date.now()}.pid`);
    await call(a, 'terminal.input', { id, data: `echo $$ > ${pidFile}; echo routed-$((1+1))\r` });
    await printed;
    // B is still connected and would see an event for this shell by now (it got the same frames before).
    await call(b, 'lessons.list', {});
    expect(seenByB).not.toContain(id);

    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(() => process.kill(pid, 0)).not.toThrow();
    a.close();
    await expect.poll(() => { try { process.kill(pid, 0); return 'running'; } catch { return 'gone'; } }, { timeout: 10_000 }).toBe('gone');
    expect(seenByB).not.toContain(id);
    b.close();
  });
});

describe('browser mode lifecycle', () => {
  it('stops the terminals it started on SIGTERM', async () => {
    const own = await startServe();
    const ws = new WebSocket(`${own.origin.replace('http', 'ws')}/api?token=${own.token}`, { origin: own.origin });
    await new Promise((ok) => ws.once('open', ok));
    const opened = await call(ws, 'terminal.open', { kind: 'host', cols: 80, rows: 24 });
    const id = (opened.result as { id: string }).id;
    const pidFile = join(own.dataDir, 'shell.pid');
    const command = next(ws, (f) => f.type === 'event' && f.name === 'terminal.command');
    await call(ws, 'terminal.input', { id, data: `echo $$ > ${pidFile}\r` });
    await command;
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(await own.stop()).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('stops cleanly on SIGTERM that comes before its services have loaded', async () => {
    // Right after the address is printed: no page has asked for anything, so the services
    // are still to load (they wait for the page's files, or 300 ms).
    const own = await startServe();
    expect(await own.stop()).toBe(0);
    expect(own.output()).toContain('SIGTERM: stopping terminals and the server');
    // The stop waited for the services, then disposed of them and closed the log.
    expect(await readFile(join(own.dataDir, 'logs/netlab.log'), 'utf8')).toMatch(/"msg":"stopping"/);
  });

  it('listens before it loads anything heavy, then loads the services for the API', async () => {
    // The page is parsed while the server loads zod, pino, dockerode and node-pty, not after.
    const order = join(tmpdir(), `netlab-load-order-${process.pid}.txt`);
    await rm(order, { force: true });
    const own = await startServe({ nodeArgs: ['--require', resolve(__dirname, 'fixtures/load-order/hook.cjs')], env: { NETLAB_LOAD_ORDER_FILE: order } });
    try {
      const atStart = (await readFile(order, 'utf8')).trim().split('\n');
      expect(atStart).toContain('listen');
      expect(atStart.slice(0, atStart.indexOf('listen'))).toEqual(['package ws']);
      const ws = new WebSocket(`${own.origin.replace('http', 'ws')}/api?token=${own.token}`, { origin: own.origin });
      await new Promise((ok) => ws.once('open', ok));
      const list = await call(ws, 'lessons.list', {});
      expect((list.result as { lessons: unknown[] }).lessons.length).toBeGreaterThan(0);
      ws.close();
      const loaded = (await readFile(order, 'utf8')).trim().split('\n');
      expect(loaded).toEqual(expect.arrayContaining(['chunk services', 'package pino', 'package dockerode', 'package node-pty']));
      // Bundled into the chunks (electron.vite.config.ts), never loaded file by file.
      expect(loaded).not.toContain('package zod');
      // Only for ssh:// engines (electron/services/docker/client.ts).
      expect(loaded).not.toContain('package ssh2');
    } finally {
      await own.stop();
      await rm(order, { force: true });
    }
  });

  it('refuses a non-loopback address without --allow-remote', () => {
    const res = spawnSync(process.execPath, [resolve(__dirname, '../../out/main/serve.js'), '--host', '0.0.0.0', '--no-open'], { encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('--allow-remote');
  });
});
