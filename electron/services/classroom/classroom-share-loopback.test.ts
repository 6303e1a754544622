// The read-only terminal share over real TLS 1.3 + WebSocket on 127.0.0.1: a hub and learner
// clients in one process. No sleeps: waits are on events; clocks and send timers are injected.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { channelBinding, channelProof } from './channel-proof';
import { ClassroomHub, CLASSROOM_PATH, type HubLimits, type ShareEvent } from './classroom-hub';
import { parseJoinCode } from './join-code';
import { LearnerClient, type LearnerClientOptions } from './learner-client';
import { ManualTimers } from './test-fixtures/manual-timers';
import { until } from './test-fixtures/events';


let dir: string;
let clock: number;
const now = (): number => clock;
const hubs: ClassroomHub[] = [];
const clients: LearnerClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19share-'));
  clock = 1_000_000;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const h of hubs.splice(0)) await h.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startHub(limits: Partial<HubLimits> = {}): Promise<ClassroomHub> {
  const hub = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hub'), className: 'Workshop A', now, limits });
  hubs.push(hub);
  return hub;
}

function learner(hub: ClassroomHub, extra: Partial<LearnerClientOptions> = {}): LearnerClient {
  const code = parseJoinCode(hub.fullCode);
  const c = new LearnerClient({ ...hub.address, fingerprint: code.fingerprint!, secret: code.secret, name: 'Ada', now, random: () => 0.5, ...extra });
  clients.push(c);
  return c;
}

async function joined(hub: ClassroomHub, extra: Partial<LearnerClientOptions> = {}): Promise<{ c: LearnerClient; learnerId: string }> {
  const c = learner(hub, extra);
  c.start();
  const { learnerId } = await until<{ learnerId: string }>(c, 'joined');
  return { c, learnerId };
}

/** Everything the hub passed on for one learner's share, as a viewer would see it. */
function viewer(hub: ClassroomHub, learnerId: string): { events: ShareEvent[]; text: () => string; skipped: () => number } {
  const events: ShareEvent[] = [];
  hub.on('share', (e) => {
    if (e.learnerId === learnerId) events.push(e);
  });
  return {
    events,
    text: () => events.map((e) => (e.kind === 'output' ? e.data : '')).join(''),
    skipped: () => events.reduce((n, e) => n + (e.kind === 'output' ? e.skipped : 0), 0),
  };
}

async function untilText(hub: ClassroomHub, view: ReturnType<typeof viewer>, length: number): Promise<void> {
  while (view.text().length < length) await once(hub, 'share');
}

/** Terminal output with what makes chunking hard: escapes, multi-byte characters, surrogate pairs. */
function terminalOutput(lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) out += `\x1b[32m$\x1b[0m ping -c1 web${i} — 往返 😀 ${'#'.repeat(i % 50)}\r\n`;
  return out;
}

