// The composition root: builds every service and implements the API contract
// on top of them. Both transports (Electron IPC, browser mode) serve these
// handlers; nothing here knows which one is in use.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EventSink, Handlers } from '../../api/contract';
import { LabError } from '../../api/errors';
import { DOCKER_HOST_TERMINAL, type CommandRecord, type ContainerNetworkSettings, type LessonProblem, type NameConflict } from '../../api/types';
import { CheckpointEngine } from '../checkpoints/checkpoint-engine';
import type { ConditionContext } from '../checkpoints/conditions';
import { runProbe } from '../checkpoints/probe';
import { coachCommands } from '../coach';
import { createDocker } from '../docker/client';
import { APP_LABEL, ensureHostView, removeAppContainers } from '../docker/host-view';
import { exportImagePack, importImagePack, lessonImageNames } from '../docker/image-pack';
import { pullImage } from '../docker/images';
import { runPreflight } from '../docker/preflight';
import { createOperationRunner, DEFAULT_ENGINE_TIMEOUT_MS, DEFAULT_SLOW_AFTER_MS, durationFromEnv, withIdleDeadline } from '../docker/deadline';
import { findNameConflicts, matchConflict, removeConflict } from '../lab/conflicts';
import { LabTracker } from '../lab/tracker';
import { loadLessons, type LessonCache, type LoadedLesson } from '../lessons/loader';
import { readPrebuilt, type PrebuiltLessons } from '../lessons/prebuilt-lessons';
import { ProgressStore } from '../progress/progress-store';
import { TerminalManager } from '../terminals/terminal-manager';
import { OutputLog } from './output-log';
import { wrapHandlers } from './handler-wrappers';
import { createSettingsHandlers } from '../settings/settings-handlers';
import { lessonChanged, LessonConsents, type AskConsent } from '../settings/lesson-consent';
import { commandsOf } from '../lessons/runnable';
import { commandsToInput } from '../../api/command-input';
import { reasons } from '../checkpoints/reasons';
import { SettingsStore, settingsFileIn } from '../settings/settings-store';
import { currentLogDir, flushAppLog, knownSecrets, log, openAppLog, readLastLines } from '../log/logger';
import { engineFacts, formatProblemReport, osFacts, REPORT_LOG_LINES, runtimeFacts, writeProblemReport } from './problem-report';

export interface LessonSource {
  dir: string;
  source: 'builtin' | 'extra';
  /** The build's parsed snapshot of this folder (builtin-lessons.json): folders it matches are not parsed. */
  prebuilt?: string;
}

export interface ServicesOptions {
  dataDir: string;
  lessons: LessonSource[];
  appVersion: string;
  transport: 'ipc' | 'websocket';
  env?: NodeJS.ProcessEnv;
  /** Host shell without the learner's rc files (tests). */
  cleanShellRc?: boolean;
  /** The settings file, in the default data directory (default: settings.json in dataDir). */
  settingsFile?: string;
  /** How long an operation the UI waits on may wait for the engine (default 30 s). */
  engineTimeoutMs?: number;
  /** When a waiting operation is reported as slow (default 1.5 s). */
  slowAfterMs?: number;
  /** The desktop app's own consent dialog (main process); without it the page asks (browser mode). */
  askConsent?: AskConsent;
  /**
   * The desktop app's own file dialogs: image packs are then read and written only where the
   * learner chose in them, never at a path the page sends. undefined: the learner cancelled.
   */
  chooseFile?: (purpose: 'export-pack' | 'import-pack') => Promise<string | undefined>;
}

/**
 * Whether a container or network that just appeared is the lab's doing: it has
 * one of the lesson's names, or a command running in the lab's host shell names
 * it (or is a `docker run`/`create` that lets Docker pick the name). What another
 * program creates on the same engine meanwhile is left alone by a reset.
 */
export function isLabsDoing(
  kind: 'container' | 'network',
  name: string,
  lessonNames: { containers: string[]; networks: string[] } | undefined,
  runningCommands: readonly string[],
): boolean {
  if (lessonNames && (kind === 'container' ? lessonNames.containers : lessonNames.networks).includes(name)) return true;
  const word = new RegExp(`(^|[\\s=:'"])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s'";&|])`);
  return runningCommands.some(
    (cmd) => word.test(cmd) || (kind === 'container' && /\bdocker\s+(container\s+)?(run|create)\b/.test(cmd) && !/--name\b/.test(cmd)),
  );
}

