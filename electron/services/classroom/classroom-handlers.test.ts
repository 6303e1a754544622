// The classroom's contract handlers with a real hub and a real learner client over 127.0.0.1:
// two ClassroomService instances (the instructor's app and a learner's), each with its own data
// dir. Every wait is on an event the services push; the clock is injected.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassDashboard, ClassLearnerState, Events } from '../../api/contract';
import type { ClassDashboardUpdate } from '../../api/dashboard-update';
import type { CheckpointStatus, LabSnapshot, TerminalInfo } from '../../api/types';
import { ClassroomService, createClassroomHandlers, type LessonLookup } from './classroom-handlers';
import { parseHostPort } from './hub-address';
import { isPlainQrSvg, joinPayload, joinQrSvg } from './join-qr';
import { WaitingSink } from './test-fixtures/events';


const lessons: LessonLookup = (id) =>
  id === 'engine-kinds'
    ? {
        title: { en: 'Engine kinds', 'zh-CN': '引擎种类' },
        checkpoints: [
          { id: 'listed', title: { en: 'Networks listed', 'zh-CN': '列出网络' } },
          { id: 'inspected', title: { en: 'Bridge inspected', 'zh-CN': '检查网桥' } },
        ],
      }
    : undefined;

const checkpoints = (listed: CheckpointStatus['status'], reason?: string): CheckpointStatus[] => [
  { id: 'listed', status: listed, ...(reason ? { reason: { en: reason, 'zh-CN': reason } } : {}) } as CheckpointStatus,
  { id: 'inspected', status: 'pending' } as CheckpointStatus,
];

let dir: string;
let clock: number;
const services: ClassroomService[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19classui-'));
  clock = 5_000_000;
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  await rm(dir, { recursive: true, force: true });
});

function service(name: string): { classroom: ClassroomService; sink: WaitingSink; handlers: ReturnType<typeof createClassroomHandlers> } {
  const sink = new WaitingSink();
  const classroom = new ClassroomService({ dataDir: join(dir, name), sink, lessons, now: () => clock, interfaces: {}, announce: false });
  services.push(classroom);
  return { classroom, sink, handlers: createClassroomHandlers(classroom) };
}

/** What the app does when the learner opens the lesson: lab.open, then a checkpoint change. */
function openLesson(classroom: ClassroomService): void {
  classroom.onApiCall('lab.open', { lessonId: 'engine-kinds' }, { progress: { stepId: 'first' }, checkpoints: checkpoints('pending') } as unknown as LabSnapshot);
}

