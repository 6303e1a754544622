// The learner client against a hand-made hub that misbehaves: it must accept only the few
// messages a hub may send, and keep its own outgoing rate. Real TLS + WebSocket on 127.0.0.1.
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { channelBinding, channelProof } from './channel-proof';
import { certificateFingerprint, generateHubIdentity, type HubIdentity } from './hub-certificate';
import { LearnerClient, type Timers } from './learner-client';
import { LearnerMessage, MAX_MESSAGE_BYTES, type ProgressSnapshot } from './protocol';
import { ManualTimers } from './test-fixtures/manual-timers';

const SECRET = 'K7QFM2XD9A';
let identity: HubIdentity;
beforeAll(async () => {
  identity = await generateHubIdentity();
});


interface FakeHub {
  port: number;
  received: unknown[];
  /** Resolves with the hub side of the next authenticated connection. */
  nextJoin: () => Promise<WebSocket>;
  close: () => Promise<void>;
}

/** A hub that answers hello correctly (it knows the code) and then does whatever the test says. */
async function fakeHub(): Promise<FakeHub> {
  const server: Server = createServer({ cert: identity.certPem, key: identity.keyPem, minVersion: 'TLSv1.3' });
  const wss = new WebSocketServer({ server, path: '/classroom', perMessageDeflate: false });
  const received: unknown[] = [];
  const joins: WebSocket[] = [];
  const waiters: ((ws: WebSocket) => void)[] = [];
  wss.on('connection', (ws, req) => {
    const binding = channelBinding(req.socket as TLSSocket);
    ws.on('message', (d) => {
      const msg = LearnerMessage.parse(JSON.parse(String(d)));
      received.push(msg);
      if (msg.type === 'hello') {
        ws.send(JSON.stringify({ type: 'welcome', learnerId: 'l-1', token: 'T'.repeat(43), hubProof: channelProof(SECRET, 'hub-code', binding), className: 'Fake', currentLesson: null }));
        const w = waiters.shift();
        if (w) w(ws);
        else joins.push(ws);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    nextJoin: () => (joins.length ? Promise.resolve(joins.shift()!) : new Promise((r) => waiters.push(r))),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const snapshot = (seconds: number): ProgressSnapshot => ({ lessonId: 'bridge', stepId: 's1', checkpoints: [], hintsRevealed: [], solutionsUsed: [], secondsOnStep: seconds, coachHint: null });

let hub: FakeHub | null = null;
let client: LearnerClient | null = null;
afterEach(async () => {
  client?.close();
  await hub?.close();
  hub = null;
  client = null;
});

function join(timers: Timers, extra: { now?: () => number; sendBurst?: number; sendPerSecond?: number } = {}): LearnerClient {
  client = new LearnerClient({ host: '127.0.0.1', port: hub!.port, fingerprint: certificateFingerprint(identity.certPem), secret: SECRET, name: 'Ada', timers, random: () => 0.5, ...extra });
  client.start();
  return client;
}

describe('LearnerClient options', () => {
  it('refuses a name the protocol would refuse, before connecting', () => {
    const base = { host: '127.0.0.1', port: 1, fingerprint: Buffer.alloc(32), secret: SECRET };
    expect(() => new LearnerClient({ ...base, name: '' })).toThrow(/name or nickname/);
    expect(() => new LearnerClient({ ...base, name: 'x'.repeat(41) })).toThrow(/name or nickname/);
    expect(() => new LearnerClient({ ...base, name: 'Ada\u001b[2J' })).toThrow(/name or nickname/);
    expect(() => new LearnerClient({ ...base, name: 'x'.repeat(40) })).not.toThrow();
    expect(() => new LearnerClient({ ...base, name: 'Ada', secret: undefined })).toThrow(/join code/);
    expect(() => new LearnerClient({ ...base, name: 'Ada', fingerprint: Buffer.alloc(20) })).toThrow(/SHA-256/);
  });
});

describe('LearnerClient against a misbehaving hub', () => {
  it('closes on a message a hub may not send, and acts on nothing in it', async () => {
    hub = await fakeHub();
    const timers = new ManualTimers();
    const c = join(timers);
    const events: string[] = [];
    for (const e of ['lesson-prompt', 'broadcast', 'content-offer'] as const) c.on(e, () => events.push(e));
    const ws = await hub.nextJoin();
    await once(c, 'joined');
    const reconnecting = once(c, 'reconnecting');
    ws.send(JSON.stringify({ type: 'run', command: 'docker run --privileged alpine' }));
    await reconnecting;
    expect(events).toEqual([]);
    expect(c.state).toBe('reconnecting');
  });

  it('closes on a frame over the size limit', async () => {
    hub = await fakeHub();
    const c = join(new ManualTimers());
    const broadcasts: string[] = [];
    c.on('broadcast', (t) => broadcasts.push(t));
    const ws = await hub.nextJoin();
    await once(c, 'joined');
    const reconnecting = once(c, 'reconnecting');
    const closed = once(ws, 'close');
    ws.send(JSON.stringify({ type: 'broadcast', text: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    await reconnecting;
    // 1009: the client's WebSocket refused the frame by size, before any parsing.
    expect((await closed)[0]).toBe(1009);
    expect(broadcasts).toEqual([]);
  });

  it('refuses a lesson prompt that tries to force a jump', async () => {
    hub = await fakeHub();
    const c = join(new ManualTimers());
    const prompts: unknown[] = [];
    c.on('lesson-prompt', (l) => prompts.push(l));
    const ws = await hub.nextJoin();
    await once(c, 'joined');
    const reconnecting = once(c, 'reconnecting');
    ws.send(JSON.stringify({ type: 'set-lesson', lesson: { lessonId: 'dns', title: 'DNS' }, force: true }));
    await reconnecting;
    expect(prompts).toEqual([]);
  });

  it('sends within its own rate and only the latest state once the rate allows', async () => {
    hub = await fakeHub();
    let t = 0;
    const timers = new ManualTimers();
    const c = join(timers, { now: () => t, sendBurst: 2, sendPerSecond: 1 });
    const ws = await hub.nextJoin();
    await once(c, 'joined');
    const arrivals: number[] = [];
    ws.on('message', (d) => arrivals.push((JSON.parse(String(d)) as { secondsOnStep: number }).secondsOnStep));
    for (let s = 1; s <= 10; s++) c.updateProgress(snapshot(s));
    // hello, then a burst of two updates; the rest waits for the timer.
    expect(c.framesSent).toBe(3);
    expect([...timers.pending.values()].map((p) => p.ms)).toEqual([1000]);
    t += 1000;
    const arrived = new Promise<void>((r) => ws.on('message', () => arrivals.length === 3 && r()));
    timers.fireAll();
    await arrived;
    expect(arrivals).toEqual([1, 2, 10]);
    expect(c.framesSent).toBe(4);
  });

  it('a wrong hub proof in the welcome stops the client before it sends progress', async () => {
    hub = await fakeHub();
    client = new LearnerClient({ host: '127.0.0.1', port: hub.port, fingerprint: certificateFingerprint(identity.certPem), secret: 'AAAAABBBBB', name: 'Ada', timers: new ManualTimers() });
    client.updateProgress(snapshot(5));
    client.start();
    expect((await once(client, 'refused'))[0]).toBe('wrong-hub');
    expect(client.framesSent).toBe(1); // the hello only
    expect(hub.received.map((m) => (m as { type: string }).type)).toEqual(['hello']);
  });
});
