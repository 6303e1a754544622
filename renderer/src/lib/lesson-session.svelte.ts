// One open lesson's screen state and what the learner can do in it, apart from
// the components that show it (LessonView, LessonHeader, StepPanel) so it is
// tested without a DOM: loading the lesson and opening its lab, checkpoints and
// the short celebration of new passes, steps, hints, the solution behind a
// confirmation, "do it for me", Runs through the consent gate into the
// terminals, the lab reset, coach hints, the split between the panes and the
// shortcut help. Text for people is made by the components (lib/locale.svelte.ts
// needs a document); this module keeps what it is made from.
import type { LabApi } from '../../../electron/api/contract';
import { HOST_TERMINAL, type CheckpointInfo, type CheckpointStatus, type CoachHint, type Lesson, type LabSetupResult, type LabSnapshot, type LessonStep, type ResetResult, type UnmetNeed } from '../../../electron/api/types';
import { dismissHint, pushHint } from './coach';
import { ConsentGate } from './consent.svelte';
import { errorMessage } from './errors';
import { initialStepIndex, isLessonComplete, newlyPassed, statusChanges, statusOf, stepCheckpointIds, toStatusMap, type CheckpointChange } from './lesson-progress';
import type { RunRef } from './markdown';
import { QuizState, type QuizContext } from './quiz.svelte';
import type { ShortcutAction } from './shortcuts';
import { HOST_COMMAND_TIMEOUT_MS, runSolution, waitForHostCommands, type RunOutcome } from './solution-runner';
import { TerminalTabs } from './terminal-tabs.svelte';

/** How long a checkpoint that just passed stays highlighted. */
export const CELEBRATION_MS = 2500;

const SPLIT_KEY = 'netlab.split';
/** The text pane's share of the width, in percent, when none was saved. */
const DEFAULT_SPLIT = 45;

export type SolutionView = 'hidden' | 'confirm' | 'shown';
/** What the solution's confirmation leads to: showing it, or also running it. */
export type SolutionAction = 'show' | 'run';
export type DoItState = { phase: 'idle' } | { phase: 'running'; done: number; total: number } | { phase: 'ended'; outcome: RunOutcome; total: number };
export type ResetPhase = 'idle' | 'confirm' | 'busy';

export type SplitStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface LessonSessionOptions {
  lessonId: string;
  api: LabApi;
  /** Where the split is kept; the page's localStorage unless given. */
  storage?: SplitStorage;
  /** The learner moved to another step (the view scrolls the text back to the top). */
  onStepChange?: () => void;
}