describe('hosting', () => {
  it('needs HOST:PORT and says who can reach the class', async () => {
    const { handlers } = service('teacher');
    await expect(handlers['classroom.host']({ address: 'localhost' })).rejects.toThrow(/HOST:PORT/);
    const dash = await handlers['classroom.host']({ address: '127.0.0.1:0' });
    expect(dash.hosting).toBe(true);
    expect(dash.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(dash.address).not.toBe('127.0.0.1:0');
    expect(dash.reach).toMatch(/this computer only/);
    expect(dash.shortCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(dash.fullCode?.startsWith(`${dash.shortCode}.`)).toBe(true);
    // The QR code carries this address and the full code, and nothing but paths.
    expect(dash.qrSvg).toBe(await joinQrSvg(joinPayload(parseHostPort(dash.address!), dash.fullCode!)));
    expect(isPlainQrSvg(dash.qrSvg!)).toBe(true);
    expect(dash.announced).toBe(false); // announce: false in these tests
    await expect(handlers['classroom.host']({ address: '127.0.0.1:0' })).rejects.toThrow(/Already hosting/);
    const stopped = await handlers['classroom.stopHosting']({});
    expect(stopped.hosting).toBe(false);
  });

  it('refuses a lesson it does not have, a broadcast or a report before hosting', async () => {
    const { handlers } = service('teacher');
    await expect(handlers['classroom.broadcast']({ text: 'hi' })).rejects.toThrow(/Host a class first/);
    await handlers['classroom.host']({ address: '127.0.0.1:0' });
    await expect(handlers['classroom.setLesson']({ lessonId: 'no-such', locale: 'en' })).rejects.toThrow(/no lesson "no-such"/);
    await expect(handlers['classroom.exportCsv']({})).rejects.toThrow(/Set the class lesson first/);
    await expect(handlers['classroom.exportReport']({ locale: 'en' })).rejects.toThrow(/Set the class lesson first/);
  });
});

describe('a learner in a class', () => {
  it('previews without sending, joins, shows progress in the grid, gets the broadcast and the prompt, and sends nothing after leaving', async () => {
    const teacher = service('teacher');
    const learner = service('learner');
    const hosted = await teacher.handlers['classroom.host']({ address: '127.0.0.1:0' });
    await teacher.handlers['classroom.setLesson']({ lessonId: 'engine-kinds', locale: 'zh-CN' });

    openLesson(learner.classroom);
    learner.classroom.onAppEvent('checkpoints.changed', { lessonId: 'engine-kinds', checkpoints: checkpoints('failed', 'no docker network ls yet') });
    const preview = await learner.handlers['classroom.sharePreview']({ name: 'Ada' });
    expect(preview.name).toBe('Ada');
    expect(preview.progress?.lessonId).toBe('engine-kinds');
    expect(preview.progress?.checkpoints[0]).toMatchObject({ id: 'listed', status: 'failed', reason: 'no docker network ls yet' });
    // The preview sent nothing: the hub has no learner.
    expect((await teacher.handlers['classroom.dashboard']({})).learners).toEqual([]);

    // The short code alone cannot pin the hub.
    await expect(learner.handlers['classroom.join']({ address: hosted.address!, code: hosted.shortCode!, name: 'Ada' })).rejects.toThrow(/compare the hub fingerprint/);

    const joinedDash = teacher.sink.untilDashboard((d) => d.learners.some((l) => l.cells['listed']?.status === 'failed'));
    const prompt = learner.sink.until('classroom.lessonPrompt', () => true);
    const state = await learner.handlers['classroom.join']({ address: hosted.address!, code: hosted.fullCode!, name: 'Ada' });
    expect(state.state).toBe('connecting');
    const dash1 = await joinedDash;
    expect(dash1.checkpoints.map((c) => c.id)).toEqual(['listed', 'inspected']);
    expect(dash1.learners[0]).toMatchObject({ name: 'Ada', connected: true, left: false });
    expect(dash1.learners[0]!.cells['listed']).toMatchObject({ status: 'failed', reason: 'no docker network ls yet' });
    expect(dash1.summary.find((s) => s.checkpointId === 'listed')?.commonFailure).toEqual({ reason: 'no docker network ls yet', count: 1 });
    expect(await prompt).toEqual({ lessonId: 'engine-kinds', title: '引擎种类' });

    // Progress flows from the app's events.
    const passed = teacher.sink.untilDashboard((d) => d.learners[0]?.cells['listed']?.status === 'passed');
    learner.classroom.onAppEvent('checkpoints.changed', { lessonId: 'engine-kinds', checkpoints: checkpoints('passed') });
    const dash2 = await passed;
    expect(dash2.summary.find((s) => s.checkpointId === 'listed')).toMatchObject({ passed: 1, failed: 0, commonFailure: null });

    // Help asked for (the lesson's Show a hint and Show the solution call lab.helpUsed): the class record has it.
    learner.classroom.onApiCall('lab.helpUsed', { lessonId: 'engine-kinds', stepId: 'first', kind: 'hint', n: 1 }, undefined);
    learner.classroom.onApiCall('lab.helpUsed', { lessonId: 'engine-kinds', stepId: 'first', kind: 'hint', n: 2 }, undefined);
    learner.classroom.onApiCall('lab.helpUsed', { lessonId: 'engine-kinds', stepId: 'first', kind: 'solution' }, undefined);

    // Hand up, a broadcast down.
    const hand = teacher.sink.untilDashboard((d) => d.learners[0]?.handRaised === true);
    await learner.handlers['classroom.hand']({ raised: true });
    expect((await hand).learners[0]!.stuck.stuck).toBe(true);
    const heard = learner.sink.until('classroom.broadcast', () => true);
    await teacher.handlers['classroom.broadcast']({ text: 'Five minutes left' });
    expect(await heard).toEqual({ text: 'Five minutes left' });
    expect((await learner.handlers['classroom.learnerState']({})).broadcast).toBe('Five minutes left');

    // The report.
    const report = await teacher.handlers['classroom.exportCsv']({});
    expect(report.file.startsWith(join(dir, 'teacher', 'reports'))).toBe(true);
    expect(await readFile(report.file, 'utf8')).toBe(report.csv);
    expect(report.csv).toContain('Ada');
    const [header, ada] = report.csv.trim().split(/\r?\n/).map((line) => line.split(','));
    expect(ada![header!.indexOf('hints revealed')]).toBe('2');
    expect(ada![header!.indexOf('solutions used')]).toBe('1');
    // The printable report, in the language asked for, with the lesson's titles.
    const html = await teacher.handlers['classroom.exportReport']({ locale: 'zh-CN' });
    expect(html.file.startsWith(join(dir, 'teacher', 'reports'))).toBe(true);
    expect(html.file.endsWith('.html')).toBe(true);
    expect(await readFile(html.file, 'utf8')).toBe(html.html);
    expect(html.html).toContain('<html lang="zh-CN">');
    expect(html.html).toContain('Ada');
    expect(html.html).toContain('列出网络');
    expect(html.html).toContain('已举手');

    // Leaving: the dashboard shows it, and later progress is not sent.
    const left = teacher.sink.untilDashboard((d) => d.learners[0]?.left === true);
    const after: ClassLearnerState = await learner.handlers['classroom.leave']({});
    expect(after).toMatchObject({ state: 'left', handRaised: false, broadcast: null });
    const dash3 = await left;
    expect(dash3.learners[0]!.cells['listed']?.status).toBe('passed');
    let changedAfterLeave: ClassDashboardUpdate | null = null;
    teacher.sink.on('classroom.changed', (u: ClassDashboardUpdate) => (changedAfterLeave = u));
    learner.classroom.onAppEvent('checkpoints.changed', { lessonId: 'engine-kinds', checkpoints: checkpoints('failed', 'after leaving') });
    await expect(learner.handlers['classroom.hand']({ raised: true })).rejects.toThrow(/Join a class first/);
    // leave() resolved after its socket closed, so nothing can still be in flight.
    expect(changedAfterLeave).toBeNull();
    expect((await teacher.handlers['classroom.dashboard']({})).learners[0]!.cells['listed']?.status).toBe('passed');
  });

  it('marks a learner stuck after the instructor\'s minutes without progress, and not before', async () => {
    const teacher = service('teacher');
    const learner = service('learner');
    const hosted = await teacher.handlers['classroom.host']({ address: '127.0.0.1:0' });
    await teacher.handlers['classroom.setLesson']({ lessonId: 'engine-kinds', locale: 'en' });
    await teacher.handlers['classroom.setStuckMinutes']({ minutes: 2 });
    openLesson(learner.classroom);
    const joined = teacher.sink.untilDashboard((d) => d.learners.some((l) => l.lessonId === 'engine-kinds'));
    await learner.handlers['classroom.join']({ address: hosted.address!, code: hosted.fullCode!, name: 'Lin' });
    await joined;
    clock += 2 * 60_000 - 1;
    expect((await teacher.handlers['classroom.dashboard']({})).learners[0]!.stuck.noProgress).toBe(false);
    clock += 1;
    const dash = await teacher.handlers['classroom.dashboard']({});
    expect(dash.stuckMinutes).toBe(2);
    expect(dash.learners[0]!.stuck).toMatchObject({ noProgress: true, stuck: true });
  });

  it('rejoins as the same learner after the app restarts, and not after leaving', async () => {
    const teacher = service('teacher');
    const first = service('learner');
    const hosted = await teacher.handlers['classroom.host']({ address: '127.0.0.1:0' });
    const joined = teacher.sink.untilDashboard((d) => d.learners[0]?.connected === true);
    const welcomed = first.sink.until('classroom.learner', (s) => s.state === 'joined');
    await first.handlers['classroom.join']({ address: hosted.address!, code: hosted.fullCode!, name: 'Ada' });
    const id = (await joined).learners[0]!.id;
    await welcomed;
    // The app stops (not a leave): the hub sees the learner offline.
    const offline = teacher.sink.untilDashboard((d) => d.learners[0]?.connected === false);
    await first.classroom.dispose();
    expect((await offline).learners[0]).toMatchObject({ id, left: false });

    const again = service('learner');
    const back = teacher.sink.untilDashboard((d) => d.learners[0]?.connected === true);
    expect(await again.classroom.resume()).toBeUndefined();
    const dash = await back;
    expect(dash.learners.map((l) => l.id)).toEqual([id]);

    // After leaving, a restart does not rejoin.
    await again.handlers['classroom.leave']({});
    await again.classroom.dispose();
    const third = service('learner');
    await third.classroom.resume();
    expect((await third.handlers['classroom.learnerState']({})).state).toBe('none');
  });

  it('joins with the short code once the learner compared the probed fingerprint; another pin never reaches the class', async () => {
    const teacher = service('teacher');
    const hosted = await teacher.handlers['classroom.host']({ address: '127.0.0.1:0' });
    const probe = await teacher.handlers['classroom.probeHub']({ address: hosted.address! });
    expect(probe.fingerprint).toBe(hosted.fingerprint);

    // A near-miss: a pin that is not the hub's (an impostor's) stops before anything is shared.
    const fooled = service('fooled');
    const stopped = fooled.sink.until('classroom.learner', (s) => s.stopReason !== null);
    const wrongPin = `${probe.pin.slice(0, 63)}${probe.pin.endsWith('0') ? '1' : '0'}`;
    await fooled.handlers['classroom.join']({ address: hosted.address!, code: hosted.shortCode!, name: 'Eve', pin: wrongPin });
    expect((await stopped).stopReason).toBe('wrong-hub');
    expect((await teacher.handlers['classroom.dashboard']({})).learners).toEqual([]);
    // A full code whose pin disagrees with the compared one is refused at once.
    await expect(fooled.handlers['classroom.join']({ address: hosted.address!, code: hosted.fullCode!, name: 'Eve', pin: wrongPin })).rejects.toThrow(/not the one in this join code/);

    const learner = service('learner');
    const joined = teacher.sink.untilDashboard((d) => d.learners.some((l) => l.name === 'Lin' && l.connected));
    await learner.handlers['classroom.join']({ address: hosted.address!, code: hosted.shortCode!, name: 'Lin', pin: probe.pin });
    expect((await joined).learners.map((l) => l.name)).toEqual(['Lin']);
  });

  it('says when no class answers at an address', async () => {
    const { handlers } = service('learner');
    const teacher = service('teacher');
    const hosted = await teacher.handlers['classroom.host']({ address: '127.0.0.1:0' });
    await teacher.handlers['classroom.stopHosting']({});
    await expect(handlers['classroom.probeHub']({ address: hosted.address! })).rejects.toThrow(/No class answers at 127\.0\.0\.1/);
  });

  it('shares reasons in the learner\'s language from the preview on', async () => {
    const { classroom, handlers } = service('learner');
    openLesson(classroom);
    await handlers['classroom.sharePreview']({ name: 'Lin', locale: 'zh-CN' });
    const failed = { id: 'listed', status: 'failed', reason: { en: 'not yet', 'zh-CN': '还没有' } } as CheckpointStatus;
    classroom.onAppEvent('checkpoints.changed', { lessonId: 'engine-kinds', checkpoints: [failed] });
    expect((await handlers['classroom.sharePreview']({ name: 'Lin' })).progress?.checkpoints[0]?.reason).toBe('还没有');
    await handlers['classroom.sharePreview']({ name: 'Lin', locale: 'en' });
    classroom.onAppEvent('checkpoints.changed', { lessonId: 'engine-kinds', checkpoints: [{ ...failed, reason: { en: 'still not', 'zh-CN': '仍然没有' } }] });
    expect((await handlers['classroom.sharePreview']({ name: 'Lin' })).progress?.checkpoints[0]?.reason).toBe('still not');
  });

  it('refuses a malformed address or code with what to type', async () => {
    const { handlers } = service('learner');
    await expect(handlers['classroom.join']({ address: 'nowhere', code: 'K7QFM-2XD9A', name: 'Ada' })).rejects.toThrow(/HOST:PORT/);
    await expect(handlers['classroom.join']({ address: '127.0.0.1:7443', code: 'not a code!!', name: 'Ada' })).rejects.toThrow(/A join code looks like/);
    expect((await handlers['classroom.learnerState']({})).state).toBe('none');
  });
});

/** The app's terminals as the share sees them: what the TerminalManager would report, driven by the test. */
class FakeTerminals {
  readonly terminals = new Map<string, { owner: string | undefined; key: string; cols: number; rows: number }>();
  private readonly output = new Set<(id: string, key: string, text: string) => void>();
  private readonly resizes = new Set<(id: string, cols: number, rows: number) => void>();
  private readonly exits = new Set<(id: string) => void>();
  list(): TerminalInfo[] {
    return [...this.terminals].map(([id, t]) => ({ id, kind: 'host', name: 'host', key: t.key, running: true }));
  }
  ownerOf(id: string): string | undefined {
    return this.terminals.get(id)?.owner;
  }
  sizeOf(id: string): { cols: number; rows: number } | undefined {
    const t = this.terminals.get(id);
    return t && { cols: t.cols, rows: t.rows };
  }
  onOutput(l: (id: string, key: string, text: string) => void): () => void {
    this.output.add(l);
    return () => this.output.delete(l);
  }
  onResize(l: (id: string, cols: number, rows: number) => void): () => void {
    this.resizes.add(l);
    return () => this.resizes.delete(l);
  }
  onExit(l: (id: string) => void): () => void {
    this.exits.add(l);
    return () => this.exits.delete(l);
  }
  print(id: string, text: string): void {
    for (const l of this.output) l(id, this.terminals.get(id)!.key, text);
  }
  resize(id: string, cols: number, rows: number): void {
    for (const l of this.resizes) l(id, cols, rows);
  }
  exit(id: string): void {
    this.terminals.delete(id);
    for (const l of this.exits) l(id);
  }
}

describe('the read-only terminal share', () => {
  async function classWithLearner(): Promise<{ teacher: ReturnType<typeof service>; learner: ReturnType<typeof service>; terms: FakeTerminals; learnerId: string }> {
    const teacher = service('teacher');
    const learner = service('learner');
    const terms = new FakeTerminals();
    terms.terminals.set('host-1', { owner: 'page-1', key: 'host', cols: 100, rows: 30 });
    terms.terminals.set('container-2', { owner: 'page-1', key: 'container:web', cols: 80, rows: 24 });
    terms.terminals.set('host-3', { owner: 'page-2', key: 'host', cols: 80, rows: 24 });
    learner.classroom.attachTerminals(terms);
    const hosted = await teacher.handlers['classroom.host']({ address: '127.0.0.1:0' });
    const joinedDash = teacher.sink.untilDashboard((d) => d.learners.some((l) => l.connected));
    const joinedState = learner.sink.until('classroom.learner', (s) => s.state === 'joined');
    await learner.handlers['classroom.join']({ address: hosted.address!, code: hosted.fullCode!, name: 'Ada' });
    const learnerId = (await joinedDash).learners[0]!.id;
    await joinedState;
    return { teacher, learner, terms, learnerId };
  }

  it("shares only the chosen terminal's output, to the viewer, in order; stops with one call", async () => {
    const { teacher, learner, terms, learnerId } = await classWithLearner();
    // Not a terminal of this caller, not a terminal at all, and nothing before joining elsewhere.
    await expect(learner.handlers['classroom.shareTerminal']({ terminalId: 'host-3' }, { caller: 'page-1' })).rejects.toThrow(/no such terminal/);
    await expect(learner.handlers['classroom.shareTerminal']({ terminalId: 'host-9' }, { caller: 'page-1' })).rejects.toThrow(/no such terminal/);
    await expect(teacher.handlers['classroom.openShare']({ learnerId }, { caller: 'dash' })).rejects.toThrow(/not sharing/);

    const sharingRow = teacher.sink.untilDashboard((d) => d.learners[0]?.sharing !== null);
    const state = await learner.handlers['classroom.shareTerminal']({ terminalId: 'host-1' }, { caller: 'page-1' });
    expect(state.sharing).toEqual({ terminalId: 'host-1', label: 'host' });
    expect((await sharingRow).learners[0]!.sharing).toEqual({ label: 'host', cols: 100, rows: 30 });

    terms.print('host-1', 'early output\r\n');
    terms.print('container-2', 'NOT SHARED\r\n');
    // The output left before anyone viewed it: the viewer gets it as the backlog (asked until it has arrived at the hub).
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        void teacher.handlers['classroom.openShare']({ learnerId }, { caller: 'dash' }).then((v) => (v.data.includes('early') ? resolve() : setImmediate(poll)), () => setImmediate(poll));
      };
      poll();
    });
    const view = await teacher.handlers['classroom.openShare']({ learnerId }, { caller: 'dash' });
    expect(view).toMatchObject({ learnerId, name: 'Ada', label: 'host', cols: 100, rows: 30, data: 'early output\r\n', skipped: 0 });
    expect(teacher.classroom.shareViewer()).toBe('dash');

    const seen: string[] = [];
    teacher.sink.on('classroom.shareOutput', (e: Events['classroom.shareOutput']) => e.kind === 'output' && seen.push(e.data));
    const resized = teacher.sink.until('classroom.shareOutput', (e) => e.kind === 'resize');
    terms.resize('host-1', 120, 40);
    terms.resize('container-2', 10, 10);
    expect(await resized).toMatchObject({ kind: 'resize', cols: 120, rows: 40 });
    const done = teacher.sink.until('classroom.shareOutput', (e) => e.kind === 'output' && e.data.includes('three'));
    for (const line of ['one\r\n', 'two\r\n', 'three\r\n']) terms.print('host-1', line);
    terms.print('container-2', 'NOT SHARED EITHER\r\n');
    await done;
    expect(seen.join('')).toBe('one\r\ntwo\r\nthree\r\n');

    // One call stops it; what the terminal prints afterwards never reaches the class.
    const stopped = teacher.sink.until('classroom.shareOutput', (e) => e.kind === 'stop');
    const after = await learner.handlers['classroom.stopSharing']({});
    expect(after.sharing).toBeNull();
    await stopped;
    terms.print('host-1', 'after stop\r\n');
    const hand = teacher.sink.untilDashboard((d) => d.learners[0]?.handRaised === true);
    await learner.handlers['classroom.hand']({ raised: true });
    expect((await hand).learners[0]!.sharing).toBeNull();
    expect(seen.join('')).not.toContain('after stop');
    await teacher.handlers['classroom.closeShare']({});
    expect(teacher.classroom.shareViewer()).toBeUndefined();
  });

  it('closing the shared terminal or leaving the class stops the share', async () => {
    const { teacher, learner, terms, learnerId } = await classWithLearner();
    await learner.handlers['classroom.shareTerminal']({ terminalId: 'host-1' }, { caller: 'page-1' });
    await teacher.sink.untilDashboard((d) => d.learners[0]?.sharing !== null);
    const ended = learner.sink.until('classroom.learner', (s) => s.sharing === null);
    const rowClear = teacher.sink.untilDashboard((d) => d.learners[0]?.sharing === null);
    terms.exit('host-1');
    expect((await ended).sharing).toBeNull();
    await rowClear;

    await learner.handlers['classroom.shareTerminal']({ terminalId: 'container-2' }, { caller: 'page-1' });
    await teacher.sink.untilDashboard((d) => d.learners[0]?.sharing?.label === 'container:web');
    await teacher.handlers['classroom.openShare']({ learnerId }, { caller: 'dash' });
    const left = await learner.handlers['classroom.leave']({});
    expect(left.sharing).toBeNull();
    await expect(learner.handlers['classroom.shareTerminal']({ terminalId: 'container-2' }, { caller: 'page-1' })).rejects.toThrow(/Join a class/);
    // The dashboard page that viewed it goes away: nothing is routed to it any more.
    teacher.classroom.disconnect('dash');
    expect(teacher.classroom.shareViewer()).toBeUndefined();
  });
});
