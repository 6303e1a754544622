// The classroom screen state against a fake API: events replace the dashboard and the learner's
// class; errors become messages; a new lesson prompt shows again after "Not now".
import { describe, expect, it } from 'vitest';
import type { ClassDashboard, ClassLearnerRow, ClassLearnerState, Events } from '../../../electron/api/contract';
import { DashboardState, LearnerClassState } from './classroom-state.svelte';

type Listener = (payload: unknown) => void;

function fakeApi(results: Record<string, unknown | Error>) {
  const listeners = new Map<string, Set<Listener>>();
  const calls: { method: string; input: unknown }[] = [];
  return {
    calls,
    push<E extends keyof Events>(name: E, payload: Events[E]): void {
      for (const l of listeners.get(name) ?? []) l(payload);
    },
    api: {
      call: async (method: string, input: unknown) => {
        calls.push({ method, input });
        const r = results[method];
        if (r instanceof Error) throw r;
        return r;
      },
      on: (name: string, listener: Listener) => {
        const set = listeners.get(name) ?? new Set();
        set.add(listener);
        listeners.set(name, set);
        return () => set.delete(listener);
      },
    } as never,
  };
}

const idle: ClassDashboard = { hosting: false, address: null, reach: null, shortCode: null, fullCode: null, fingerprint: null, qrSvg: null, announced: false, warning: null, stuckMinutes: 5, lesson: null, checkpoints: [], learners: [], summary: [], offers: [], version: { feed: 'f1', seq: 0 } };
const hosting: ClassDashboard = { ...idle, hosting: true, address: '127.0.0.1:7443', shortCode: 'K7QFM-2XD9A' };
const joined: ClassLearnerState = { state: 'joined', address: '127.0.0.1:7443', name: 'Ada', className: 'A', handRaised: false, stopReason: null, lessonPrompt: { lessonId: 'bridge', title: 'Bridge' }, broadcast: null, sharing: null, offers: [] };