function pageStorage(): SplitStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export class LessonSession {
  readonly lessonId: string;
  lesson = $state<Lesson | null>(null);
  loadError = $state('');
  labError = $state('');
  /** Why the main process refused a Run (e.g. the lesson changed on disk since it was shown). */
  runError = $state('');
  labOpen = $state(false);
  statuses = $state<CheckpointStatus[]>([]);
  /** Steps this engine cannot do (the lab doctor's word), with what it lacks. */
  unavailableSteps = $state<NonNullable<LabSnapshot['unavailableSteps']>>([]);
  stepIndex = $state(0);
  hintsShown = $state(0);
  solution = $state<SolutionView>('hidden');
  solutionAction = $state<SolutionAction>('show');
  doIt = $state<DoItState>({ phase: 'idle' });
  coachHints = $state<CoachHint[]>([]);
  resetPhase = $state<ResetPhase>('idle');
  resetResult = $state<ResetResult | null>(null);
  resetError = $state('');
  /** The lesson's setup in this lab (null: none, or not known yet). */
  setup = $state<LabSetupResult | null>(null);
  setupBusy = $state(false);
  setupError = $state('');
  /** Checkpoints that passed a moment ago (highlighted for CELEBRATION_MS). */
  justPassed = $state<string[]>([]);
  /** The last checkpoint changes (passed, not yet with a reason, waiting again): the live region announces them. */
  announced = $state<CheckpointChange[]>([]);
  /** The text pane's width in percent. */
  split = $state(DEFAULT_SPLIT);
  helpOpen = $state(false);

  readonly tabs: TerminalTabs;
  readonly quiz: QuizState;
  readonly quizContext: QuizContext;
  /** An instructor folder's commands run only after the learner saw them and agreed. */
  readonly consent: ConsentGate;

  readonly statusMap = $derived(toStatusMap(this.statuses));
  readonly step: LessonStep | undefined = $derived(this.lesson?.steps[this.stepIndex]);
  /** What the engine lacks for the whole lesson (its own `requires`, which every step carries); empty: nothing. */
  readonly lessonUnmet: UnmetNeed[] = $derived.by(() => {
    const needs = this.lesson?.requires ?? [];
    return needs.length === 0 ? [] : (this.unavailableSteps[0]?.unmet ?? []).filter((u) => needs.includes(u.need));
  });
  /** What the engine lacks for the current step beyond the lesson's own needs (empty: it can be done here). */
  readonly stepUnmet: UnmetNeed[] = $derived(
    (this.unavailableSteps.find((s) => s.stepId === this.step?.id)?.unmet ?? []).filter((u) => !this.lessonUnmet.some((l) => l.need === u.need)),
  );
  readonly complete = $derived(this.lesson ? isLessonComplete(this.lesson, this.statusMap) : false);
  readonly stepCheckpoints: CheckpointInfo[] = $derived.by(() => {
    const { lesson, step } = this;
    return lesson && step ? stepCheckpointIds(lesson, step).flatMap((id) => lesson.checkpoints.find((c) => c.id === id) ?? []) : [];
  });

  readonly #api: LabApi;
  readonly #storage: SplitStorage | undefined;
  readonly #onStepChange: () => void;
  #doItAbort: AbortController | null = null;
  #stopped = false;

  constructor(options: LessonSessionOptions) {
    const { lessonId, api } = options;
    this.lessonId = lessonId;
    this.#api = api;
    this.#storage = options.storage ?? pageStorage();
    this.#onStepChange = options.onStepChange ?? (() => {});
    this.split = this.#readSplit();
    this.tabs = new TerminalTabs(api);
    this.quiz = new QuizState((quizId, choice) => api.call('quiz.answer', { lessonId, quizId, choice }));
    this.quizContext = {
      quiz: (id) => this.lesson?.quizzes.find((q) => q.id === id),
      checkpoint: (id) => statusOf(this.statusMap, id),
      state: this.quiz,
    };
    this.consent = new ConsentGate({
      check: () => api.call('lessons.consent', { lessonId }),
      // Consent is to the lesson as shown: the main process refuses it if the lesson changed since.
      allow: () => api.call('lessons.allow', { lessonId, fingerprint: this.lesson?.fingerprint ?? '' }),
    });
  }

  /** Listens for checkpoints and coach hints and loads the lesson; the returned function ends the session. */
  start(): () => void {
    const offCheckpoints = this.#api.on('checkpoints.changed', (payload) => {
      if (payload.lessonId === this.lessonId) this.#applyStatuses(payload.checkpoints, true);
    });
    // Hints explain; they never change a checkpoint.
    const offCoach = this.#api.on('coach.hint', (hint) => {
      this.coachHints = pushHint(this.coachHints, hint);
    });
    void this.load();
    return () => {
      this.#stopped = true;
      this.#doItAbort?.abort();
      offCheckpoints();
      offCoach();
      // Terminals close themselves as they unmount; the lab stops tracking here.
      this.#api.call('lab.close', {}).catch(() => {});
    };
  }

  checkpoint(id: string): CheckpointInfo | undefined {
    return this.lesson?.checkpoints.find((c) => c.id === id);
  }

  async load(): Promise<void> {
    this.loadError = '';
    try {
      // Consent is known before any Run button shows (consent.load never throws).
      [this.lesson] = await Promise.all([this.#api.call('lessons.get', { id: this.lessonId }), this.consent.load()]);
    } catch (err) {
      if (!this.#stopped) this.loadError = errorMessage(err);
      return;
    }
    if (this.#stopped) return;
    this.tabs.open(HOST_TERMINAL);
    await this.openLab();
  }

  async openLab(): Promise<void> {
    this.labError = '';
    try {
      const snapshot = await this.#api.call('lab.open', { lessonId: this.lessonId });
      if (this.#stopped) return;
      this.labOpen = true;
      this.unavailableSteps = snapshot.unavailableSteps ?? [];
      // The app sets a fresh lab up as the lesson says (an instructor's lesson waits for consent).
      if (this.lesson?.setup?.length) await this.#setupNow();
      this.#applyStatuses(snapshot.checkpoints, false);
      if (this.lesson) this.stepIndex = initialStepIndex(this.lesson, snapshot.progress.stepId);
    } catch (err) {
      if (!this.#stopped) this.labError = errorMessage(err);
    }
  }

  #applyStatuses(next: CheckpointStatus[], celebrate: boolean): void {
    const passedNow = celebrate ? newlyPassed(this.statusMap, next) : [];
    const changes = celebrate ? statusChanges(this.statusMap, next) : [];
    this.statuses = next;
    if (changes.length > 0) this.announced = changes;
    if (passedNow.length === 0) return;
    this.justPassed = [...this.justPassed, ...passedNow];
    setTimeout(() => {
      this.justPassed = this.justPassed.filter((id) => !passedNow.includes(id));
    }, CELEBRATION_MS);
  }

  goToStep(index: number): void {
    const lesson = this.lesson;
    if (!lesson || index < 0 || index >= lesson.steps.length || index === this.stepIndex) return;
    this.stepIndex = index;
    this.hintsShown = 0;
    this.solution = 'hidden';
    this.solutionAction = 'show';
    this.#doItAbort?.abort();
    this.doIt = { phase: 'idle' };
    this.#onStepChange();
    const stepId = lesson.steps[index]?.id;
    if (stepId) {
      this.#api.call('progress.setStep', { lessonId: this.lessonId, stepId }).catch((err: unknown) => console.warn('progress.setStep failed', err));
    }
  }

  showHint(): void {
    this.hintsShown++;
    this.#helpUsed('hint', this.hintsShown);
  }

  /** Tells the main process (the class sees it; a challenge's coach speaks only after help was asked for). */
  #helpUsed(kind: 'hint' | 'solution', n?: number): void {
    const stepId = this.step?.id;
    if (!stepId || !this.lesson) return;
    this.#api.call('lab.helpUsed', { lessonId: this.lessonId, stepId, kind, ...(n !== undefined ? { n } : {}) }).catch((err: unknown) => console.warn('lab.helpUsed failed', err));
  }

  askReset(): void {
    this.resetResult = null;
    this.resetPhase = 'confirm';
  }

  cancelReset(): void {
    this.resetPhase = 'idle';
  }

  async reset(): Promise<void> {
    this.resetPhase = 'busy';
    this.resetError = '';
    this.resetResult = null;
    try {
      this.resetResult = await this.#api.call('lab.reset', {});
      // A reset lab starts again as the lesson sets it up.
      if (this.lesson?.setup?.length) await this.#setupNow();
      // Checking is automatic, but re-evaluating now keeps the list honest right after a reset.
      const fresh = await this.#api.call('lab.evaluate', {});
      if (!this.#stopped) this.#applyStatuses(fresh, false);
    } catch (err) {
      if (!this.#stopped) this.resetError = errorMessage(err);
    } finally {
      this.resetPhase = 'idle';
    }
  }

  /** Runs the lesson's setup again; an instructor's lesson asks for consent first. */
  runSetup(): void {
    this.consent.request(() => void this.#setupNow());
  }

  async #setupNow(): Promise<void> {
    this.setupBusy = true;
    this.setupError = '';
    try {
      const result = await this.#api.call('lab.setup', { lessonId: this.lessonId });
      if (this.#stopped) return;
      this.setup = result;
      this.#applyStatuses(await this.#api.call('lab.evaluate', {}), false);
    } catch (err) {
      if (!this.#stopped) this.setupError = errorMessage(err);
    } finally {
      this.setupBusy = false;
    }
  }

  /** Whether a shortcut applies now: only with a lesson shown, and while the help is open only ? (to close it). */
  acceptsShortcut(action: ShortcutAction): boolean {
    return !!this.lesson && (!this.helpOpen || action.kind === 'help');
  }

  /** The shortcuts that need no element: steps, search, help and terminal tabs (the view handles the rest). */
  shortcut(action: ShortcutAction): void {
    if (action.kind === 'next-step') this.goToStep(this.stepIndex + 1);
    else if (action.kind === 'prev-step') this.goToStep(this.stepIndex - 1);
    else if (action.kind === 'search') this.tabs.searchActive();
    else if (action.kind === 'help') this.helpOpen = !this.helpOpen;
    else if (action.kind === 'switch-tab') {
      const tab = this.tabs.tabs[action.index];
      if (!tab) return;
      this.tabs.activate(tab.key);
      this.tabs.focusActive();
    }
  }

  /** From the map or a container's name in the text: its shell tab, focused. */
  openShell(name: string): void {
    this.tabs.open(name);
    this.tabs.focusActive();
  }

  /** A Run button: through the consent gate, into the named terminal. */
  runCode(terminal: string, run: RunRef): void {
    this.runError = '';
    // A terminal that cannot open says so in its own tab; a Run the main process refused says why here.
    this.consent.request(
      () =>
        void this.#runIn(terminal, run).catch((err: unknown) => {
          if (!this.#stopped) this.runError = errorMessage(err);
        }),
    );
  }

  dismissRunError(): void {
    this.runError = '';
  }

  dismissCoachHint(key: string): void {
    this.coachHints = dismissHint(this.coachHints, key);
  }

  /** Has the main process type what a Run names into the terminal's running session. */
  #runIn(terminal: string, run: RunRef): Promise<void> {
    const shown = this.lesson;
    const stepId = this.step?.id;
    if (!shown || !stepId) return Promise.reject(new Error('No lesson is open.'));
    const target = run.kind === 'block' ? run : { kind: 'solution' as const, stepId, from: run.from, count: run.count };
    const lessonId = this.lessonId;
    return this.tabs.run(terminal, (terminalId) => this.#api.call('lessons.run', { lessonId, fingerprint: shown.fingerprint, terminalId, target }));
  }

  askSolution(action: SolutionAction): void {
    this.solutionAction = action;
    this.solution = 'confirm';
  }

  cancelSolution(): void {
    this.solution = 'hidden';
  }

  confirmSolution(): void {
    this.solution = 'shown';
    this.#helpUsed('solution');
    if (this.solutionAction === 'run') this.requestDoIt();
  }

  /** "Do it for me", through the consent gate. */
  requestDoIt(): void {
    if (this.step) this.consent.request(() => void this.#doItForMe());
  }

  stopDoIt(): void {
    this.#doItAbort?.abort();
  }

  /** Types the step's solution into its terminals, one command at a time. Never advances the step. */
  async #doItForMe(): Promise<void> {
    const step = this.step;
    if (!step || this.doIt.phase === 'running') return;
    const commands = step.solution;
    const total = commands.length;
    const controller = new AbortController();
    this.#doItAbort = controller;
    this.doIt = { phase: 'running', done: 0, total };
    const outcome = await runSolution(commands, {
      send: (terminal, index) => this.#runIn(terminal, { kind: 'solution', from: index, count: 1 }),
      waitForHost: (count) =>
        waitForHostCommands(
          (listener) => this.#api.on('terminal.command', listener),
          () => this.tabs.sessionId(HOST_TERMINAL),
          count,
          HOST_COMMAND_TIMEOUT_MS,
        ),
      hostReportsCommands: () => this.tabs.reportsCommands(HOST_TERMINAL),
      delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      signal: controller.signal,
      onProgress: (done) => {
        if (this.#doItAbort === controller) this.doIt = { phase: 'running', done, total };
      },
    });
    if (this.#stopped || this.#doItAbort !== controller) return;
    this.#doItAbort = null;
    this.doIt = { phase: 'ended', outcome, total };
    this.tabs.open(HOST_TERMINAL);
    this.tabs.focusActive();
  }

  /** While the divider moves. */
  setSplit(value: number): void {
    this.split = value;
  }

  /** When a drag or key press on the divider ends. */
  saveSplit(value: number): void {
    this.split = value;
    try {
      this.#storage?.setItem(SPLIT_KEY, String(Math.round(value)));
    } catch {
      // Not persisted; fine.
    }
  }

  #readSplit(): number {
    try {
      const value = Number(this.#storage?.getItem(SPLIT_KEY));
      return value >= 20 && value <= 80 ? value : DEFAULT_SPLIT;
    } catch {
      return DEFAULT_SPLIT;
    }
  }
}
