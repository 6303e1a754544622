// No request can end browser mode's server: each input that once did (a bad
// request target before any check, a broken percent-escape in a cookie or a
// path) is answered with a 400 or ignored, and a fuzz run of raw requests over
// TCP (request lines, headers, paths, upgrades, resets) leaves it serving.
// Runs the built server (npm run build first).
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../support/serve';

let serve: ServeHandle;
let port: number;
let host: string;

beforeAll(async () => {
  serve = await startServe();
  port = Number(new URL(serve.origin).port);
  host = new URL(serve.origin).host;
});

afterAll(async () => {
  await serve?.stop();
});

/**
 * How a client leaves: 'close' waits for the server to close after answering (the request is complete
 * and says Connection: close); 'end' half-closes at once, which a Node server answers by closing too,
 * dropping an answer not yet written (its handlers still run); 'reset' sends a TCP reset.
 */
type Leave = 'close' | 'end' | 'reset';

/** Writes raw bytes and resolves with all the server answered once the connection closed; a refused connection rejects. */
function exchange(raw: string, how: Leave = 'close'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let refused: Error | undefined;
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') refused = err;
    });
    socket.on('close', () => (refused ? reject(refused) : resolve(answer)));
    socket.on('connect', () => {
      socket.write(raw, 'latin1');
      if (how === 'reset') socket.resetAndDestroy();
      else if (how === 'end') socket.end();
    });
  });
}

async function stillServing(): Promise<void> {
  expect(serve.process.exitCode).toBeNull();
  expect(serve.process.signalCode).toBeNull();
  const res = await fetch(`${serve.origin}/`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<div id="app">');
}

const statusOf = (answer: string): string => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? '';
const upgradeHeaders = (): string =>
  `Host: ${host}\r\nOrigin: ${serve.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n`;
const get = (target: string, headers = ''): string => `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${headers}Connection: close\r\n\r\n`;

describe('inputs that used to end the server', () => {
  it('an absolute-form target that is no URL, with our Host, before any sign-in: 400', async () => {
    expect(statusOf(await exchange(get('http://[')))).toBe('400');
    expect(statusOf(await exchange(`GET http://[ HTTP/1.1\r\n${upgradeHeaders()}\r\n`))).toBe('400');
    await stillServing();
  });

  it('a percent-escape that does not decode in a path: 400', async () => {
    expect(statusOf(await exchange(get('/%zz')))).toBe('400');
    expect(statusOf(await exchange(get('/assets/%E0%A4%A')))).toBe('400');
    await stillServing();
  });

  it('a cookie that does not decode is no credential and no harm (cookies are read no more)', async () => {
    expect(statusOf(await exchange(get('/', 'Cookie: netlab_token=%zz\r\n')))).toBe('200');
    expect(statusOf(await exchange(`GET /api HTTP/1.1\r\n${upgradeHeaders()}Cookie: netlab_token=%zz\r\n\r\n`))).toBe('401');
    await stillServing();
  });

  it('a client that resets the connection while its upgrade is being refused', async () => {
    for (let i = 0; i < 20; i++) await exchange(`GET /api HTTP/1.1\r\n${upgradeHeaders()}\r\n`, 'reset');
    await stillServing();
  });
});

// What a request is made of, biased towards reaching the code behind the Host check.
const PIECES = ['/', '/api', '/index.html', '/assets/', '/icon.png', '%', '%zz', '%00', '%2f', '%2e%2e', '..', '//', '\\', '?', '#', '&', '=', '[', ']', 'http://[', 'http://', '*', '@', ':', ' ', '\t', 'é', '😀', '%E0%A4%A', 'launch=', 'token='];
const text = fc.string({ unit: 'binary', maxLength: 40 });
const target = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
);
const method = fc.oneof(fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'PRI'), fc.stringMatching(/^[A-Za-z-]{1,8}$/));
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', '', 'http/1.1');

