// Real TLS 1.3 + WebSocket over 127.0.0.1: a hub and learner clients in one process.
// No engine, no sleeps: every wait is on an event; clocks and reconnect timers are injected.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer as createTlsServer, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { channelBinding, channelProof } from './channel-proof';
import { ClassroomHub, CLASSROOM_PATH } from './classroom-hub';
import { generateHubIdentity } from './hub-certificate';
import { fingerprintForHumans, parseJoinCode } from './join-code';
import { LearnerClient, probeHubFingerprint, type LearnerClientOptions, type Timers } from './learner-client';
import { LearnerClassStore } from './learner-store';
import { MAX_MESSAGE_BYTES, type ProgressSnapshot } from './protocol';
import { ManualTimers } from './test-fixtures/manual-timers';
import { until } from './test-fixtures/events';

const INSTRUCTOR_COURSE = resolve(__dirname, '../../../test/fixtures/courses/instructor-course');

function progress(status: 'pending' | 'passed' | 'failed', reason?: string): ProgressSnapshot {
  return {
    lessonId: 'bridge-basics',
    stepId: 'step-2',
    checkpoints: [{ id: 'ping-web', status, ...(reason ? { reason } : {}), failedAttempts: status === 'failed' ? 1 : 0 }],
    hintsRevealed: ['hint-1'],
    solutionsUsed: [],
    secondsOnStep: 42,
    coachHint: 'Both containers must be on the same user-defined network.',
  };
}


let dir: string;
let clock: number;
const now = (): number => clock;
const hubs: ClassroomHub[] = [];
const clients: LearnerClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19classroom-'));
  clock = 1_000_000;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const h of hubs.splice(0)) await h.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startHub(sub = 'hub', port = 0, timers?: Timers): Promise<ClassroomHub> {
  const hub = await ClassroomHub.start({ host: '127.0.0.1', port, dataDir: join(dir, sub), className: 'Workshop A', now, ...(timers ? { timers } : {}) });
  hubs.push(hub);
  return hub;
}

function learner(hub: ClassroomHub, extra: Partial<LearnerClientOptions> = {}): LearnerClient {
  const code = parseJoinCode(hub.fullCode);
  const c = new LearnerClient({ ...hub.address, fingerprint: code.fingerprint!, secret: code.secret, name: 'Ada', now, random: () => 0.5, ...extra });
  clients.push(c);
  return c;
}

