import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckpointStatus, Lesson, LessonConsent, Localized } from '../../../electron/api/types';
import { FakeLabApi, settle } from '../test-support/fake-lab-api';
import { CELEBRATION_MS, LessonSession, type SplitStorage } from './lesson-session.svelte';
import type { TerminalView } from './terminal-session';

const text = (en: string): Localized => ({ en, 'zh-CN': en });

const lesson: Lesson = {
  id: 'dns',
  order: 1,
  title: text('DNS'),
  summary: text(''),
  intro: text(''),
  images: [],
  names: { containers: ['web1'], networks: ['n1'] },
  steps: [
    {
      id: 'create',
      title: text('Create'),
      body: text('Make a network.'),
      hints: [text('one'), text('two')],
      solution: [
        { terminal: 'host', command: 'docker network create n1' },
        { terminal: 'web1', command: 'ip addr' },
      ],
      checkpointIds: ['net'],
    },
    { id: 'run', title: text('Run'), body: text('Run it.'), hints: [], solution: [], checkpointIds: ['ctr'] },
  ],
  checkpoints: [
    { id: 'net', stepId: 'create', title: text('Network'), live: false, kind: 'lab' },
    { id: 'ctr', stepId: 'run', title: text('Container'), live: false, kind: 'lab' },
  ],
  quizzes: [],
  source: 'builtin',
  fingerprint: 'fp-1',
};

const builtin: LessonConsent = { needed: false, granted: true, askedBy: 'page', commands: [], probes: [] };
const pending = (id: string): CheckpointStatus => ({ id, status: 'pending' });
const passed = (id: string): CheckpointStatus => ({ id, status: 'passed' });

function memoryStorage(initial: Record<string, string> = {}): SplitStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (key) => data[key] ?? null, setItem: (key, value) => void (data[key] = value) };
}

/** A lab that serves the lesson, with progress on `stepId`; terminal sessions are s-1, s-2, … */
function lab(options: { stepId?: string; consent?: LessonConsent } = {}): FakeLabApi {
  let n = 0;
  return new FakeLabApi()
    .handle('lessons.get', () => structuredClone(lesson))
    .handle('lessons.consent', () => options.consent ?? builtin)
    .handle('lab.open', () => ({
      lessonId: 'dns',
      checkpoints: [passed('net'), pending('ctr')],
      topology: { networks: [], containers: [] },
      progress: { passed: {}, ...(options.stepId ? { stepId: options.stepId } : {}) },
    }))
    .handle('terminal.open', (input) => ({ id: `s-${++n}`, kind: input.kind, name: 'x', key: input.kind === 'container' ? 'container:x' : input.kind, running: true, reportsCommands: input.kind === 'host' }));
}

function view(): TerminalView {
  return {
    fit: () => ({ cols: 80, rows: 24 }),
    size: () => ({ cols: 80, rows: 24 }),
    write: () => {},
    markNewSession: () => {},
    focus: () => {},
    openSearch: () => {},
    update: () => {},
  };
}

const mounted = new WeakSet<object>();

/** Mounts the terminal of every tab opened since (the Terminal components do that on screen). */
function mountTerminals(session: LessonSession): void {
  for (const { session: terminal } of session.tabs.tabs) {
    if (mounted.has(terminal)) continue;
    mounted.add(terminal);
    terminal.attach(view());
  }
}