function headerArb(): fc.Arbitrary<[string, string]> {
  const origin = fc.oneof(fc.constant(serve.origin), fc.constantFrom('http://evil.example', 'null', 'http://[', ''), text);
  const protocols = fc.oneof(
    fc.constantFrom('netlab.v1', 'netlab.v1, netlab.auth.', 'netlab.v1, netlab.launch.AAAAAAAAAAAAAAAAAAAA', 'netlab.v1, netlab.v1', ','),
    fc.array(fc.oneof(fc.constantFrom('netlab.v1', 'netlab.auth.', 'netlab.launch.'), text), { maxLength: 4 }).map((p) => p.join(', ')),
  );
  return fc.oneof(
    fc.tuple(fc.constant('Origin'), origin),
    fc.tuple(fc.constant('Cookie'), fc.oneof(fc.constant('netlab_token=%zz'), text.map((t) => `netlab_token=${t}`), text)),
    fc.tuple(fc.constant('Sec-WebSocket-Protocol'), protocols),
    fc.tuple(fc.constant('Upgrade'), fc.oneof(fc.constant('websocket'), text)),
    fc.tuple(fc.constant('Connection'), fc.constantFrom('Upgrade', 'keep-alive', 'close', 'Upgrade, keep-alive')),
    fc.tuple(fc.constant('Sec-WebSocket-Key'), fc.oneof(fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), text)),
    fc.tuple(fc.constant('Sec-WebSocket-Version'), fc.oneof(fc.constant('13'), text)),
    fc.tuple(fc.constant('Content-Length'), fc.oneof(fc.nat({ max: 100 }).map(String), text)),
    fc.tuple(fc.constant('Transfer-Encoding'), fc.constantFrom('chunked', 'gzip, chunked', 'identity')),
    fc.tuple(fc.constant('Host'), fc.oneof(fc.constantFrom('evil.example', '[', '', `localhost:${port}`), text)),
    fc.tuple(fc.stringMatching(/^[!-9;-~]{1,12}$/), text),
  );
}

interface Case {
  raw: string;
  how: Leave;
}

function requestArb(): fc.Arbitrary<Case> {
  const parts = fc.record({ method, target, version, ourHost: fc.boolean(), headers: fc.array(headerArb(), { maxLength: 8 }), body: fc.oneof(fc.constant(''), text) });
  const lines = (p: { method: string; target: string; version: string; ourHost: boolean; headers: [string, string][] }): string[] => [
    `${p.method} ${p.target} ${p.version}`,
    ...(p.ourHost ? [`Host: ${host}`] : []),
    ...p.headers.map(([k, v]) => `${k}: ${v}`),
  ];
  // Anything at all, then a half-close or a reset.
  const loose = fc.record({
    raw: fc.oneof(
      { weight: 9, arbitrary: parts.map((p) => `${lines(p).join('\r\n')}\r\n\r\n${p.body}`) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    ),
    how: fc.oneof({ weight: 4, arbitrary: fc.constant<Leave>('end') }, { weight: 1, arbitrary: fc.constant<Leave>('reset') }),
  });
  // One whole request (no line breaks inside its parts, no body) that asks to be closed: its answer must come.
  const whole = parts.map((p) => {
    const flat = (t: string): string => t.replace(/[\r\n]/g, '');
    const headers = p.headers.filter(([k]) => !/^(content-length|transfer-encoding)$/i.test(k)).map(([k, v]) => [flat(k), flat(v)] as [string, string]);
    const method = p.method === 'CONNECT' ? 'GET' : p.method;
    return { raw: `${lines({ ...p, method, target: flat(p.target), version: flat(p.version), headers }).join('\r\n')}\r\nConnection: close\r\n\r\n`, how: 'close' as Leave };
  });
  return fc.oneof(loose, whole);
}

describe('fuzzed raw requests', () => {
  it('after 5,000 of them the server still answers a normal request', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb(), async ({ raw, how }: Case) => {
        const answer = await exchange(raw, how);
        // A whole request is answered; otherwise whatever came is HTTP, or nothing (a dropped connection).
        if (how === 'close') expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
        else expect(answer === '' || answer.startsWith('HTTP/1.1 ')).toBe(true);
      }),
      { numRuns: 5000 },
    );
    await stillServing();
  }, 600_000);
});