async function rawJoined(hub: ClassroomHub): Promise<{ ws: WebSocket; frames: string[]; closed: Promise<number>; learnerId: string }> {
  const socket: TLSSocket = tlsConnect({ ...hub.address, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  await once(socket, 'secureConnect');
  const binding = channelBinding(socket);
  const ws = new WebSocket(`wss://127.0.0.1:${hub.address.port}${CLASSROOM_PATH}`, { createConnection: () => socket, perMessageDeflate: false });
  const frames: string[] = [];
  ws.on('message', (d) => frames.push(String(d)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await once(ws, 'open');
  const joinedAt = until<{ id: string }>(hub, 'learner-joined');
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Raw', auth: { kind: 'code', proof: channelProof(parseJoinCode(hub.shortCode).secret, 'learner-code', binding) } }));
  return { ws, frames, closed, learnerId: (await joinedAt).id };
}

describe('sharing a terminal', () => {
  it('delivers the output in order and exactly, chunked under the frame limit, to the hub and its backlog', async () => {
    const hub = await startHub();
    const { c, learnerId } = await joined(hub);
    const view = viewer(hub, learnerId);
    const started = until<ShareEvent>(hub, 'share', (e) => e.kind === 'start');
    expect(c.startShare({ label: 'host', cols: 100, rows: 30 })).toBe(true);
    expect(await started).toEqual({ learnerId, kind: 'start', label: 'host', cols: 100, rows: 30 });
    expect(hub.learnerViews()[0]!.sharing).toEqual({ label: 'host', cols: 100, rows: 30 });

    const text = terminalOutput(300);
    // Handed over in odd pieces, as a terminal's batches come.
    for (let i = 0; i < text.length; i += 997) c.shareOutput(text.slice(i, i + 997));
    await untilText(hub, view, text.length);
    expect(view.text()).toBe(text);
    expect(view.skipped()).toBe(0);
    expect(hub.shareBacklog(learnerId)).toMatchObject({ label: 'host', cols: 100, rows: 30, data: text, skipped: 0 });

    const resized = until<ShareEvent>(hub, 'share', (e) => e.kind === 'resize');
    c.resizeShare(120, 40);
    expect(await resized).toMatchObject({ kind: 'resize', cols: 120, rows: 40 });
  });

  it('keeps a stream longer than the budget exact when the hub keeps up, sending as the budget refills', async () => {
    const hub = await startHub();
    const timers = new ManualTimers();
    const { c, learnerId } = await joined(hub, { timers, shareBurstBytes: 16 * 1024, shareBytesPerSecond: 8 * 1024 });
    const view = viewer(hub, learnerId);
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    const text = terminalOutput(600);
    let sentChars = 0;
    while (view.text().length < text.length) {
      if (sentChars < text.length) {
        const piece = text.slice(sentChars, sentChars + 4000);
        sentChars += piece.length;
        c.shareOutput(piece);
      }
      // One second later the budget has refilled: what waited goes out.
      clock += 1000;
      timers.fireAll();
      await once(hub, 'share');
      await new Promise((r) => setImmediate(r));
    }
    expect(view.text()).toBe(text);
    expect(view.skipped()).toBe(0);
  });

  it('gives a late viewer only the recent output', async () => {
    const hub = await startHub({ shareBacklogChars: 4096 });
    const { c, learnerId } = await joined(hub);
    const view = viewer(hub, learnerId);
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    const text = terminalOutput(200);
    c.shareOutput(text);
    await untilText(hub, view, text.length);
    const backlog = hub.shareBacklog(learnerId)!.data;
    expect(backlog.length).toBeGreaterThanOrEqual(4096);
    expect(backlog.length).toBeLessThan(4096 + 2048);
    expect(text.endsWith(backlog)).toBe(true);
  });
});

describe('stopping a share', () => {
  it('stops at once: nothing more is sent, and the hub forgets the share', async () => {
    const hub = await startHub();
    const { c, learnerId } = await joined(hub);
    const view = viewer(hub, learnerId);
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    c.shareOutput('before\r\n');
    await untilText(hub, view, 'before\r\n'.length);
    const stopped = until<ShareEvent>(hub, 'share', (e) => e.kind === 'stop');
    c.stopShare();
    await stopped;
    expect(c.sharing).toBe(false);
    const sent = c.framesSent;
    c.shareOutput('after\r\n');
    c.resizeShare(90, 20);
    expect(c.framesSent).toBe(sent);
    expect(hub.shareBacklog(learnerId)).toBeNull();
    expect(hub.learnerViews()[0]!.sharing).toBeNull();
    // A hand raised afterwards arrives: the connection is fine, and no share output came before it.
    const hand = until(hub, 'learner-updated');
    c.setHand(true);
    await hand;
    expect(view.text()).toBe('before\r\n');
  });

  it('leaving stops the share, and nothing is sent after', async () => {
    const hub = await startHub();
    const { c, learnerId } = await joined(hub);
    const view = viewer(hub, learnerId);
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    c.shareOutput('typed\r\n');
    await untilText(hub, view, 7);
    const stopped = until<ShareEvent>(hub, 'share', (e) => e.kind === 'stop');
    await c.leave();
    await stopped;
    const sent = c.framesSent;
    c.shareOutput('after leaving\r\n');
    expect(c.startShare({ label: 'host', cols: 80, rows: 24 })).toBe(false);
    expect(c.framesSent).toBe(sent);
    expect(hub.shareBacklog(learnerId)).toBeNull();
    expect(view.text()).toBe('typed\r\n');
  });

  it('a lost connection ends the share at the hub; the rejoined client starts it again', async () => {
    const hub = await startHub();
    const timers = new ManualTimers();
    const { c, learnerId } = await joined(hub, { timers });
    const view = viewer(hub, learnerId);
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    c.shareOutput('one\r\n');
    await untilText(hub, view, 5);
    const stopped = until<ShareEvent>(hub, 'share', (e) => e.kind === 'stop');
    const reconnecting = until(c, 'reconnecting');
    // The hub drops the connection (a network blip).
    (hub as unknown as { live: Map<string, { ws: WebSocket }> }).live.get(learnerId)!.ws.terminate();
    await stopped;
    await reconnecting;
    c.shareOutput('two\r\n');
    const restarted = until<ShareEvent>(hub, 'share', (e) => e.kind === 'start');
    timers.fireAll();
    await restarted;
    await untilText(hub, view, 10);
    expect(view.text()).toBe('one\r\ntwo\r\n');
  });
});

describe('limits', () => {
  it('a slow hub or a flood costs the learner only the oldest output, with a skipped count', async () => {
    const hub = await startHub();
    const timers = new ManualTimers();
    const { c, learnerId } = await joined(hub, { timers, shareBurstBytes: 8 * 1024, shareBytesPerSecond: 8 * 1024, shareOutboxChars: 4096 });
    const view = viewer(hub, learnerId);
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    const flood = 'y\r\n'.repeat(100_000);
    c.shareOutput(flood);
    while (view.text().length + view.skipped() < flood.length) {
      clock += 1000;
      timers.fireAll();
      await once(hub, 'share');
      await new Promise((r) => setImmediate(r));
    }
    // ASCII: bytes and characters agree. Everything is either shown or counted as skipped, and the newest output arrived.
    expect(view.text().length + view.skipped()).toBe(flood.length);
    expect(view.text().length).toBeLessThanOrEqual(8 * 1024 + 4096);
    expect(flood.endsWith(view.text().slice(-4096))).toBe(true);
    expect(c.state).toBe('joined');
  });

  it('the hub refuses a share flood with a budget of its own, and progress still gets through', async () => {
    const hub = await startHub({ shareBurstBytes: 8 * 1024, shareBytesPerSecond: 1024, maxShareDropped: 5 });
    const raw = await rawJoined(hub);
    const view = viewer(hub, raw.learnerId);
    let dropped = 0;
    hub.on('dropped', () => dropped++);
    raw.ws.send(JSON.stringify({ type: 'share-start', label: 'host', cols: 80, rows: 24 }));
    const chunk = 'x'.repeat(2000);
    for (let seq = 0; seq < 8; seq++) raw.ws.send(JSON.stringify({ type: 'share-output', seq, data: chunk }));
    // The share spent its own budget, not the message bucket: a hand still counts.
    const hand = until<{ handRaised: boolean }>(hub, 'learner-updated', (l) => l.handRaised);
    raw.ws.send(JSON.stringify({ type: 'hand', raised: true }));
    await hand;
    expect(view.text()).toBe(chunk.repeat(4));
    expect(dropped).toBe(4);
    // More of it: over the tolerated drops, the connection is closed.
    for (let seq = 8; seq < 12; seq++) raw.ws.send(JSON.stringify({ type: 'share-output', seq, data: chunk }));
    expect(await raw.closed).toBe(1008);
    expect(raw.frames.at(-1)).toBe('{"type":"refused","reason":"rate-limited"}');
    expect(hub.shareBacklog(raw.learnerId)).toBeNull();
  });

  it('refuses output without a share, out of order, or with extra fields', async () => {
    const hub = await startHub();
    for (const frames of [
      [{ type: 'share-output', seq: 0, data: 'x' }],
      [{ type: 'share-start', label: 'host', cols: 80, rows: 24 }, { type: 'share-output', seq: 1, data: 'x' }],
      [{ type: 'share-start', label: 'host', cols: 80, rows: 24 }, { type: 'share-output', seq: 0, data: 'x' }, { type: 'share-output', seq: 0, data: 'x' }],
      [{ type: 'share-start', label: 'host', cols: 80, rows: 24 }, { type: 'share-output', seq: 0, data: 'x', input: 'ls\r' }],
      [{ type: 'share-resize', cols: 80, rows: 24 }],
    ]) {
      const raw = await rawJoined(hub);
      for (const f of frames) raw.ws.send(JSON.stringify(f));
      expect(await raw.closed).toBe(1008);
      expect(raw.frames.at(-1)).toBe('{"type":"refused","reason":"protocol"}');
    }
  });

  it('the learner closes the connection when a hub sends anything like terminal input', async () => {
    const hub = await startHub();
    const timers = new ManualTimers();
    const { c, learnerId } = await joined(hub, { timers });
    c.startShare({ label: 'host', cols: 80, rows: 24 });
    const typed: string[] = [];
    // What the app would type into the terminal, if anything ever asked: nothing may.
    c.on('broadcast', (t) => typed.push(t));
    const reconnecting = until(c, 'reconnecting');
    // A hostile hub: the real one's connection, used to send what no hub may.
    (hub as unknown as { live: Map<string, { ws: WebSocket }> }).live.get(learnerId)!.ws.send(JSON.stringify({ type: 'share-input', data: 'rm -rf ~\r' }));
    await reconnecting;
    expect(typed).toEqual([]);
    expect(c.state).toBe('reconnecting');
  });
});
