// The composition root: builds every service and puts together the contract's
// handlers from one module per area. Both transports (Electron IPC, browser
// mode) serve these handlers; nothing here knows which one is in use.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventSink, Handlers } from '../../api/contract';
import type { DoctorFindings } from '../../api/types';
import { coachCommands } from '../coach';
import { createDocker } from '../docker/client';
import { createOperationRunner, DEFAULT_ENGINE_TIMEOUT_MS, DEFAULT_SLOW_AFTER_MS, durationFromEnv } from '../docker/deadline';
import { DoctorFindingsCache } from '../docker/doctor-findings';
import { createImageHandlers, createPackImporter, type ChooseFile } from '../docker/image-handlers';
import { examineEngine } from '../docker/preflight';
import { createLabHandlers } from '../lab/lab-handlers';
import { LabSession } from '../lab/lab-session';
import { LessonCatalog, type LessonSource } from '../lessons/lesson-catalog';
import { createLessonHandlers } from '../lessons/lesson-handlers';
import { createProgressHandlers } from '../progress/progress-handlers';
import { ProgressStore } from '../progress/progress-store';
import { LessonConsents, type AskConsent } from '../settings/lesson-consent';
import { HostShellSetting } from '../settings/host-shell';
import { createSettingsHandlers } from '../settings/settings-handlers';
import { SettingsStore, settingsFileIn } from '../settings/settings-store';
import { SettingsView } from '../settings/settings-view';
import { HostRelays } from '../relay/host-relays';
import { systemProbe } from '../terminals/host-shells';
import { createTerminalHandlers } from '../terminals/terminal-handlers';
import { TerminalManager } from '../terminals/terminal-manager';
import { createAppHandlers } from './app-handlers';
import { ClassroomService, createClassroomHandlers } from '../classroom/classroom-handlers';

interface ServicesOptions {
  dataDir: string;
  lessons: LessonSource[];
  appVersion: string;
  transport: 'ipc' | 'websocket';
  env?: NodeJS.ProcessEnv;
  /** Host shell without the learner's rc files (tests). */
  cleanShellRc?: boolean;
  /** Where host shells start (default: the home directory); the lesson tests give each lab its own folder. */
  shellCwd?: string;
  /** The host shell's program for this run (--shell), until one is chosen in Settings; default: the saved choice, else the learner's login shell. */
  shell?: string;
  /** The settings file, in the default data directory (default: settings.json in dataDir). */
  settingsFile?: string;
  /** How long an operation the UI waits on may wait for the engine (default 30 s). */
  engineTimeoutMs?: number;
  /** When a waiting operation is reported as slow (default 1.5 s). */
  slowAfterMs?: number;
  /** The desktop app's own consent dialog (main process); without it the page asks (browser mode). */
  askConsent?: AskConsent;
  /** The desktop app's own file dialogs for image packs; without them the page names the file (browser mode). */
  chooseFile?: ChooseFile;
  /** The lab doctor when no preflight ran yet (default: the preflight's probes; tests give another engine's findings). */
  examineEngine?: () => Promise<DoctorFindings | undefined>;
}

/**
 * Every contract method, each typed as its area's module declares it (the factories'
 * return types are inferred for this, not widened to Handlers): "go to definition" from
 * a caller such as the menu lands in that module, on the entry naming its function.
 */
type ServiceHandlers = ReturnType<typeof createAppHandlers> &
  ReturnType<typeof createImageHandlers> &
  ReturnType<typeof createLessonHandlers> &
  ReturnType<typeof createLabHandlers> &
  ReturnType<typeof createProgressHandlers> &
  ReturnType<typeof createSettingsHandlers> &
  ReturnType<typeof createTerminalHandlers> &
  ReturnType<typeof createClassroomHandlers>;

export interface Services {
  handlers: ServiceHandlers;
  /** A caller (a window, a WebSocket connection) left: the terminals it opened stop. */
  disconnect(caller: string): Promise<void>;
  /** The caller that opened a terminal, for the transport to route its output; undefined: none did. */
  terminalOwner(terminalId: string): string | undefined;
  /** The caller that opened a learner's shared terminal (classroom.shareOutput goes there only); undefined: nobody. */
  shareViewer(): string | undefined;
  /** Stops every terminal and subscription this instance started. */
  dispose(): Promise<void>;
  /** Browser mode's `--classroom` hosts through it, so the page's dashboard shows that class. */
  classroom: ClassroomService;
}

