// Browser mode as a client sees it: signing in (launch codes, the session
// credential), the origin checks, the WebSocket contract, and a clean stop.
// Runs the built server (npm run build first).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseLaunchFragment } from '../../electron/api/launch-link';
import { SERVE_NODE_FLAGS } from '../../electron/server/node-flags';
import { openApiSocket, openRawApiSocket, redeemLaunchCode } from '../support/api-socket';
import { startServe, type ServeHandle } from '../support/serve';

let serve: ServeHandle;

beforeAll(async () => {
  serve = await startServe();
});

afterAll(async () => {
  await serve?.stop();
});

function connect(opts: { credential?: string; origin?: string | null } = {}): Promise<WebSocket> {
  return openApiSocket(serve.origin, opts.credential ?? serve.token, { origin: opts.origin });
}

const codeOf = (url: string): string => parseLaunchFragment(new URL(url).hash).code ?? '';

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

const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('browser mode HTTP', () => {
  it('prints an address whose only secret is a launch code in the fragment', () => {
    const printed = new URL(serve.printedUrl);
    expect(printed.search).toBe('');
    expect(printed.pathname).toBe('/');
    expect(printed.hash).toBe(`#launch=${serve.printedCode}`);
    expect(serve.printedCode).not.toBe(serve.token);
    expect(serve.output()).not.toContain(serve.token);
  });

  it('serves the page and its assets to anyone local, with no credential and no cookie, under a strict CSP', async () => {
    const res = await fetch(`${serve.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    // <style> elements need this load's nonce, which the entry script carries for the page (renderer/src/lib/style-nonce.ts).
    const html = await res.text();
    const nonce = /<script nonce="([^"]+)" type="module"/.exec(html)?.[1];
    expect(nonce).toBeDefined();
    expect(csp['style-src-elem']).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-(inline|eval)/);
    const again = await (await fetch(`${serve.origin}/`)).text();
    expect(/<script nonce="([^"]+)"/.exec(again)?.[1]).not.toBe(nonce);

    const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${serve.origin}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('set-cookie')).toBeNull();
  });

  it('ships the built renderer with no meta policy and no inline script (both transports send the policy as a header)', async () => {
    const html = await readFile(resolve(__dirname, '../../out/renderer/index.html'), 'utf8');
    // A meta policy would be enforced beside the header and cannot name the per-load nonce (electron/api/renderer-page.ts).
    expect(html).not.toMatch(/http-equiv="Content-Security-Policy"/i);
    expect(html).toMatch(/<script type="module"[^>]*\bsrc=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('refuses another origin and a rebinding Host header', async () => {
    expect((await fetch(`${serve.origin}/`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const port = new URL(serve.origin).port;
    const res = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: evil.example:${port}`, `${serve.origin}/`]);
    expect(res.stdout.toString()).toBe('403');
  });

  it('does not serve files outside the renderer', async () => {
    const res = await fetch(`${serve.origin}/..%2f..%2fpackage.json`);
    expect(res.status).toBe(404);
  });
});

describe('browser mode WebSocket sign-in', () => {
  it('refuses a client with no credential, even one that forges Origin and Host (401)', async () => {
    const host = new URL(serve.origin).host;
    await expect(openRawApiSocket(serve.origin, [], { origin: serve.origin, host })).rejects.toThrow('HTTP 401');
    await expect(openRawApiSocket(serve.origin, ['netlab.v1'], { origin: serve.origin, host })).rejects.toThrow('HTTP 401');
    // Not from a query string either, nor from the cookie of old.
    const inQuery = new WebSocket(`${serve.origin.replace('http', 'ws')}/api?token=${serve.token}`, ['netlab.v1'], {
      origin: serve.origin,
      headers: { cookie: `netlab_token=${serve.token}` },
    });
    await expect(new Promise((ok, fail) => {
      inQuery.once('open', ok);
      inQuery.once('unexpected-response', (_q, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    })).rejects.toThrow('HTTP 401');
  });

  it('refuses a wrong credential (401), and another origin or none (403)', async () => {
    await expect(connect({ credential: 'wrongwrongwrongwrong' })).rejects.toThrow('HTTP 401');
    await expect(connect({ credential: serve.token.slice(0, -1) })).rejects.toThrow('HTTP 401');
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: null })).rejects.toThrow('HTTP 403');
  });

  it('a launch code works once: its socket gets the session credential first; a used code is refused', async () => {
    const code = codeOf(await serve.launchUrl());
    expect(await redeemLaunchCode(serve.origin, code)).toBe(serve.token);
    await expect(redeemLaunchCode(serve.origin, code)).rejects.toThrow('HTTP 401');
    // The printed one, which startServe traded already.
    await expect(redeemLaunchCode(serve.origin, serve.printedCode)).rejects.toThrow('HTTP 401');
  });

  it('refuses an expired launch code', async () => {
    // NETLAB_LAUNCH_TTL_MS=0: every code is expired when minted (launch-codes.ts; unit-tested with a clock).
    const own = await startServe({ keepPrintedCode: true, env: { NETLAB_LAUNCH_TTL_MS: '0' } });
    try {
      await expect(redeemLaunchCode(own.origin, own.printedCode)).rejects.toThrow('HTTP 401');
    } finally {
      await own.stop();
    }
  });

  it('a signed-in socket is sent no session frame, and the credential opens the API', async () => {
    const ws = await connect();
    const first = next(ws, () => true);
    const list = await call(ws, 'lessons.list', {});
    expect(await first).toEqual(list);
    ws.close();
  });
});