/** A raw, pinned WebSocket to the hub, for sending what a well-behaved client never would. */
async function rawSocket(hub: ClassroomHub): Promise<{ ws: WebSocket; binding: Buffer; frames: string[]; closed: Promise<number> }> {
  const socket: TLSSocket = tlsConnect({ ...hub.address, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  await once(socket, 'secureConnect');
  const binding = channelBinding(socket);
  const ws = new WebSocket(`wss://127.0.0.1:${hub.address.port}${CLASSROOM_PATH}`, { createConnection: () => socket, perMessageDeflate: false });
  const frames: string[] = [];
  ws.on('message', (d) => frames.push(String(d)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await once(ws, 'open');
  return { ws, binding, frames, closed };
}

async function rawJoined(hub: ClassroomHub): Promise<Awaited<ReturnType<typeof rawSocket>>> {
  const raw = await rawSocket(hub);
  const secret = parseJoinCode(hub.shortCode).secret;
  raw.ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Raw', auth: { kind: 'code', proof: channelProof(secret, 'learner-code', raw.binding) } }));
  await until(hub, 'learner-joined');
  return raw;
}

describe('joining', () => {
  it('joins with the right code, and progress reaches the class record', async () => {
    const hub = await startHub();
    hub.setLesson({ lessonId: 'bridge-basics', title: 'Bridges' });
    const c = learner(hub);
    const creds = until(c, 'credentials');
    const joinedAtHub = until(hub, 'learner-joined');
    c.start();
    const joined = await until<{ learnerId: string; currentLesson: unknown }>(c, 'joined');
    expect(joined.currentLesson).toEqual({ lessonId: 'bridge-basics', title: 'Bridges' });
    expect((await creds)).toMatchObject({ learnerId: joined.learnerId });
    expect((await joinedAtHub)).toMatchObject({ id: joined.learnerId, name: 'Ada', connected: true });

    const updated = until<{ checkpoints: Record<string, { status: string; reason: string | null }> }>(hub, 'learner-updated', (l) => l.checkpoints['ping-web']?.status === 'failed');
    c.updateProgress(progress('failed', 'web is not reachable from client'));
    expect((await updated).checkpoints['ping-web']).toMatchObject({ status: 'failed', reason: 'web is not reachable from client' });
    expect(hub.summary('bridge-basics')).toEqual([{ checkpointId: 'ping-web', passed: 0, failed: 1, reporting: 1, commonFailure: { reason: 'web is not reachable from client', count: 1 } }]);
    // Views and reports never carry a learner's token key.
    expect(hub.classRecord().learners.map((l) => l.tokenKey)).toEqual(['']);
    expect(JSON.stringify(hub.learnerViews())).not.toContain('tokenKey');

    // Stuck detection runs on the hub's injected clock: no progress for the policy's 5 minutes.
    expect(hub.learnerViews()[0]!.stuck.noProgress).toBe(false);
    clock += 5 * 60_000;
    expect(hub.learnerViews()[0]!.stuck).toMatchObject({ noProgress: true, stuck: true });
    // The instructor allows ten minutes: not stuck yet, then stuck at exactly ten.
    hub.setStuckPolicy({ noProgressMs: 10 * 60_000, repeatedFailures: 3 });
    expect(hub.learnerViews()[0]!.stuck.noProgress).toBe(false);
    clock += 5 * 60_000;
    expect(hub.learnerViews()[0]!.stuck.noProgress).toBe(true);
    expect(() => hub.setStuckPolicy({ noProgressMs: 0, repeatedFailures: 3 })).toThrow(/positive number of minutes/);

    const hand = until<{ handRaised: boolean }>(hub, 'learner-updated', (l) => l.handRaised);
    c.setHand(true);
    expect((await hand).handRaised).toBe(true);

    const prompt = until(c, 'lesson-prompt');
    hub.setLesson({ lessonId: 'dns', title: 'Names' });
    expect(await prompt).toEqual({ lessonId: 'dns', title: 'Names' });
    const text = until(c, 'broadcast');
    hub.broadcast('Five more minutes');
    expect(await text).toBe('Five more minutes');
    const offer = until(c, 'content-offer');
    const offered = await hub.offerLessonFolder(INSTRUCTOR_COURSE);
    expect(await offer).toEqual(offered);
    expect(offered).toMatchObject({ kind: 'lesson-folder', title: 'instructor-course', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a wrong code, and the refused client receives no class data', async () => {
    const hub = await startHub();
    hub.setLesson({ lessonId: 'bridge-basics', title: 'Bridges' });
    const good = parseJoinCode(hub.fullCode);
    const wrongSecret = good.secret.slice(0, 9) + (good.secret.endsWith('0') ? '1' : '0');
    const c = learner(hub, { secret: wrongSecret });
    const refusedAtHub = until<{ reason: string }>(hub, 'refused');
    c.start();
    expect(await until(c, 'refused')).toBe('bad-code');
    expect((await refusedAtHub).reason).toBe('bad-code');
    expect(c.state).toBe('refused');
    expect(hub.learnerViews()).toEqual([]);

    // The same at the wire: one refusal frame, nothing else (no class name, no lesson).
    const raw = await rawSocket(hub);
    // The instructor speaks while Eve is connected but not joined: none of it reaches her.
    hub.broadcast('Welcome, everyone');
    await hub.offerLessonFolder(INSTRUCTOR_COURSE);
    raw.ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Eve', auth: { kind: 'code', proof: channelProof(wrongSecret, 'learner-code', raw.binding) } }));
    expect(await raw.closed).toBe(1008);
    expect(raw.frames).toEqual(['{"type":"refused","reason":"bad-code"}']);
  });

  it('refuses a proof made for another TLS connection (a relayed or replayed join)', async () => {
    const hub = await startHub();
    const first = await rawSocket(hub);
    const second = await rawSocket(hub);
    const secret = parseJoinCode(hub.shortCode).secret;
    second.ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Mallory', auth: { kind: 'code', proof: channelProof(secret, 'learner-code', first.binding) } }));
    expect(await second.closed).toBe(1008);
    expect(second.frames).toEqual(['{"type":"refused","reason":"bad-code"}']);
    first.ws.close();
  });

  it('locks out an address after repeated wrong codes, even before the right one', async () => {
    const hub = await startHub();
    for (let i = 0; i < 5; i++) {
      const raw = await rawSocket(hub);
      raw.ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Eve', auth: { kind: 'code', proof: 'A'.repeat(43) } }));
      await raw.closed;
    }
    const c = learner(hub);
    c.start();
    expect(await until(c, 'refused')).toBe('too-many-attempts');
    clock += 10 * 60_000;
    const again = learner(hub);
    again.start();
    await until(again, 'joined');
  });

  it('detects an impostor hub at the class address and sends it nothing', async () => {
    const hub = await startHub();
    const pin = parseJoinCode(hub.fullCode).fingerprint!;
    // Another hub on the same network: its own certificate, a different port.
    const identity = await generateHubIdentity();
    let appBytes = 0;
    const impostor = createTlsServer({ cert: identity.certPem, key: identity.keyPem, minVersion: 'TLSv1.3' }, (s) => {
      s.on('data', (d: Buffer) => (appBytes += d.length));
      s.on('error', () => undefined);
    });
    // The TCP connection's end: by then any application data the learner sent would have been read.
    const socketClosed = new Promise<void>((resolve) => impostor.once('connection', (s) => s.once('close', () => resolve())));
    impostor.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as AddressInfo).port;
    try {
      const c = learner(hub, { port });
      c.start();
      expect(await until(c, 'refused')).toBe('wrong-hub');
      await socketClosed;
      expect(appBytes).toBe(0);
      expect(c.framesSent).toBe(0);
      expect(c.state).toBe('refused');
      // A learner who typed only the short code compares fingerprints: the impostor's differs.
      const seen = await probeHubFingerprint({ host: '127.0.0.1', port });
      expect(fingerprintForHumans(seen)).not.toBe(hub.fingerprintText);
      expect(fingerprintForHumans(await probeHubFingerprint(hub.address))).toBe(hub.fingerprintText);
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
    expect(pin.equals(hub.fingerprint)).toBe(true);
  });
});

describe('a class of three', () => {
  it('three learners, each with its own data dir, join, report, and rejoin from their saved class', async () => {
    const hub = await startHub();
    const code = parseJoinCode(hub.fullCode);
    const names = ['Ada', 'Grace', 'Linus'];
    const stores = names.map((n) => new LearnerClassStore(join(dir, `learner-${n}`, 'classroom.json')));
    const saves: Promise<void>[] = [];
    const first = names.map((name, i) => {
      const c = learner(hub, { name });
      c.on('credentials', (cr) => saves.push(stores[i]!.save(cr ? { ...hub.address, fingerprint: code.fingerprint!, name, ...cr } : null)));
      c.start();
      return c;
    });
    await Promise.all(first.map((c) => until(c, 'joined')));
    let passed = 0;
    const allPassed = new Promise<void>((resolve) =>
      hub.on('learner-updated', (l) => l.checkpoints['ping-web']?.status === 'passed' && ++passed === 3 && resolve()),
    );
    first.forEach((c) => c.updateProgress(progress('passed')));
    await allPassed;
    expect(hub.summary('bridge-basics')).toMatchObject([{ checkpointId: 'ping-web', passed: 3, reporting: 3 }]);
    expect(hub.reportCsv('bridge-basics').split('\r\n').slice(1, 4).map((r) => r.split(',')[0]).sort()).toEqual(names);

    // Every app quits and starts again: each rejoins from its own file as the same learner.
    const ids = hub.learnerViews().map((l) => l.id);
    for (const c of first) c.close();
    await Promise.all(saves);
    const again = await Promise.all(
      stores.map(async (store) => {
        const saved = (await store.load()).joined!;
        const c = learner(hub, { host: saved.host, port: saved.port, fingerprint: saved.fingerprint, name: saved.name, secret: undefined, credentials: { learnerId: saved.learnerId, token: saved.token } });
        c.start();
        return (await until<{ learnerId: string }>(c, 'joined')).learnerId;
      }),
    );
    expect(again.sort()).toEqual([...ids].sort());
    expect(hub.learnerViews()).toHaveLength(3);
  });
});

describe('limits', () => {
  it('closes connections beyond the pending limit, and the class still takes a learner', async () => {
    const hub = await ClassroomHub.start({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hub'), now, limits: { maxPending: 2 } });
    hubs.push(hub);
    const a = await rawSocket(hub);
    const b = await rawSocket(hub);
    const c = await rawSocket(hub);
    expect(await c.closed).toBe(1013);
    // Once one of them joins, it no longer counts as pending: room for another.
    const secret = parseJoinCode(hub.shortCode).secret;
    a.ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'Raw', auth: { kind: 'code', proof: channelProof(secret, 'learner-code', a.binding) } }));
    await until(hub, 'learner-joined');
    const ada = learner(hub);
    ada.start();
    await until(ada, 'joined');
    a.ws.close();
    b.ws.close();
  });

  it('closes a connection that never says hello', async () => {
    const timers = new ManualTimers();
    const hub = await startHub('hub', 0, timers);
    const raw = await rawSocket(hub);
    expect(timers.pending.size).toBe(1);
    timers.fireAll();
    expect(await raw.closed).toBe(1008);
    expect(raw.frames).toEqual(['{"type":"refused","reason":"protocol"}']);
  });

  it('closes a connection that sends a frame over the size limit', async () => {
    const hub = await startHub();
    const raw = await rawJoined(hub);
    raw.ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await raw.closed).toBe(1009);
  });

  it('refuses a malformed message', async () => {
    const hub = await startHub();
    const raw = await rawJoined(hub);
    raw.ws.send('{"type":"progress","lessonId":');
    expect(await raw.closed).toBe(1008);
    expect(raw.frames.at(-1)).toBe('{"type":"refused","reason":"protocol"}');
  });

  it('refuses terminal contents: the schema has no place for them', async () => {
    const hub = await startHub();
    const c = learner(hub);
    c.start();
    await until(c, 'joined');
    const withTerminal = { ...progress('passed'), terminal: 'root@web:/# cat /etc/shadow' } as unknown as ProgressSnapshot;
    expect(() => c.updateProgress(withTerminal)).toThrow(/terminal|unrecognized/i);

    const raw = await rawJoined(hub);
    raw.ws.send(JSON.stringify({ type: 'progress', ...progress('passed'), terminal: 'ls -la' }));
    expect(await raw.closed).toBe(1008);
    expect(hub.learnerViews().every((l) => Object.keys(l.checkpoints).length === 0)).toBe(true);
  });

  it('drops a flood beyond the rate, then closes the flooding connection', async () => {
    const hub = await startHub();
    const raw = await rawJoined(hub);
    let updates = 0;
    let dropped = 0;
    hub.on('learner-updated', () => updates++);
    hub.on('dropped', () => dropped++);
    // The clock stands still, so no token comes back during the flood.
    for (let i = 0; i < 60; i++) raw.ws.send(JSON.stringify({ type: 'hand', raised: i % 2 === 0 }));
    expect(await raw.closed).toBe(1008);
    expect(raw.frames.at(-1)).toBe('{"type":"refused","reason":"rate-limited"}');
    expect(updates).toBe(19); // a burst of 20, one of them spent on hello
    expect(dropped).toBe(21);
  });
});

describe('leaving', () => {
  it('sends nothing after leave, and the left token can never rejoin', async () => {
    const hub = await startHub();
    const c = learner(hub);
    let creds: { learnerId: string; token: string } | null = null;
    c.on('credentials', (v) => (creds = v ?? creds));
    c.start();
    const { learnerId } = await until<{ learnerId: string }>(c, 'joined');
    const saved = creds!;
    const arrived = until(hub, 'learner-updated');
    c.updateProgress(progress('passed'));
    await arrived;

    const left = until<{ id: string; left: boolean }>(hub, 'learner-left');
    await c.leave();
    expect(await left).toMatchObject({ id: learnerId, left: true });
    const sentBefore = c.framesSent;
    expect(c.updateProgress(progress('failed', 'changed after leaving'))).toBe(false);
    expect(c.setHand(true)).toBe(false);
    expect(c.framesSent).toBe(sentBefore);
    expect(c.state).toBe('left');

    // Another learner's message goes through the hub: the one who left changed nothing.
    const other = learner(hub, { name: 'Grace' });
    other.start();
    await until(other, 'joined');
    const otherUpdate = until(hub, 'learner-updated');
    other.setHand(true);
    await otherUpdate;
    const ada = hub.learnerViews().find((l) => l.id === learnerId)!;
    expect(ada.checkpoints['ping-web']!.status).toBe('passed');
    expect(ada.handRaised).toBe(false);

    const replay = learner(hub, { secret: undefined, credentials: saved });
    replay.start();
    expect(await until(replay, 'refused')).toBe('bad-token');
  });
});

describe('restarts', () => {
  it('a restarted hub has the same code and takes its learners back', async () => {
    const hub = await startHub('hub');
    const timers = new ManualTimers();
    const c = learner(hub, { timers });
    c.start();
    const { learnerId } = await until<{ learnerId: string }>(c, 'joined');
    const arrived = until(hub, 'learner-updated');
    c.updateProgress(progress('failed', 'no route'));
    await arrived;
    await hub.flush();
    const { shortCode, fullCode } = hub;
    const port = hub.address.port;

    const retrying = until<{ attempt: number; delayMs: number }>(c, 'reconnecting');
    await hub.stop();
    hubs.splice(hubs.indexOf(hub), 1);
    expect(await retrying).toEqual({ attempt: 1, delayMs: 375 });

    // While the hub is down the learner keeps working alone; the latest state catches up later.
    c.updateProgress(progress('passed'));
    const again = await startHub('hub', port);
    expect(again.shortCode).toBe(shortCode);
    expect(again.fullCode).toBe(fullCode);
    expect(again.learnerViews()).toMatchObject([{ id: learnerId, connected: false, checkpoints: { 'ping-web': { status: 'failed' } } }]);

    const resynced = until<{ id: string; checkpoints: Record<string, { status: string }> }>(again, 'learner-updated', (l) => l.checkpoints['ping-web']?.status === 'passed');
    timers.fireAll();
    expect((await until<{ learnerId: string }>(c, 'joined')).learnerId).toBe(learnerId);
    expect((await resynced).id).toBe(learnerId);
    expect(again.learnerViews()).toHaveLength(1);
  });

  it('backs off further with each failed attempt while the hub is away', async () => {
    const hub = await startHub();
    const timers = new ManualTimers();
    const c = learner(hub, { timers });
    c.start();
    await until(c, 'joined');
    const first = until<{ attempt: number; delayMs: number }>(c, 'reconnecting');
    await hub.stop();
    hubs.splice(0);
    const delays = [(await first).delayMs];
    for (let i = 0; i < 3; i++) {
      const next = until<{ attempt: number; delayMs: number }>(c, 'reconnecting');
      timers.fireAll();
      delays.push((await next).delayMs);
    }
    expect(delays).toEqual([375, 750, 1500, 3000]);
  });

  it('a restarted learner rejoins with its token as the same learner and resyncs', async () => {
    const hub = await startHub();
    const c = learner(hub);
    let creds: { learnerId: string; token: string } | null = null;
    c.on('credentials', (v) => (creds = v));
    c.start();
    const { learnerId } = await until<{ learnerId: string }>(c, 'joined');
    const disconnected = until(hub, 'learner-disconnected');
    c.close(); // the app quits without leaving
    await disconnected;

    const restarted = learner(hub, { secret: undefined, credentials: creds! });
    let newCreds = false;
    restarted.on('credentials', () => (newCreds = true));
    const resynced = until<{ id: string; handRaised: boolean }>(hub, 'learner-updated', (l) => l.handRaised);
    restarted.setHand(true);
    restarted.updateProgress(progress('passed'));
    restarted.start();
    expect((await until<{ learnerId: string }>(restarted, 'joined')).learnerId).toBe(learnerId);
    expect((await resynced).id).toBe(learnerId);
    expect(newCreds).toBe(false);
    expect(hub.learnerViews()).toHaveLength(1);
    expect(hub.learnerViews()[0]!.connected).toBe(true);
  });
});