/** The log is the caller's to open (boot.ts): services only write to it. */
export async function createServices(options: ServicesOptions, appSink: EventSink): Promise<Services> {
  const { dataDir, appVersion, transport } = options;
  await mkdir(dataDir, { recursive: true });
  const env = options.env ?? process.env;
  let lessons!: LessonCatalog;
  // The classroom (#19) follows the app's checkpoint and coach events for the learner's feed.
  // NETLAB_MDNS_PORT: announce and browse on another port than 5353, for tests (never the LAN) and rooms that want a class of their own.
  const mdnsPort = mdnsPortFromEnv(env.NETLAB_MDNS_PORT);
  const classroom = new ClassroomService({
    dataDir,
    sink: appSink,
    ...(mdnsPort ? { announce: { port: mdnsPort }, nearby: { mdns: { port: mdnsPort } } } : {}),
    lessons: (lessonId) => {
      try {
        const { lesson } = lessons.get(lessonId);
        return { title: lesson.title, checkpoints: lesson.checkpoints.map((c) => ({ id: c.id, title: c.title })) };
      } catch {
        return undefined;
      }
    },
    // An accepted lesson folder is opened as Settings opens one: the consent for an instructor's lesson applies.
    addLessonFolder: (dir) => lessons.addFolder(dir),
    importImagePack: (file, progressId) => importPackFile(file, progressId),
    ...(options.chooseFile ? { chooseOffer: (kind) => options.chooseFile!(kind === 'image-pack' ? 'offer-pack' : 'offer-folder') } : {}),
  });
  const sink: EventSink = {
    emit(name, payload) {
      appSink.emit(name, payload);
      if (name === 'checkpoints.changed' || name === 'coach.hint') classroom.onAppEvent(name, payload);
    },
  };
  const { docker, endpoint, tried } = createDocker(options.env);
  const engineTimeoutMs = options.engineTimeoutMs ?? durationFromEnv(env.NETLAB_ENGINE_TIMEOUT_MS) ?? DEFAULT_ENGINE_TIMEOUT_MS;
  // A class's accepted image pack goes through the same verified import as images.importPack.
  const importPackFile = createPackImporter({ docker, endpoint, engineTimeoutMs, sink });
  const runOperation = createOperationRunner({
    endpoint,
    timeoutMs: engineTimeoutMs,
    slowAfterMs: options.slowAfterMs ?? durationFromEnv(env.NETLAB_SLOW_AFTER_MS) ?? DEFAULT_SLOW_AFTER_MS,
    report: (progress) => sink.emit('operation.progress', progress),
  });

  const progress = new ProgressStore(join(dataDir, 'progress.json'));
  await progress.load();
  const settings = new SettingsStore(options.settingsFile ?? settingsFileIn(dataDir));
  await settings.load();
  const hostShell = new HostShellSetting(settings, systemProbe(env), options.shell);
  const settingsView = new SettingsView(settings, { dataDir, endpoint }, hostShell);
  lessons = new LessonCatalog(options.lessons, settings);
  const consents = new LessonConsents(settings, (lessonId) => lessons.folderOf(lessonId), options.askConsent);
  const relays = new HostRelays({ docker, endpoint, dataDir });
  const terminals = new TerminalManager({
    docker,
    sink,
    dataDir,
    relays,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cleanShellRc ? { cleanRc: true } : {}),
    ...(options.shellCwd ? { cwd: options.shellCwd } : {}),
    // Asked at each open: a choice made in Settings applies to the next host shell.
    shell: () => hostShell.program(),
  });
  // The lab doctor: run by the preflight screen, or by the first lab that needs its findings.
  const doctor = new DoctorFindingsCache(
    options.examineEngine ?? (() => examineEngine(docker, endpoint, lessons.images(), Math.min(3000, engineTimeoutMs))),
  );
  const lab = new LabSession({ docker, endpoint, dataDir, sink, terminals, relays, progress, consents, doctor: () => doctor.get(), env });
  // Live hints about mistakes, from each finished command, each call the engine refused (any shell) and the model; they never decide a checkpoint.
  const coaching = coachCommands({
    terminals,
    relays,
    tracker: lab.tracker,
    enabled: () => lab.lesson !== undefined && lab.tracking && !lab.coachHeld(),
    lesson: () => lab.lesson && { ...lab.lesson.lesson.names, images: lab.lesson.lesson.images },
    onHint: (hint) => sink.emit('coach.hint', hint),
  });
  // A learner's read-only terminal share reads the chosen terminal's output here, in the main process.
  const detachShare = classroom.attachTerminals(terminals);
  await lessons.reload();

  const handlers = {
    ...createAppHandlers({ appVersion, transport, docker, endpoint, dataDir, doctor: () => doctor.peek() }),
    ...createImageHandlers({
      docker,
      endpoint,
      tried,
      engineTimeoutMs,
      runOperation,
      lessons,
      sink,
      doctor,
      ...(options.chooseFile ? { chooseFile: options.chooseFile } : {}),
    }),
    ...createLessonHandlers({ lessons, consents, terminals, settings: settingsView }),
    ...createLabHandlers({ lab, lessons, docker, runOperation }),
    ...createProgressHandlers({ progress, lessons, appVersion }),
    ...createSettingsHandlers({ store: settings, view: settingsView, hostShell, env }),
    ...createTerminalHandlers({ terminals, lab, runOperation }),
    ...createClassroomHandlers(classroom),
  } satisfies Handlers;
  // A learner whose app stopped while in a class rejoins it with their own token (not the code).
  void classroom.resume().catch(() => undefined);
  // A lesson opened or a step changed moves the learner's class feed (sent only once joined).
  const openLab = handlers['lab.open'];
  const setStep = handlers['progress.setStep'];
  handlers['lab.open'] = async function openLabForClass(input) {
    const snapshot = await openLab(input);
    classroom.onApiCall('lab.open', input, snapshot);
    return snapshot;
  };
  handlers['progress.setStep'] = async function setStepForClass(input) {
    await setStep(input);
    classroom.onApiCall('progress.setStep', input, undefined);
  };
  const helpUsed = handlers['lab.helpUsed'];
  handlers['lab.helpUsed'] = async function helpUsedForClass(input) {
    await helpUsed(input);
    classroom.onApiCall('lab.helpUsed', input, undefined);
  };

  return {
    handlers,
    classroom,
    async disconnect(caller) {
      classroom.disconnect(caller);
      await terminals.disconnect(caller);
    },
    terminalOwner: (terminalId) => terminals.ownerOf(terminalId),
    shareViewer: () => classroom.shareViewer(),
    async dispose() {
      coaching.dispose();
      detachShare();
      await classroom.dispose();
      await lab.dispose();
      await progress.flushed().catch(() => undefined);
      await settings.flushed().catch(() => undefined);
    },
  };
}

function mdnsPortFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`NETLAB_MDNS_PORT: not a port number: ${value}`);
  return port;
}