describe('browser mode WebSocket', () => {
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
    try {
      const ws = await openApiSocket(own.origin, own.token);
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
    } finally {
      await own.stop(); // a no-op once it has exited
    }
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
    const own = await startServe({ nodeArgs: ['--require', resolve(__dirname, '../fixtures/load-order/hook.cjs')], env: { NETLAB_LOAD_ORDER_FILE: order } });
    try {
      const atStart = (await readFile(order, 'utf8')).trim().split('\n');
      expect(atStart).toContain('listen');
      // renderer-page: the page's policy, shared with the Electron window's app:// handler, so a chunk of its own (a few lines).
      expect(atStart.slice(0, atStart.indexOf('listen'))).toEqual(['chunk renderer-page', 'package ws']);
      const ws = await openApiSocket(own.origin, own.token);
      const list = await call(ws, 'lessons.list', {});
      expect((list.result as { lessons: unknown[] }).lessons.length).toBeGreaterThan(0);
      ws.close();
      const loaded = (await readFile(order, 'utf8')).trim().split('\n');
      expect(loaded).toEqual(expect.arrayContaining(['chunk boot', 'package pino', 'package dockerode', 'package node-pty']));
      // Bundled into the chunks (electron.vite.config.ts), never loaded file by file.
      expect(loaded).not.toContain('package zod');
      // Only for ssh:// engines (electron/services/docker/client.ts).
      expect(loaded).not.toContain('package ssh2');
    } finally {
      await own.stop();
      await rm(order, { force: true });
    }
  });

  it('serves loopback addresses only: --host 0.0.0.0 is refused, saying why, and --allow-remote is gone', () => {
    const serveJs = resolve(__dirname, '../../out/main/serve.js');
    const remote = spawnSync(process.execPath, [serveJs, '--host', '0.0.0.0', '--no-open'], { encoding: 'utf8' });
    expect(remote.status).toBe(1);
    expect(remote.stderr).toContain('--host 0.0.0.0 is not a loopback address');
    // (A server that took the flag would keep serving: the kill after a minute only keeps this test from hanging.)
    const flag = spawnSync(process.execPath, [serveJs, '--host', '0.0.0.0', '--allow-remote', '--no-open'], { encoding: 'utf8', timeout: 60_000 });
    expect(flag.status).toBe(1);
    expect(flag.stderr).toContain("Unknown option '--allow-remote'");
  });

  it('runs the host shell --shell names (a path or a name on PATH), and refuses one that cannot run', async () => {
    const serveJs = resolve(__dirname, '../../out/main/serve.js');
    const missing = spawnSync(process.execPath, [serveJs, '--shell', '/no/such/shell', '--no-open'], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('--shell /no/such/shell: There is no /no/such/shell.');
    const own = await startServe({ args: ['--shell', 'fish'] });
    try {
      const ws = await openApiSocket(own.origin, own.token);
      const settings = await call(ws, 'settings.get', {});
      expect((settings.result as { hostShell: unknown }).hostShell).toMatchObject({ current: { path: expect.stringMatching(/\/fish$/), integrated: true }, source: 'command-line' });
      const opened = await call(ws, 'terminal.open', { kind: 'host', cols: 80, rows: 24 });
      const id = (opened.result as { id: string }).id;
      await next(ws, (f) => f.type === 'event' && f.name === 'terminal.data' && (f.payload as { data: string }).data.includes('\x1b]133;A;'));
      const command = next(ws, (f) => f.type === 'event' && f.name === 'terminal.command');
      await call(ws, 'terminal.input', { id, data: 'set -q FISH_VERSION\r' });
      expect((await command).payload).toMatchObject({ terminalId: id, command: 'set -q FISH_VERSION', exitCode: 0 });
      ws.close();
    } finally {
      await own.stop();
    }
  });

  it('prints a fresh address each time Enter is pressed in its terminal', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'netlab-e2e-'));
    const pty = spawnPty(process.execPath, [...SERVE_NODE_FLAGS, resolve(__dirname, '../../out/main/serve.js'), '--port', '0', '--no-open', '--clean-shell', '--data-dir', dataDir], {
      cols: 200,
      rows: 30,
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, HISTFILE: join(dataDir, 'bash_history') } as Record<string, string>,
    });
    let out = '';
    const waiters: (() => void)[] = [];
    pty.onData((d) => {
      out += d;
      for (const w of waiters.splice(0)) w();
    });
    const exited = new Promise<number>((ok) => pty.onExit(({ exitCode }) => ok(exitCode)));
    const urls = (): string[] => [...out.matchAll(/serving at (http:\/\/\S+)/g)].map((m) => m[1]!);
    const until = async (holds: () => boolean): Promise<void> => {
      while (!holds()) await new Promise<void>((ok) => waiters.push(ok));
    };
    try {
      await until(() => out.includes('Press Enter here for a new one'));
      expect(urls()).toHaveLength(1);
      pty.write('\r');
      await until(() => urls().length === 2);
      pty.write('\r');
      await until(() => urls().length === 3);
      const codes = urls().map(codeOf);
      expect(new Set(codes).size).toBe(3);
      const origin = new URL(urls()[0]!).origin;
      for (const url of urls()) expect(new URL(url).origin).toBe(origin);
      // Each one signs a page in, once.
      const credential = await redeemLaunchCode(origin, codes[2]!);
      expect(await redeemLaunchCode(origin, codes[0]!)).toBe(credential);
      await expect(redeemLaunchCode(origin, codes[2]!)).rejects.toThrow('HTTP 401');
      pty.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      try {
        pty.kill('SIGKILL');
      } catch {
        // already gone
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