describe('DashboardState', () => {
  it('loads, follows classroom.changed, and stops following when told', async () => {
    const fake = fakeApi({ 'classroom.dashboard': idle });
    const board = new DashboardState(fake.api);
    const off = board.start();
    await board.refresh();
    expect(board.dash).toEqual(idle);
    expect(fake.calls.map((c) => c.method)).toEqual(['classroom.dashboard', 'classroom.dashboard']);
    fake.push('classroom.changed', { version: { feed: 'f1', seq: 1 }, full: hosting });
    expect(board.dash?.shortCode).toBe('K7QFM-2XD9A');
    off();
    fake.push('classroom.changed', { version: { feed: 'f1', seq: 2 }, full: idle });
    expect(board.dash?.hosting).toBe(true);
  });

  it('applies deltas to the rows they name, keeps the others, and asks again after a gap', async () => {
    const row = (id: string, status: 'passed' | 'failed'): ClassLearnerRow => ({
      id, name: id, connected: true, left: false, lessonId: 'kinds', stepId: null, secondsOnStep: 0, handRaised: false,
      stuck: { stuck: false, noProgress: false, repeatedFailure: null, handRaised: false }, sharing: null, cells: { listed: { status, reason: null, failedAttempts: 0 } },
    });
    const { learners: _l, qrSvg: _q, version: _v, ...header } = hosting;
    const whole: ClassDashboard = { ...hosting, learners: [row('a', 'failed'), row('b', 'failed')], version: { feed: 'f1', seq: 3 } };
    const fake = fakeApi({ 'classroom.dashboard': whole });
    const board = new DashboardState(fake.api);
    board.start();
    await board.refresh();
    const [a, b] = board.dash!.learners;
    fake.push('classroom.changed', { version: { feed: 'f1', seq: 4 }, delta: { header, learnerIds: ['a', 'b'], rows: [row('b', 'passed')] } });
    expect(board.dash!.learners[0]).toBe(a);
    expect(board.dash!.learners[1]).not.toBe(b);
    expect(board.dash!.learners[1]!.cells['listed']?.status).toBe('passed');
    expect(board.dash!.version.seq).toBe(4);
    // A call's dashboard older than what the events brought is not shown.
    await board.refresh();
    expect(board.dash!.learners[1]!.cells['listed']?.status).toBe('passed');
    // Update 6 after 4: one was missed, so the page asks for the whole dashboard.
    const calls = fake.calls.length;
    fake.push('classroom.changed', { version: { feed: 'f1', seq: 6 }, delta: { header, learnerIds: ['a'], rows: [] } });
    expect(fake.calls.length).toBe(calls + 1);
    expect(board.dash!.version.seq).toBe(4);
  });

  it('turns a refused host into a message, and reports a broadcast as sent only when it was', async () => {
    const fake = fakeApi({ 'classroom.host': new Error('"x" is not HOST:PORT.'), 'classroom.broadcast': undefined });
    const board = new DashboardState(fake.api);
    await board.host('x');
    expect(board.error).toBe('"x" is not HOST:PORT.');
    expect(await board.broadcast('hello')).toBe(true);
    expect(board.broadcastSent).toBe(true);
    expect(board.error).toBe('');
    const failing = new DashboardState(fakeApi({ 'classroom.broadcast': new Error('Host a class first.') }).api);
    expect(await failing.broadcast('hello')).toBe(false);
    expect(failing.broadcastSent).toBe(false);
  });

  it('offers with a path in browser mode and without one for the app\'s own dialog; a refusal becomes the message', async () => {
    const withOffer = { ...hosting, offers: [{ offerId: 'o-0123456789abcdef', kind: 'lesson-folder' as const, title: 'week-2', sizeBytes: 10, sha256: '0'.repeat(64) }] };
    const fake = fakeApi({ 'classroom.offer': withOffer });
    const board = new DashboardState(fake.api);
    await board.offer('lesson-folder', '/courses/week-2');
    await board.offer('image-pack');
    expect(fake.calls).toEqual([
      { method: 'classroom.offer', input: { kind: 'lesson-folder', path: '/courses/week-2' } },
      { method: 'classroom.offer', input: { kind: 'image-pack' } },
    ]);
    expect(board.dash?.offers).toHaveLength(1);
    const refused = new DashboardState(fakeApi({ 'classroom.offer': new Error('/x is not a folder.') }).api);
    await refused.offer('lesson-folder', '/x');
    expect(refused.error).toBe('/x is not a folder.');
  });
});

describe('LearnerClassState', () => {
  it('shows the prompt until set aside, and again for a new one', () => {
    const fake = fakeApi({ 'classroom.learnerState': { ...joined, state: 'none' } });
    const learner = new LearnerClassState(fake.api);
    learner.start();
    fake.push('classroom.learner', joined);
    expect(learner.visible).toBe(true);
    expect(learner.prompt?.lessonId).toBe('bridge');
    learner.dismissPrompt();
    expect(learner.prompt).toBeNull();
    fake.push('classroom.learner', { ...joined, lessonPrompt: { lessonId: 'dns', title: 'DNS' } });
    expect(learner.prompt?.lessonId).toBe('dns');
  });

  it('after leaving, the bar can be closed; a failed hand says why', async () => {
    const fake = fakeApi({ 'classroom.leave': { ...joined, state: 'left', lessonPrompt: null }, 'classroom.hand': new Error('Join a class first.') });
    const learner = new LearnerClassState(fake.api);
    learner.set(joined);
    await learner.leave();
    expect(learner.state?.state).toBe('left');
    learner.hidden = true;
    expect(learner.visible).toBe(false);
    await learner.hand(true);
    expect(learner.error).toBe('Join a class first.');
  });

  it('opens an offer for review without calling anything; Accept and Decline call with its id and close the review', async () => {
    const offer = { offerId: 'o-0123456789abcdef', kind: 'lesson-folder' as const, title: 'week-2', sizeBytes: 10, sha256: '0'.repeat(64), status: 'offered' as const, message: null, lessons: [] };
    const done = { ...joined, offers: [{ ...offer, status: 'done' as const, lessons: ['instructor-quiz'] }] };
    const fake = fakeApi({ 'classroom.acceptOffer': done, 'classroom.declineOffer': joined });
    const state = new LearnerClassState(fake.api);
    state.set({ ...joined, offers: [offer] });
    state.reviewing = offer.offerId;
    expect(fake.calls).toEqual([]);
    await state.acceptOffer(offer.offerId);
    expect(fake.calls).toEqual([{ method: 'classroom.acceptOffer', input: { offerId: offer.offerId } }]);
    expect(state.reviewing).toBeNull();
    expect(state.state?.offers[0]?.status).toBe('done');
    await state.declineOffer(offer.offerId);
    expect(fake.calls[1]).toEqual({ method: 'classroom.declineOffer', input: { offerId: offer.offerId } });
    expect(state.state?.offers).toEqual([]);
  });
});

