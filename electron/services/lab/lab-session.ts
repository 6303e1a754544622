// One open lesson's lab: the lesson, what the learner did in it since it
// opened (Docker API calls the relay saw, commands, terminal output, quiz
// answers), the objects they chose to
// use, the Docker host view it started, and the checkpoint engine that judges
// all of it against the tracker's live model. Open, evaluate, reset, close.
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { EventSink } from '../../api/contract';
import { LabError } from '../../api/errors';
import { HOST_TERMINAL } from '../../api/types';
import type { CheckpointStatus, CommandRecord, DoctorFindings, LabSetupResult, LabSnapshot, NameConflict, QuizAnswer, ResetResult, UnmetNeed } from '../../api/types';
import { CheckpointEngine } from '../checkpoints/checkpoint-engine';
import type { ConditionContext } from '../checkpoints/conditions';
import { runProbe } from '../checkpoints/probe';
import { reasons } from '../checkpoints/reasons';
import { unavailableSteps } from '../docker/doctor';
import { APP_LABEL, ensureHostView, removeAppContainers } from '../docker/host-view';
import type { LoadedLesson } from '../lessons/lesson-files';
import { log } from '../log/logger';
import type { ProgressStore } from '../progress/progress-store';
import type { LessonConsents } from '../settings/lesson-consent';
import type { EngineRecord } from '../relay/engine-record';
import type { HostRelays } from '../relay/host-relays';
import type { TerminalManager } from '../terminals/terminal-manager';
import { createdNames } from '../lessons/setup-command';
import { isLabsDoing } from './attribution';
import { runSetup } from './lab-setup';
import { findNameConflicts, matchConflict, removeConflict } from './conflicts';
import { OutputLog } from './output-log';
import { LabTracker } from './tracker';

/** Host-shell commands and engine records kept for the checkpoints; older ones are dropped. */
const MAX_COMMANDS = 1000;
const MAX_ENGINE_RECORDS = 5000;