export interface Services {
  handlers: Handlers;
  /** Stops every terminal and subscription this instance started. */
  dispose(): Promise<void>;
}

export async function createServices(options: ServicesOptions, sink: EventSink): Promise<Services> {
  await mkdir(options.dataDir, { recursive: true });
  // Idempotent: the app's entry point usually opened it already, in the same data dir.
  await openAppLog(options.dataDir);
  const { docker, endpoint } = createDocker(options.env);
  const env = options.env ?? process.env;
  const engineTimeoutMs = options.engineTimeoutMs ?? durationFromEnv(env.NETLAB_ENGINE_TIMEOUT_MS) ?? DEFAULT_ENGINE_TIMEOUT_MS;
  const runOperation = createOperationRunner({
    endpoint,
    timeoutMs: engineTimeoutMs,
    slowAfterMs: options.slowAfterMs ?? durationFromEnv(env.NETLAB_SLOW_AFTER_MS) ?? DEFAULT_SLOW_AFTER_MS,
    report: (progress) => sink.emit('operation.progress', progress),
  });
  /** Per lesson: ids of the learner's own objects they chose to use (never in the ledger, never reset). */
  const adopted = new Map<string, Set<string>>();
  const progress = new ProgressStore(join(options.dataDir, 'progress.json'));
  await progress.load();
  const settings = new SettingsStore(options.settingsFile ?? settingsFileIn(options.dataDir));
  await settings.load();
  const consents = new LessonConsents(settings, (lessonId) => lessonFolders.get(lessonId), options.askConsent);
  const tracker = new LabTracker(docker, {
    ledgerFile: join(options.dataDir, 'lab-ledger.json'),
    ignoreLabel: APP_LABEL,
    attribute: (kind, name) => isLabsDoing(kind, name, current?.lesson.names, terminals.activeHostCommands()),
  });
  const terminals = new TerminalManager({
    docker,
    sink,
    dataDir: options.dataDir,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cleanShellRc ? { cleanRc: true } : {}),
  });

  let lessons = new Map<string, LoadedLesson>();
  let problems: LessonProblem[] = [];
  let current: LoadedLesson | undefined;
  let watchesOutput = false;
  const commands: CommandRecord[] = [];
  /** Whether this instance started the Docker host view (and so removes it when it stops). */
  let openedHostView = false;
  /** Quizzes answered correctly in this lab session. */
  const quizzesRight = new Set<string>();
  const outputs = new OutputLog();

  /** Extra lesson id -> the folder it came from (for consent, per folder). */
  let lessonFolders = new Map<string, string>();
  /** The folders given at start, then the ones opened from the UI (persisted in settings). */
  function lessonSources(): LessonSource[] {
    const given = options.lessons.map((l) => ({ ...l, dir: resolve(l.dir) }));
    const opened = settings.get().lessonFolders.filter((dir) => !given.some((g) => g.dir === dir));
    return [...given, ...opened.map((dir) => ({ dir, source: 'extra' as const }))];
  }

  /** Unchanged lesson folders are not parsed again on every lessons.list. */
  const lessonCache: LessonCache = new Map();
  const prebuilt = new Map<string, PrebuiltLessons | undefined>();
  function prebuiltFor(file: string | undefined): PrebuiltLessons | undefined {
    if (!file) return undefined;
    if (!prebuilt.has(file)) prebuilt.set(file, readPrebuilt(file));
    return prebuilt.get(file);
  }
  async function reloadLessons(): Promise<void> {
    const next = new Map<string, LoadedLesson>();
    const folders = new Map<string, string>();
    const found: LessonProblem[] = [];
    for (const { dir, source, prebuilt: snapshot } of lessonSources()) {
      const loaded = await loadLessons(dir, source, lessonCache, prebuiltFor(snapshot));
      found.push(...loaded.problems);
      for (const l of loaded.lessons) {
        const other = next.get(l.lesson.id);
        if (other) {
          found.push({ file: join(l.dir, 'lesson.yaml'), line: 1, message: `lesson id "${l.lesson.id}" is already used by ${other.dir}` });
          continue;
        }
        next.set(l.lesson.id, l);
        folders.set(l.lesson.id, dir);
      }
    }
    lessons = next;
    lessonFolders = folders;
    problems = found;
  }

  function lesson(id: string): LoadedLesson {
    const l = lessons.get(id);
    if (!l) throw new LabError(`There is no lesson "${id}".`, 'not-found');
    return l;
  }

  const context: ConditionContext = {
    container: (name) => tracker.container(name),
    network: (name) => tracker.network(name),
    commands: () => commands,
    output: (terminal) => outputs.get(terminal),
    // A probe runs unasked: only in what the lab created or the learner chose to use, and for an
    // instructor's lesson only once the learner allowed it.
    probeRefusal: (node) => {
      if (current && !consents.granted(current)) return reasons.probeNeedsConsent();
      const chosen = current ? adopted.get(current.lesson.id)?.has(node.id) : false;
      return node.createdByLab || chosen ? undefined : reasons.probeNotLabs(node.name);
    },
    probe: (containerId, command, timeoutMs) => runProbe(docker, containerId, command, timeoutMs),
    quizCorrect: (id) => quizzesRight.has(id),
  };
  const engine = new CheckpointEngine({
    context,
    onChange: (checkpoints) => {
      if (current) sink.emit('checkpoints.changed', { lessonId: current.lesson.id, checkpoints });
    },
    onPassed: (passed) => {
      if (current) void progress.markPassed(current.lesson.id, passed);
    },
  });

  tracker.onChange(({ topology }) => {
    sink.emit('topology.changed', topology);
    engine.trigger();
  });
  tracker.onConnection((reachable, message) => {
    if (reachable) log.info('docker engine connected', { endpoint });
    else log.warn('docker engine disconnected', { endpoint, ...(message ? { reason: message } : {}) });
    sink.emit('engine.status', { reachable, ...(message ? { message } : {}) });
    if (reachable) engine.resume();
    else engine.pause();
  });
  terminals.onCommand((rec) => {
    if (!current) return;
    commands.push(rec);
    if (commands.length > 1000) commands.splice(0, commands.length - 1000);
    engine.trigger();
  });
  terminals.onOutput((_id, name, text) => {
    if (!current || !watchesOutput) return;
    outputs.append(name, text);
    engine.trigger();
  });

  // Live hints about mistakes, from each finished command and the model; they never decide a checkpoint.
  const coaching = coachCommands({
    terminals,
    tracker,
    enabled: () => current !== undefined && trackerStarted !== undefined,
    lesson: () => current?.lesson.names,
    onHint: (hint) => sink.emit('coach.hint', hint),
  });

  // The tracker starts with the first lab; a missing engine is retried, never fatal.
  let trackerStarted: Promise<void> | undefined;
  function ensureTracker(): Promise<void> {
    const started = (trackerStarted ??= tracker.start().then(
      () => log.info('docker engine connected', { endpoint }),
      (err: unknown) => {
        trackerStarted = undefined;
        log.warn('docker engine not reachable', { endpoint, err });
        throw err;
      },
    ));
    return started;
  }

  function allImages(): string[] {
    return [...new Set([...lessons.values()].flatMap((l) => l.lesson.images))].sort();
  }

  await reloadLessons();

  const handlers: Handlers = {
    'app.info': async () => ({
      name: 'NetLab',
      version: options.appVersion,
      transport: options.transport,
      platform: process.platform,
      systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
    }),
    'app.reportProblem': async () => {
      log.info('problem report requested');
      await flushAppLog();
      const dir = currentLogDir();
      const content = formatProblemReport(
        {
          generatedAt: new Date().toISOString(),
          app: { version: options.appVersion, transport: options.transport },
          runtime: runtimeFacts(),
          os: osFacts(),
          engine: await engineFacts(docker, endpoint),
          dataDir: options.dataDir,
          ...(dir ? { logDir: dir } : {}),
        },
        dir ? await readLastLines(dir, REPORT_LOG_LINES) : [],
        knownSecrets(),
      );
      const written = await writeProblemReport(options.dataDir, content);
      log.info('problem report written', { file: written.file });
      return written;
    },
    'preflight.run': async () =>
      // The preflight has its own per-call deadlines and reports a timeout as a problem, not an error.
      runOperation('preflight.run', () => runPreflight(docker, endpoint, allImages(), Math.min(3000, engineTimeoutMs)), {
        what: 'checking the engine',
        deadline: false,
      }),
    'lessons.list': async () => {
      await reloadLessons();
      const summaries = [...lessons.values()]
        .map(({ lesson: l }) => ({
          id: l.id,
          order: l.order,
          title: l.title,
          summary: l.summary,
          images: l.images,
          stepCount: l.steps.length,
          checkpointCount: l.checkpoints.length,
          source: l.source,
        }))
        .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
      return { lessons: summaries, problems };
    },
    'lessons.get': async ({ id }) => lesson(id).lesson,
    'lessons.run': async ({ lessonId, fingerprint, terminalId, target }) => {
      const loaded = lesson(lessonId);
      if (loaded.lesson.fingerprint !== fingerprint) throw lessonChanged();
      if (!consents.granted(loaded)) {
        throw new LabError('This lesson comes from outside the built-in course: allow its commands first.', 'consent-needed');
      }
      const commands = commandsOf(loaded, target);
      const terminal = terminals.list().find((t) => t.id === terminalId);
      const wanted = commands[0]?.terminal;
      if (!terminal || terminal.name !== wanted) {
        throw new LabError(`These commands go to the ${wanted} terminal, not to ${terminal?.name ?? 'a closed terminal'}.`, 'bad-request');
      }
      const input = commands.map((c) => commandsToInput(c.command)).join('');
      if (input) terminals.input(terminalId, input);
    },
    'lab.open': async ({ lessonId }) => {
      const next = lesson(lessonId);
      engine.close();
      current = next;
      commands.length = 0;
      outputs.clear();
      quizzesRight.clear();
      watchesOutput = [...next.defs.values()].some((d) => d.when.some((c) => c.kind === 'output'));
      engine.open([...next.defs.values()], progress.lesson(lessonId).passed);
      try {
        await ensureTracker();
        tracker.beginRecording();
        await engine.evaluate();
      } catch (err) {
        // The lesson stays readable without an engine; checkpoints wait for it.
        engine.pause();
        sink.emit('engine.status', { reachable: false, message: err instanceof Error ? err.message : String(err) });
      }
      return {
        lessonId,
        checkpoints: engine.statuses(),
        topology: trackerStarted ? tracker.topology() : { networks: [], containers: [] },
        progress: progress.lesson(lessonId),
      };
    },
    'lab.close': async () => {
      engine.close();
      current = undefined;
      commands.length = 0;
      outputs.clear();
      if (trackerStarted) tracker.endRecording();
    },
    'lab.reset': async () => {
      await ensureTracker();
      const [result, helpers] = await Promise.all([tracker.reset(), removeAppContainers(docker)]);
      result.removedContainers.push(...helpers);
      // Commands seen before the reset must not pass a checkpoint against the new state.
      commands.length = 0;
      outputs.clear();
      engine.trigger();
      return result;
    },
    'lab.evaluate': async () => {
      if (trackerStarted) await tracker.settled();
      return engine.evaluate();
    },
    'lab.conflicts': async ({ lessonId }) => conflictsOf(lessonId),
    'lab.resolveConflict': async ({ lessonId, kind, name, id, action }) => {
      const conflict = matchConflict(await conflictsOf(lessonId), { kind, name, id });
      if (action === 'use') {
        const ids = adopted.get(lessonId) ?? new Set<string>();
        ids.add(conflict.id);
        adopted.set(lessonId, ids);
      } else {
        await removeConflict(docker, conflict);
      }
      return conflictsOf(lessonId);
    },
    'lab.topology': async () => {
      await ensureTracker();
      return tracker.topology();
    },
    'lab.inspectNetwork': async ({ container }) => {
      await ensureTracker();
      // Only what the map shows: never a container outside the tracked model (the app's own helpers).
      const node = tracker.container(container);
      if (!node || node.name !== container) throw new LabError(`There is no container "${container}" in the lab.`, 'not-found');
      const info = await docker.getContainer(node.id).inspect();
      const settings = info.NetworkSettings;
      return {
        container: node.name,
        NetworkMode: info.HostConfig?.NetworkMode ?? '',
        SandboxKey: settings?.SandboxKey ?? '',
        Ports: (settings?.Ports ?? {}) as ContainerNetworkSettings['Ports'],
        Networks: (settings?.Networks ?? {}) as unknown as ContainerNetworkSettings['Networks'],
      };
    },
    'progress.get': async () => progress.snapshot(),
    'progress.setStep': async ({ lessonId, stepId }) => {
      if (!lesson(lessonId).lesson.steps.some((s) => s.id === stepId)) {
        throw new LabError(`Lesson ${lessonId} has no step "${stepId}".`, 'not-found');
      }
      await progress.setStep(lessonId, stepId);
    },
    'quiz.answer': async ({ lessonId, quizId, choice }) => {
      const quiz = lesson(lessonId).quizzes.get(quizId);
      const picked = quiz?.choices[choice];
      if (!quiz || !picked) throw new LabError(`Lesson ${lessonId} has no quiz "${quizId}" with choice ${choice}.`, 'not-found');
      if (picked.correct && current?.lesson.id === lessonId) {
        quizzesRight.add(quizId);
        await engine.evaluate();
      }
      return { correct: picked.correct, explanation: picked.explanation };
    },
    // Packs stream for as long as they need; only an engine silent for the deadline fails them.
    'images.exportPack': async ({ file: given, progressId }) => {
      const file = await packFile('export-pack', given);
      if (!file) return null;
      return withIdleDeadline({ timeoutMs: engineTimeoutMs, endpoint, what: 'exporting the image pack (no progress)' }, (touch) =>
        exportImagePack(docker, lessonImageNames([...lessons.values()]), file, (p) => {
          touch();
          if (progressId) sink.emit('images.packProgress', { progressId, ...p });
        }),
      );
    },
    'images.importPack': async ({ file: given, progressId }) => {
      const file = await packFile('import-pack', given);
      if (!file) return null;
      return withIdleDeadline({ timeoutMs: engineTimeoutMs, endpoint, what: 'importing the image pack (no progress)' }, (touch) =>
        importImagePack(docker, file, (p) => {
          touch();
          if (progressId) sink.emit('images.packProgress', { progressId, ...p });
        }),
      );
    },
    'images.pull': async ({ image }) => {
      // A pull may rightly take minutes; only silence longer than the engine deadline fails it.
      await pullImage(docker, image, (p) => sink.emit('images.progress', p), { idleTimeoutMs: engineTimeoutMs, endpoint });
    },
    'terminal.open': async (input) => {
      switch (input.kind) {
        case 'host':
          return terminals.openHost(input.cols, input.rows);
        case 'docker-host': {
          const container = await ensureHostView(docker, { dataDir: options.dataDir });
          openedHostView = true;
          return terminals.openContainer(container, input.cols, input.rows, { kind: 'docker-host', name: DOCKER_HOST_TERMINAL });
        }
        case 'container':
          return terminals.openContainer(input.container, input.cols, input.rows);
      }
    },
    'terminal.list': async () => terminals.list(),
    'terminal.input': async ({ id, data }) => terminals.input(id, data),
    'terminal.resize': async ({ id, cols, rows }) => terminals.resize(id, cols, rows),
    'terminal.ack': async ({ id, chars }) => terminals.ack(id, chars),
    'terminal.close': async ({ id }) => terminals.close(id),
    ...createSettingsHandlers({
      store: settings,
      progress,
      appVersion: options.appVersion,
      dataDir: options.dataDir,
      endpoint,
      env: options.env ?? process.env,
      lessons: () => [...lessons.values()],
      consents,
      folderOf: (lessonId) => lessonFolders.get(lessonId),
      fixedFolders: options.lessons.map((l) => resolve(l.dir)),
      reload: reloadLessons,
    }),
  };

  /** The pack file: from the desktop app's own dialog when it has one (a path from the page is refused), else the one given. */
  async function packFile(purpose: 'export-pack' | 'import-pack', given: string | undefined): Promise<string | undefined> {
    if (options.chooseFile) {
      if (given !== undefined) throw new LabError('In the desktop app the image pack file is chosen in its own dialog.', 'bad-request');
      return options.chooseFile(purpose);
    }
    if (given === undefined) throw new LabError('Give the path of the image pack file.', 'invalid');
    return given;
  }

  /** The learner's own objects holding the lesson's names: not in the ledger, not chosen for use. */
  async function conflictsOf(lessonId: string): Promise<NameConflict[]> {
    const names = lesson(lessonId).lesson.names;
    await ensureTracker();
    // An object the lab just created must reach the ledger before it is judged.
    await tracker.settled();
    const ledger = tracker.ledger();
    const mine = new Set([...ledger.containers, ...ledger.networks, ...(adopted.get(lessonId) ?? [])]);
    return findNameConflicts(docker, { names, skip: (id) => mine.has(id), ignoreLabel: APP_LABEL });
  }

  wrapHandlers(handlers, runOperation, (id) => terminals.close(id));

  return {
    handlers,
    async dispose() {
      coaching.dispose();
      engine.close();
      await terminals.closeAll();
      if (openedHostView) await removeAppContainers(docker).catch(() => undefined);
      if (trackerStarted) await tracker.stop().catch(() => undefined);
      await progress.flushed().catch(() => undefined);
      await settings.flushed().catch(() => undefined);
    },
  };
}