describe('the shared terminal', () => {
  const view = { learnerId: 'l-1', name: 'Ada', label: 'host', cols: 80, rows: 24, data: 'backlog', skipped: 0 };

  it("keeps the open share's events while the viewer mounts, hands them over in order, and ignores other learners'", async () => {
    const fake = fakeApi({ 'classroom.dashboard': hosting, 'classroom.openShare': view, 'classroom.closeShare': undefined });
    const board = new DashboardState(fake.api);
    const stop = board.start();
    const opening = board.openShare('l-1');
    // An event can come before the call's answer: it is kept.
    fake.push('classroom.shareOutput', { learnerId: 'l-1', kind: 'output', data: 'a', skipped: 0 });
    await opening;
    expect(board.share).toEqual(view);
    fake.push('classroom.shareOutput', { learnerId: 'l-2', kind: 'output', data: 'not this one', skipped: 0 });
    fake.push('classroom.shareOutput', { learnerId: 'l-1', kind: 'output', data: 'b', skipped: 3 });
    const seen: string[] = [];
    const detach = board.attachShareView((e) => seen.push(e.kind === 'output' ? e.data : e.kind));
    fake.push('classroom.shareOutput', { learnerId: 'l-1', kind: 'stop' });
    expect(seen).toEqual(['a', 'b', 'stop']);
    detach();
    await board.closeShare();
    expect(board.share).toBeNull();
    expect(fake.calls.map((c) => c.method)).toContain('classroom.closeShare');
    fake.push('classroom.shareOutput', { learnerId: 'l-1', kind: 'output', data: 'after close', skipped: 0 });
    expect(seen).toEqual(['a', 'b', 'stop']);
    stop();
  });

  it('says why a share cannot open', async () => {
    const fake = fakeApi({ 'classroom.dashboard': hosting, 'classroom.openShare': new Error('This learner is not sharing a terminal now.') });
    const board = new DashboardState(fake.api);
    await board.openShare('l-1');
    expect(board.share).toBeNull();
    expect(board.error).toContain('not sharing');
  });

  it('the learner shares a terminal and stops with one call', async () => {
    const sharing = { ...joined, sharing: { terminalId: 'host-1', label: 'host' } };
    const fake = fakeApi({ 'classroom.shareTerminal': sharing, 'classroom.stopSharing': joined });
    const learner = new LearnerClassState(fake.api);
    await learner.share('host-1');
    expect(fake.calls.at(-1)).toEqual({ method: 'classroom.shareTerminal', input: { terminalId: 'host-1' } });
    expect(learner.state?.sharing).toEqual({ terminalId: 'host-1', label: 'host' });
    await learner.stopSharing();
    expect(learner.state?.sharing).toBeNull();
  });
});