interface LabSessionOptions {
  docker: Dockerode;
  /** The engine's address, for the log. */
  endpoint: string;
  /** Holds the lab's ledger. */
  dataDir: string;
  /** Receives 'checkpoints.changed', 'topology.changed' and 'engine.status'. */
  sink: EventSink;
  terminals: TerminalManager;
  /** The host shells' lab relays: their records are evidence, and what they create while a lab is open is labelled. */
  relays: HostRelays;
  progress: ProgressStore;
  consents: LessonConsents;
  /** The lab doctor's findings: a step this engine cannot do is set aside, not failed. */
  doctor?: () => Promise<DoctorFindings | undefined>;
  /** The environment the docker CLI runs setup commands in (PATH); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export class LabSession {
  /** Docker's events → the live model, and the ledger of what the lab created. */
  readonly tracker: LabTracker;
  private readonly engine: CheckpointEngine;
  private current: LoadedLesson | undefined;
  /** Output is kept only for a lesson with an output checkpoint. */
  private watchesOutput = false;
  private readonly commands: CommandRecord[] = [];
  private readonly engineRecords: EngineRecord[] = [];
  private readonly outputs = new OutputLog();
  /** Quizzes answered correctly since the lab opened. */
  private readonly quizzesRight = new Set<string>();
  /** Help asked for since the lab opened: per step, the hints revealed plus 1 for a solution seen. */
  private readonly help = new Map<string, number>();
  /** Per lesson: ids of the learner's own objects they chose to use (never in the ledger, never reset). */
  private readonly adopted = new Map<string, Set<string>>();
  /** Whether this session started the Docker host view (and so removes it at the end). */
  private openedHostView = false;
  /** The tracker starts with the first lab; a missing engine is retried, never fatal. */
  private trackerStarted: Promise<void> | undefined;
  /** One setup at a time: a second waits for the first. */
  private settingUp: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LabSessionOptions) {
    const { docker, terminals, relays, sink, progress } = options;
    this.tracker = new LabTracker(docker, {
      ledgerFile: join(options.dataDir, 'lab-ledger.json'),
      ignoreLabel: APP_LABEL,
      labLabel: relays.label,
      attribute: (kind, name) => isLabsDoing(kind, name, this.current?.lesson.names),
    });
    // What a host shell creates while a lesson is open is the lab's: labelled.
    relays.labelCreates(() => this.current !== undefined);
    relays.onRecord((_terminalId, record) => {
      if (!this.current) return;
      this.engineRecords.push(record);
      if (this.engineRecords.length > MAX_ENGINE_RECORDS) this.engineRecords.splice(0, this.engineRecords.length - MAX_ENGINE_RECORDS);
      this.engine.trigger();
    });
    this.engine = new CheckpointEngine({
      context: this.conditionContext(),
      onChange: (checkpoints) => {
        if (this.current) sink.emit('checkpoints.changed', { lessonId: this.current.lesson.id, checkpoints });
      },
      onPassed: (passed) => {
        if (this.current) void progress.markPassed(this.current.lesson.id, passed);
      },
    });

    this.tracker.onChange(({ topology }) => {
      sink.emit('topology.changed', topology);
      this.engine.trigger();
    });
    this.tracker.onConnection((reachable, message) => {
      if (reachable) log.info('docker engine connected', { endpoint: options.endpoint });
      else log.warn('docker engine disconnected', { endpoint: options.endpoint, ...(message ? { reason: message } : {}) });
      sink.emit('engine.status', { reachable, ...(message ? { message } : {}) });
      if (reachable) this.engine.resume();
      else this.engine.pause();
    });
    terminals.onCommand((rec) => {
      if (!this.current) return;
      this.commands.push(rec);
      if (this.commands.length > MAX_COMMANDS) this.commands.splice(0, this.commands.length - MAX_COMMANDS);
      this.engine.trigger();
    });
    terminals.onOutput((_id, key, text) => {
      if (!this.current || !this.watchesOutput) return;
      this.outputs.append(key, text);
      this.engine.trigger();
    });
  }

  /** The open lesson, if any. */
  get lesson(): LoadedLesson | undefined {
    return this.current;
  }

  /** Whether the tracker runs (it starts with the first lab). */
  get tracking(): boolean {
    return this.trackerStarted !== undefined;
  }

  /** The tracker, started if it was not; rejects while the engine is unreachable. */
  async started(): Promise<LabTracker> {
    const { endpoint } = this.options;
    await (this.trackerStarted ??= this.tracker.start().then(
      () => log.info('docker engine connected', { endpoint }),
      (err: unknown) => {
        this.trackerStarted = undefined;
        log.warn('docker engine not reachable', { endpoint, err });
        throw err;
      },
    ));
    return this.tracker;
  }

  /** Opens a lesson's lab: earlier passes count, everything else is evaluated now. */
  async open(next: LoadedLesson): Promise<LabSnapshot> {
    const lessonId = next.lesson.id;
    const { progress } = this.options;
    this.engine.close();
    this.current = next;
    this.commands.length = 0;
    this.engineRecords.length = 0;
    this.outputs.clear();
    this.quizzesRight.clear();
    this.help.clear();
    this.watchesOutput = [...next.defs.values()].some((d) => d.when.some((c) => c.kind === 'output'));
    const unavailable = await this.unavailable(next);
    if (this.current !== next) throw new LabError('Another lesson was opened meanwhile.', 'busy');
    this.engine.open([...next.defs.values()], progress.lesson(lessonId).passed, unavailable.checkpoints);
    try {
      await this.started();
      this.tracker.beginRecording();
      await this.engine.evaluate();
    } catch (err) {
      // The lesson stays readable without an engine; checkpoints wait for it.
      this.engine.pause();
      this.options.sink.emit('engine.status', { reachable: false, message: err instanceof Error ? err.message : String(err) });
    }
    return {
      lessonId,
      checkpoints: this.engine.statuses(),
      ...(unavailable.steps.length > 0 ? { unavailableSteps: unavailable.steps } : {}),
      topology: this.tracking ? this.tracker.topology() : { networks: [], containers: [] },
      progress: progress.lesson(lessonId),
    };
  }

  /**
   * Runs the open lesson's setup (docs/authoring.md, "Setup"): not for an instructor's lesson the
   * learner has not allowed, not again while the lab holds what it makes (a reset clears the way).
   */
  async setup(loaded: LoadedLesson): Promise<LabSetupResult> {
    const run = this.settingUp.then(() => this.runSetupNow(loaded));
    this.settingUp = run.catch(() => undefined);
    return run;
  }

  private async runSetupNow(loaded: LoadedLesson): Promise<LabSetupResult> {
    const commands = loaded.lesson.setup ?? [];
    if (commands.length === 0) return { state: 'none' };
    if (this.current !== loaded) throw new LabError(`The lab of lesson ${loaded.lesson.id} is not open.`, 'no-lab');
    if (!this.options.consents.granted(loaded)) return { state: 'needs-consent' };
    const tracker = await this.started();
    await tracker.settled();
    const made = commands.filter((c) => c.terminal === HOST_TERMINAL).flatMap((c) => createdNames(c.command));
    const there = made.map((m) => (m.kind === 'container' ? tracker.container(m.name) : tracker.network(m.name))).filter((n) => n !== undefined);
    const notLabs = there.filter((n) => !n.createdByLab && !this.adopted.get(loaded.lesson.id)?.has(n.id));
    if (notLabs.length > 0) {
      const names = notLabs.map((n) => n.name).join(', ');
      return { state: 'failed', failed: { command: '', message: `Not the lab's, and in the way of its setup: ${names}. Resolve the name conflict, then set up the lab again.` } };
    }
    if (there.length > 0) return { state: 'present', present: there.map((n) => n.name) };
    const failed = await runSetup(commands, this.options.relays, this.options.env ?? process.env);
    // Everything setup made must be in the model (and the ledger) before anything is judged.
    await tracker.resync();
    log.info(failed ? 'lab setup failed' : 'lab setup done', { lessonId: loaded.lesson.id, ...(failed ? { failed } : {}) });
    this.engine.trigger();
    return failed ? { state: 'failed', failed } : { state: 'done' };
  }

  /** The steps this engine cannot do, and their lab checkpoints (a quiz needs no engine: it stays). */
  private async unavailable(loaded: LoadedLesson): Promise<{ steps: { stepId: string; unmet: UnmetNeed[] }[]; checkpoints: Map<string, UnmetNeed[]> }> {
    const needy = loaded.lesson.steps.some((s) => (s.requires ?? []).length > 0);
    const findings = needy ? await this.options.doctor?.().catch(() => undefined) : undefined;
    const byStep = unavailableSteps(loaded.lesson.steps, findings);
    const checkpoints = new Map<string, UnmetNeed[]>();
    for (const step of loaded.lesson.steps) {
      const unmet = byStep.get(step.id);
      if (!unmet) continue;
      for (const id of step.checkpointIds) if (!loaded.quizzes.has(id)) checkpoints.set(id, unmet);
    }
    return { steps: [...byStep].map(([stepId, unmet]) => ({ stepId, unmet })), checkpoints };
  }

  close(): void {
    this.engine.close();
    this.current = undefined;
    this.help.clear();
    this.commands.length = 0;
    this.engineRecords.length = 0;
    this.outputs.clear();
    if (this.tracking) this.tracker.endRecording();
  }

  /** The learner revealed a hint or the solution of a step of the open lesson; false when it is not open (a race with closing). */
  helpUsed(lessonId: string, stepId: string): boolean {
    const lesson = this.current?.lesson;
    if (lesson?.id !== lessonId || !lesson.steps.some((s) => s.id === stepId)) return false;
    this.help.set(stepId, (this.help.get(stepId) ?? 0) + 1);
    return true;
  }

  /**
   * In a Challenges lesson the coach waits until the learner asks for help on the step they are on:
   * its hints name causes and fixes, and the symptom a challenge shows must not arrive with its fix.
   */
  coachHeld(): boolean {
    const lesson = this.current?.lesson;
    if (lesson?.part !== 'challenges') return false;
    const stepId = this.options.progress.lesson(lesson.id).stepId ?? lesson.steps[0]?.id;
    return stepId === undefined || (this.help.get(stepId) ?? 0) === 0;
  }

  /** Removes exactly what the lab created (and the app's helpers), nothing else. */
  async reset(): Promise<ResetResult> {
    await this.started();
    const [result, helpers] = await Promise.all([this.tracker.reset(), removeAppContainers(this.options.docker)]);
    result.removedContainers.push(...helpers);
    // Commands and calls seen before the reset must not pass a checkpoint against the new state.
    this.commands.length = 0;
    this.engineRecords.length = 0;
    this.outputs.clear();
    this.engine.trigger();
    return result;
  }

  /** Every checkpoint, once the tracker has applied the events it received. */
  async evaluate(): Promise<CheckpointStatus[]> {
    if (this.tracking) await this.tracker.settled();
    return this.engine.evaluate();
  }

  /** A right answer counts for the lesson whose lab is open. */
  async answer(loaded: LoadedLesson, quizId: string, choice: number): Promise<QuizAnswer> {
    const quiz = loaded.quizzes.get(quizId);
    const picked = quiz?.choices[choice];
    if (!quiz || !picked) throw new LabError(`Lesson ${loaded.lesson.id} has no quiz "${quizId}" with choice ${choice}.`, 'not-found');
    if (picked.correct && this.current?.lesson.id === loaded.lesson.id) {
      this.quizzesRight.add(quizId);
      await this.engine.evaluate();
    }
    return { correct: picked.correct, explanation: picked.explanation };
  }

  /** The learner's own objects holding the lesson's names: not in the ledger, not chosen for use. */
  async conflicts(loaded: LoadedLesson): Promise<NameConflict[]> {
    const tracker = await this.started();
    // An object the lab just created must reach the ledger before it is judged.
    await tracker.settled();
    const ledger = tracker.ledger();
    const mine = new Set([...ledger.containers, ...ledger.networks, ...(this.adopted.get(loaded.lesson.id) ?? [])]);
    return findNameConflicts(this.options.docker, { names: loaded.lesson.names, skip: (id) => mine.has(id), ignoreLabel: APP_LABEL });
  }

  /** 'use' adopts the learner's object for this lesson (never reset); 'remove' deletes exactly that id. */
  async resolveConflict(
    loaded: LoadedLesson,
    pick: Pick<NameConflict, 'kind' | 'name' | 'id'>,
    action: 'use' | 'remove',
  ): Promise<NameConflict[]> {
    const conflict = matchConflict(await this.conflicts(loaded), pick);
    if (action === 'use') {
      const ids = this.adopted.get(loaded.lesson.id) ?? new Set<string>();
      ids.add(conflict.id);
      this.adopted.set(loaded.lesson.id, ids);
    } else {
      await removeConflict(this.options.docker, conflict);
    }
    return this.conflicts(loaded);
  }

  /** The Docker host view's helper container, started if need be; the session removes it when it ends. */
  async hostView(): Promise<string> {
    const container = await ensureHostView(this.options.docker, { dataDir: this.options.dataDir });
    this.openedHostView = true;
    return container;
  }

  /** The app stops: checking ends, the terminals close, then the host view (their container) and the tracker go. */
  async dispose(): Promise<void> {
    this.engine.close();
    await this.options.terminals.closeAll();
    if (this.openedHostView) await removeAppContainers(this.options.docker).catch(() => undefined);
    if (this.tracking) await this.tracker.stop().catch(() => undefined);
  }

  private conditionContext(): ConditionContext {
    const { docker, consents } = this.options;
    return {
      container: (name) => this.tracker.container(name),
      network: (name) => this.tracker.network(name),
      commands: () => this.commands,
      engineRecords: () => this.engineRecords,
      output: (key) => this.outputs.get(key),
      // A probe runs unasked: only in what the lab created or the learner chose to use, and for an
      // instructor's lesson only once the learner allowed it.
      probeRefusal: (node) => {
        const { current } = this;
        if (current && !consents.granted(current)) return reasons.probeNeedsConsent();
        const chosen = current ? this.adopted.get(current.lesson.id)?.has(node.id) : false;
        return node.createdByLab || chosen ? undefined : reasons.probeNotLabs(node.name);
      },
      probe: (containerId, command, timeoutMs) => runProbe(docker, containerId, command, timeoutMs),
      quizCorrect: (id) => this.quizzesRight.has(id),
    };
  }
}