async function started(api: FakeLabApi, storage = memoryStorage()): Promise<{ session: LessonSession; stop: () => void; steps: number }> {
  let steps = 0;
  const session = new LessonSession({ lessonId: 'dns', api, storage, onStepChange: () => steps++ });
  const stop = session.start();
  await settle();
  return {
    session,
    stop,
    get steps() {
      return steps;
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('LessonSession', () => {
  it('loads the lesson and its consent, opens the host terminal and the lab, and resumes at the saved step', async () => {
    const api = lab({ stepId: 'run' });
    const { session } = await started(api);
    expect(session.lesson?.id).toBe('dns');
    expect(session.labOpen).toBe(true);
    expect(session.stepIndex).toBe(1);
    expect(session.step?.id).toBe('run');
    expect(session.tabs.tabs.map((t) => t.key)).toEqual(['host']);
    expect(session.consent.info).toEqual(builtin);
    expect(session.statusMap.get('net')?.status).toBe('passed');
    expect(session.stepCheckpoints.map((c) => c.id)).toEqual(['ctr']);
    expect(session.complete).toBe(false);
    // Statuses known when the lab opens are not celebrated.
    expect(session.justPassed).toEqual([]);
  });

  it('knows which steps this engine cannot do, from the lab\'s snapshot', async () => {
    const unmet = [{ need: 'host-network' as const, cause: 'bridge-not-seen' as const, detail: 'docker0' }];
    const api = lab().handle('lab.open', () => ({
      lessonId: 'dns',
      checkpoints: [pending('net'), { id: 'ctr', status: 'unavailable' as const, unmet }],
      unavailableSteps: [{ stepId: 'run', unmet }],
      topology: { networks: [], containers: [] },
      progress: { passed: {} },
    }));
    const { session } = await started(api);
    expect(session.step?.id).toBe('create');
    expect(session.stepUnmet).toEqual([]);
    session.goToStep(1);
    expect(session.stepUnmet).toEqual(unmet);
    expect(session.statusMap.get('ctr')?.status).toBe('unavailable');
  });

  it('tells a need of the whole lesson apart from a step\'s own', async () => {
    const noIpv6 = { need: 'ipv6' as const, cause: 'refused' as const, detail: 'off' };
    const noHost = { need: 'host-network' as const, cause: 'bridge-not-seen' as const };
    const api = lab()
      .handle('lessons.get', () => ({ ...structuredClone(lesson), requires: ['ipv6' as const] }))
      .handle('lab.open', () => ({
        lessonId: 'dns',
        checkpoints: [{ id: 'net', status: 'unavailable' as const, unmet: [noIpv6] }, { id: 'ctr', status: 'unavailable' as const, unmet: [noIpv6, noHost] }],
        unavailableSteps: [{ stepId: 'create', unmet: [noIpv6] }, { stepId: 'run', unmet: [noIpv6, noHost] }],
        topology: { networks: [], containers: [] },
        progress: { passed: {} },
      }));
    const { session } = await started(api);
    expect(session.lessonUnmet).toEqual([noIpv6]);
    // Said once for the lesson, not again on each step; a step's own need still shows there.
    expect(session.stepUnmet).toEqual([]);
    session.goToStep(1);
    expect(session.stepUnmet).toEqual([noHost]);
  });

  it('says why the lesson or the lab did not load, and tries again', async () => {
    let fail = true;
    const api = lab().handle('lessons.get', () => {
      if (fail) throw new Error('no such lesson');
      return lesson;
    });
    const { session } = await started(api);
    expect(session.loadError).toBe('no such lesson');
    fail = false;
    await session.load();
    expect(session.loadError).toBe('');
    expect(session.lesson?.id).toBe('dns');

    api.handle('lab.open', () => {
      throw new Error('engine down');
    });
    await session.openLab();
    expect(session.labError).toBe('engine down');
  });

  it('celebrates checkpoints that pass for this lesson, for a moment, and announces them', async () => {
    vi.useFakeTimers();
    const api = lab();
    const { session } = await started(api);
    api.emit('checkpoints.changed', { lessonId: 'other', checkpoints: [passed('net'), passed('ctr')] });
    expect(session.statusMap.get('ctr')?.status).toBe('pending');
    api.emit('checkpoints.changed', { lessonId: 'dns', checkpoints: [passed('net'), passed('ctr')] });
    expect(session.justPassed).toEqual(['ctr']);
    expect(session.announced).toEqual([{ id: 'ctr', status: 'passed' }]);
    expect(session.complete).toBe(true);
    vi.advanceTimersByTime(CELEBRATION_MS);
    expect(session.justPassed).toEqual([]);
    // Not passing any more is announced too, with the reason; an unchanged list says nothing new.
    const reason = { en: 'ctr stopped', 'zh-CN': 'ctr 已停止' };
    api.emit('checkpoints.changed', { lessonId: 'dns', checkpoints: [passed('net'), { id: 'ctr', status: 'failed', reason }] });
    expect(session.announced).toEqual([{ id: 'ctr', status: 'failed', reason }]);
    api.emit('checkpoints.changed', { lessonId: 'dns', checkpoints: [passed('net'), { id: 'ctr', status: 'failed', reason }] });
    expect(session.announced).toEqual([{ id: 'ctr', status: 'failed', reason }]);
  });

  it('moves between steps: hints, the solution and "do it for me" start over, and the step is saved', async () => {
    const api = lab();
    const run = await started(api);
    const { session } = run;
    session.showHint();
    session.askSolution('show');
    expect([session.hintsShown, session.solution]).toEqual([1, 'confirm']);
    // A revealed hint is told to the main process (the class, a challenge's coach); an unconfirmed solution is not.
    expect(api.inputs('lab.helpUsed')).toEqual([{ lessonId: 'dns', stepId: 'create', kind: 'hint', n: 1 }]);
    session.goToStep(1);
    expect([session.stepIndex, session.hintsShown, session.solution, session.solutionAction]).toEqual([1, 0, 'hidden', 'show']);
    expect(run.steps).toBe(1);
    expect(api.inputs('progress.setStep')).toEqual([{ lessonId: 'dns', stepId: 'run' }]);
    session.goToStep(1);
    session.goToStep(2);
    session.goToStep(-1);
    expect(run.steps).toBe(1);
  });

  it('shows the solution only after a confirmation', async () => {
    const api = lab();
    const { session } = await started(api);
    session.askSolution('show');
    session.cancelSolution();
    expect(session.solution).toBe('hidden');
    expect(api.inputs('lab.helpUsed')).toEqual([]);
    session.askSolution('show');
    session.confirmSolution();
    expect(session.solution).toBe('shown');
    expect(api.inputs('lab.helpUsed')).toEqual([{ lessonId: 'dns', stepId: 'create', kind: 'solution' }]);
    expect(session.doIt.phase).toBe('idle');
  });

  it('has a Run button\'s block typed by the main process into the running session, and says why one was refused', async () => {
    const api = lab();
    const { session } = await started(api);
    mountTerminals(session);
    session.runCode('host', { kind: 'block', block: 'en.1' });
    await settle();
    expect(api.inputs('lessons.run')).toEqual([{ lessonId: 'dns', fingerprint: 'fp-1', terminalId: 's-1', target: { kind: 'block', block: 'en.1' } }]);

    api.handle('lessons.run', () => {
      throw new Error('The lesson changed');
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    session.runCode('host', { kind: 'solution', from: 1, count: 1 });
    await settle();
    expect(api.inputs('lessons.run')[1]?.target).toEqual({ kind: 'solution', stepId: 'create', from: 1, count: 1 });
    expect(session.runError).toBe('The lesson changed');
    session.dismissRunError();
    expect(session.runError).toBe('');
    vi.restoreAllMocks();
  });

  it('runs an instructor lesson\'s code only after consent', async () => {
    const extra: LessonConsent = { needed: true, granted: false, folder: '/course', askedBy: 'page', commands: [], probes: [] };
    const api = lab({ consent: extra }).handle('lessons.allow', () => ({ ...extra, granted: true }));
    const { session } = await started(api);
    mountTerminals(session);
    session.runCode('host', { kind: 'block', block: 'en.1' });
    await settle();
    expect(api.inputs('lessons.run')).toEqual([]);
    expect(session.consent.pending).not.toBeNull();
    await session.consent.allow();
    await settle();
    expect(api.inputs('lessons.allow')).toEqual([{ lessonId: 'dns', fingerprint: 'fp-1' }]);
    expect(api.inputs('lessons.run')).toHaveLength(1);
  });

  it('"do it for me" types each solution command, waiting for the host shell, then shows the host terminal', async () => {
    vi.useFakeTimers();
    const api = lab();
    const { session } = await started(api);
    mountTerminals(session);
    api.handle('lessons.run', ({ terminalId }) => {
      // The host shell reports the command it ran.
      if (terminalId === session.tabs.sessionId('host')) api.emit('terminal.command', { terminalId, command: 'x', exitCode: 0, finishedAt: '' });
    });
    session.askSolution('run');
    session.confirmSolution();
    await vi.advanceTimersByTimeAsync(0);
    expect(session.doIt).toEqual({ phase: 'running', done: 1, total: 2 });
    // The second command goes to web1: its tab opens, and its terminal mounts.
    expect(session.tabs.activeKey).toBe('container:web1');
    mountTerminals(session);
    await vi.advanceTimersByTimeAsync(2000);
    expect(session.doIt).toEqual({ phase: 'ended', outcome: { status: 'done', ran: 2 }, total: 2 });
    expect(api.inputs('lessons.run').map((r) => [r.terminalId, r.target])).toEqual([
      ['s-1', { kind: 'solution', stepId: 'create', from: 0, count: 1 }],
      ['s-2', { kind: 'solution', stepId: 'create', from: 1, count: 1 }],
    ]);
    expect(session.tabs.activeKey).toBe('host');
  });

  it('stops "do it for me" on Stop', async () => {
    const api = lab();
    const { session } = await started(api);
    mountTerminals(session);
    session.requestDoIt();
    await settle();
    expect(session.doIt.phase).toBe('running');
    session.stopDoIt();
    await settle();
    expect(session.doIt).toMatchObject({ phase: 'ended', outcome: { status: 'stopped', ran: 1 } });
  });

  it('resets the lab after a confirmation and re-evaluates, or says why it could not', async () => {
    const api = lab()
      .handle('lab.reset', () => ({ removedContainers: ['web1'], removedNetworks: [], failed: [] }))
      .handle('lab.evaluate', () => [pending('net'), pending('ctr')]);
    const { session } = await started(api);
    session.askReset();
    expect(session.resetPhase).toBe('confirm');
    session.cancelReset();
    expect(session.resetPhase).toBe('idle');
    session.askReset();
    await session.reset();
    expect(session.resetPhase).toBe('idle');
    expect(session.resetResult?.removedContainers).toEqual(['web1']);
    expect(session.statusMap.get('net')?.status).toBe('pending');
    expect(session.justPassed).toEqual([]);

    api.handle('lab.reset', () => {
      throw new Error('engine down');
    });
    session.askReset();
    expect(session.resetResult).toBeNull();
    await session.reset();
    expect(session.resetError).toBe('engine down');
  });

  it('takes shortcuts only with a lesson shown, and only ? while the help is open', async () => {
    const api = lab();
    const idle = new LessonSession({ lessonId: 'dns', api, storage: memoryStorage() });
    expect(idle.acceptsShortcut({ kind: 'next-step' })).toBe(false);

    const { session } = await started(api);
    expect(session.acceptsShortcut({ kind: 'next-step' })).toBe(true);
    session.shortcut({ kind: 'next-step' });
    expect(session.stepIndex).toBe(1);
    session.shortcut({ kind: 'prev-step' });
    expect(session.stepIndex).toBe(0);
    session.shortcut({ kind: 'help' });
    expect(session.helpOpen).toBe(true);
    expect(session.acceptsShortcut({ kind: 'next-step' })).toBe(false);
    expect(session.acceptsShortcut({ kind: 'help' })).toBe(true);
    session.shortcut({ kind: 'help' });
    expect(session.helpOpen).toBe(false);

    session.openShell('web1');
    expect(session.tabs.activeKey).toBe('container:web1');
    session.shortcut({ kind: 'switch-tab', index: 0 });
    expect(session.tabs.activeKey).toBe('host');
    session.shortcut({ kind: 'switch-tab', index: 5 });
    expect(session.tabs.activeKey).toBe('host');
  });

  it('keeps coach hints newest first and lets the learner dismiss one', async () => {
    const api = lab();
    const { session } = await started(api);
    const hint = { rule: 'dns-on-default-bridge', message: text('Names resolve only on user-defined networks.'), command: 'ping web2', at: 't1' };
    api.emit('coach.hint', hint);
    api.emit('coach.hint', { ...hint, rule: 'other', at: 't2' });
    expect(session.coachHints.map((h) => h.rule)).toEqual(['other', 'dns-on-default-bridge']);
    session.dismissCoachHint(`dns-on-default-bridge\u0000ping web2\u0000t1`);
    expect(session.coachHints.map((h) => h.rule)).toEqual(['other']);
  });

  it('keeps the split between 20 and 80 percent, saved rounded', () => {
    const storage = memoryStorage({ 'netlab.split': '63' });
    expect(new LessonSession({ lessonId: 'dns', api: lab(), storage }).split).toBe(63);
    expect(new LessonSession({ lessonId: 'dns', api: lab(), storage: memoryStorage({ 'netlab.split': '95' }) }).split).toBe(45);
    const session = new LessonSession({ lessonId: 'dns', api: lab(), storage });
    session.setSplit(50.4);
    expect(storage.data['netlab.split']).toBe('63');
    session.saveSplit(50.4);
    expect([session.split, storage.data['netlab.split']]).toEqual([50.4, '50']);
  });

  it('stops listening and closes the lab when it ends', async () => {
    const api = lab();
    const { session, stop } = await started(api);
    stop();
    expect(api.inputs('lab.close')).toEqual([{}]);
    expect(api.listeners('checkpoints.changed')).toBe(0);
    expect(api.listeners('coach.hint')).toBe(0);
    api.emit('checkpoints.changed', { lessonId: 'dns', checkpoints: [passed('net'), passed('ctr')] });
    expect(session.complete).toBe(false);
  });
});

describe('LessonSession: a lesson with a setup', () => {
  const withSetup: Lesson = { ...lesson, setup: [{ terminal: 'host', command: 'docker run -d --name web1 busybox sleep 600' }] };

  it('sets the lab up when it opens and again after a reset, and shows what became of it', async () => {
    const api = lab()
      .handle('lessons.get', () => structuredClone(withSetup))
      .handle('lab.setup', () => ({ state: 'done' }))
      .handle('lab.reset', () => ({ removedContainers: ['web1'], removedNetworks: [], failed: [] }))
      .handle('lab.evaluate', () => [pending('net'), pending('ctr')]);
    const { session } = await started(api);
    expect(api.inputs('lab.setup')).toEqual([{ lessonId: 'dns' }]);
    expect(session.setup).toEqual({ state: 'done' });
    session.askReset();
    await session.reset();
    expect(api.inputs('lab.setup')).toHaveLength(2);
  });

  it('a failed setup is shown with its command; Set up again runs it once more', async () => {
    let n = 0;
    const api = lab()
      .handle('lessons.get', () => structuredClone(withSetup))
      .handle('lab.setup', () => (++n === 1 ? { state: 'failed', failed: { command: 'docker run …', message: 'port is already allocated' } } : { state: 'done' }))
      .handle('lab.evaluate', () => [pending('net'), pending('ctr')]);
    const { session } = await started(api);
    expect(session.setup?.failed?.message).toBe('port is already allocated');
    session.runSetup();
    await settle();
    expect(session.setup).toEqual({ state: 'done' });
  });

  it('a lesson without a setup never asks for one', async () => {
    const api = lab();
    await started(api);
    expect(api.inputs('lab.setup')).toEqual([]);
  });
});
