// The one API between the renderer and the services. Both transports (Electron
// IPC and the browser-mode WebSocket) serve exactly this: a method table whose
// inputs are zod schemas (validated on the main side) and whose results are
// typed, plus the events the main side pushes.
import { z } from 'zod';
import type {
  AppInfo,
  CheckpointStatus,
  CommandRecord,
  ImagePullProgress,
  LabSetupResult,
  LabSnapshot,
  Lesson,
  LessonProblem,
  LessonSummary,
  Preflight,
  DoctorFindings,
  ProgressSnapshot,
  QuizAnswer,
  CoachHint,
  ContainerNetworkSettings,
  ImagePackResult,
  ResetResult,
  AppSettings,
  ProgressExportFiles,
  AddFolderResult,
  LessonConsent,
  NameConflict,
  OperationProgress,
  PackProgress,
  ProblemReportResult,
  TerminalInfo,
  Topology,
} from './types';
import { LOCALES } from './types';
import type { ClassDashboardUpdate, DashboardVersion } from './dashboard-update';
import { EVENT_NAMES, METHOD_NAMES, isMethodName, type EventName, type MethodName } from './names';

export { EVENT_NAMES, METHOD_NAMES, isMethodName, type EventName, type MethodName };

const id = z.string().min(1).max(128);
const lessonId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a lesson id is lowercase letters, digits and dashes');
/** Docker's own rule for container names. */
export const containerName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'not a valid container name');
const cols = z.number().int().min(1).max(1000);
const rows = z.number().int().min(1).max(500);
const empty = z.object({}).strict();
/** Chosen by the caller; the call's progress events carry it back. */
const progressId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a progress id is letters, digits, _ and -');
/** A lesson's fingerprint as lessons.get gave it. */
const fingerprint = z.string().regex(/^[a-f0-9]{64}$/, 'a lesson fingerprint (64 hex digits)');
/** An absolute path (POSIX or Windows); the services resolve and check it. */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path, e.g. /home/me/course')
  .refine((p) => !p.includes('\0'), 'a path without NUL characters');
/** A socket path, a URL (unix://, tcp://, ssh://, npipe://) or host:port, or a docker context name. */
const dockerEndpoint = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .regex(/^[^\s]+$/, 'a socket path, tcp://host:port, or a docker context name (no spaces)');

// ---- classroom (#19) ---------------------------------------------------------
// The instructor hosts a class on an address they name; a learner previews what is shared,
// then joins. The services check addresses and codes and say what to type instead.

/** HOST:PORT as typed; the classroom service parses it (hub-address.ts) and names the network. */
const hostPort = z.string().trim().min(3).max(300);
const offerIdSchema = z.string().regex(/^o-[0-9a-f]{16}$/, 'an offer id');
const classroomMethods = {
  /** Starts the hub on exactly this address (no default host); the result warns who can reach it. */
  /** `announce: false`: not announced on the network (mDNS); learners need the address from the instructor. */
  'classroom.host': { input: z.object({ address: hostPort, announce: z.boolean().optional() }).strict() },
  'classroom.stopHosting': { input: empty },
  'classroom.dashboard': { input: empty },
  /** Learners get a prompt to open the lesson (title in the instructor's language), never a jump. */
  'classroom.setLesson': { input: z.object({ lessonId, locale: z.enum(LOCALES) }).strict() },
  'classroom.broadcast': { input: z.object({ text: z.string().trim().min(1, 'type a message').max(280, 'a message of at most 280 characters') }).strict() },
  /** No progress on a step for this many minutes marks a learner stuck. */
  'classroom.setStuckMinutes': { input: z.object({ minutes: z.number().int().min(1).max(240) }).strict() },
  /** Writes the class report CSV into <dataDir>/reports/ and returns it (browser mode offers a download). */
  'classroom.exportCsv': { input: empty },
  /** Exactly what joining would share now, with nothing sent. */
  'classroom.sharePreview': { input: z.object({ name: z.string().trim().min(1).max(40), locale: z.enum(LOCALES).optional() }).strict() },
  /** For a typed short code: the certificate the hub at this address shows, for the learner to compare with the projector. Sends nothing of the learner's. */
  'classroom.probeHub': { input: z.object({ address: hostPort }).strict() },
  /**
   * `locale`: the language the learner's checkpoint reasons are shared in (their UI's). `pin`: the
   * certificate fingerprint the learner compared (from classroom.probeHub) when the code is the short one.
   */
  'classroom.join': {
    input: z
      .object({
        address: hostPort,
        code: z.string().trim().min(10).max(200),
        name: z.string().trim().min(1).max(40),
        locale: z.enum(LOCALES).optional(),
        pin: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 fingerprint (64 hex digits)').optional(),
      })
      .strict(),
  },
  /** Leaves the class: nothing is sent after it. */
  'classroom.leave': { input: empty },
  'classroom.hand': { input: z.object({ raised: z.boolean() }).strict() },
  'classroom.learnerState': { input: empty },
  /**
   * The instructor offers a lesson folder or an image pack to the class. `path` in browser mode;
   * the desktop app chooses it in its own dialog (a path from the page is refused there).
   */
  'classroom.offer': { input: z.object({ kind: z.enum(['lesson-folder', 'image-pack']), path: z.string().trim().min(1).max(4096).optional() }).strict() },
  /** The learner's click: download, verify size and SHA-256, then add the lessons (consent still applies) or import the pack. */
  'classroom.acceptOffer': { input: z.object({ offerId: offerIdSchema, progressId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() }).strict() },
  /** Forgets an offer; nothing of it was or will be downloaded. */
  'classroom.declineOffer': { input: z.object({ offerId: offerIdSchema }).strict() },
  /** The instructor withdraws an offer: learners are told, and no new download of it is served. */
  'classroom.withdrawOffer': { input: z.object({ offerId: offerIdSchema }).strict() },
  /** The classes announced on this network (mDNS), for the Join screen: listening starts with the first ask and stops when asks stop. */
  'classroom.nearby': { input: empty },
  /** Shares one of the caller's own terminals with the instructor, read-only (its output only; nothing comes back). */
  'classroom.shareTerminal': { input: z.object({ terminalId: id }).strict() },
  /** Stops the share at once: nothing more of the terminal is sent. */
  'classroom.stopSharing': { input: empty },
  /** The instructor opens a learner's shared terminal: its recent output now, then `classroom.shareOutput` to this caller only. */
  'classroom.openShare': { input: z.object({ learnerId: z.string().regex(/^[A-Za-z0-9._:-]{1,80}$/, 'a learner id') }).strict() },
  'classroom.closeShare': { input: empty },
  /** Writes the printable class report (HTML, in `locale`) into <dataDir>/reports/ and returns it. */
  'classroom.exportReport': { input: z.object({ locale: z.enum(LOCALES) }).strict() },
} as const;
// ---- end classroom

export const methods = {
  'app.info': { input: empty },
  /** Writes versions + the last log lines (secrets redacted) into <dataDir>/reports/. */
  'app.reportProblem': { input: empty },
  'preflight.run': { input: empty },
  /** The lab doctor: what this engine offers the lessons (its probes run anew; null while the engine is unreachable). */
  'preflight.doctor': { input: empty },
  'lessons.list': { input: empty },
  'lessons.get': { input: z.object({ id: lessonId }).strict() },
  /** Opens a lesson's lab: starts tracking, evaluates every checkpoint. */
  'lab.open': { input: z.object({ lessonId }).strict() },
  'lab.close': { input: empty },
  /** Removes exactly what the lab created, nothing else. */
  'lab.reset': { input: empty },
  /** Re-evaluates every checkpoint now (checking is automatic; this is the optional button). */
  'lab.evaluate': { input: empty },
  'lab.topology': { input: empty },
  /** Read-only: the inspect network section of a container in the current topology. */
  'lab.inspectNetwork': { input: z.object({ container: containerName }).strict() },
  /** Objects with the lesson's names that the lab did not create (the learner's own). */
  'lab.conflicts': { input: z.object({ lessonId }).strict() },
  /** 'use' adopts the learner's object (never reset); 'remove' deletes exactly the listed id. */
  'lab.resolveConflict': {
    input: z
      .object({
        lessonId,
        kind: z.enum(['container', 'network']),
        name: containerName,
        id: z.string().regex(/^[a-f0-9]{12,64}$/, 'a Docker id is 12 to 64 hex digits'),
        action: z.enum(['use', 'remove']),
      })
      .strict(),
  },
  'progress.get': { input: empty },
  'progress.setStep': { input: z.object({ lessonId, stepId: id }).strict() },
  /** Empties the progress file (after the learner confirmed in Settings). */
  'progress.reset': { input: empty },
  /** The progress as a JSON file and a printable report, in the UI's language. */
  'progress.export': { input: z.object({ locale: z.enum(LOCALES) }).strict() },
  'settings.get': { input: empty },
  /**
   * null clears a choice. The data directory and the endpoint take effect at the next start; the host
   * shell (an executable file) for the host terminals opened from then on; screen-reader mode at once.
   */
  'settings.set': {
    input: z
      .object({
        dataDir: absolutePath.nullable().optional(),
        dockerEndpoint: dockerEndpoint.nullable().optional(),
        hostShell: absolutePath.nullable().optional(),
        screenReaderMode: z.boolean().optional(),
      })
      .strict(),
  },
  /** Validates an instructor's lesson folder like lessons:lint and, when clean, lists it beside the course. */
  'lessons.addFolder': { input: z.object({ path: absolutePath }).strict() },
  'lessons.removeFolder': { input: z.object({ path: absolutePath }).strict() },
  /** Whether the lesson's commands need consent before the UI runs them, and whether it was given. */
  'lessons.consent': { input: z.object({ lessonId }).strict() },
  /**
   * Records the learner's consent to the lesson they were shown (its fingerprint from lessons.get).
   * The desktop app asks first in a dialog of its own.
   */
  'lessons.allow': { input: z.object({ lessonId, fingerprint }).strict() },
  /**
   * Types a block of the lesson's text, or commands of a step's solution, into an open terminal.
   * The main process takes the commands from the lesson it loaded, checks the terminal is the one
   * they belong in, and for an instructor's lesson that the learner consented to this very lesson.
   */
  'lessons.run': {
    input: z
      .object({
        lessonId,
        fingerprint,
        terminalId: id,
        target: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('block'), block: z.string().regex(/^[a-zA-Z-]{1,16}\.\d{1,4}$/, 'a block id such as en.3') }).strict(),
          z.object({ kind: z.literal('solution'), stepId: id, from: z.number().int().min(0).max(999), count: z.number().int().min(1).max(100) }).strict(),
        ]),
      })
      .strict(),
  },
  'quiz.answer': { input: z.object({ lessonId, quizId: id, choice: z.number().int().min(0).max(31) }).strict() },
  /**
   * Offline workshops: one file with the course's images (docker save + manifest + checksums).
   * In the desktop app the main process asks for the file in its own dialog and a `file` is refused.
   */
  'images.exportPack': { input: z.object({ file: absolutePath.optional(), progressId: progressId.optional() }).strict() },
  'images.importPack': { input: z.object({ file: absolutePath.optional(), progressId: progressId.optional() }).strict() },
  'images.pull': { input: z.object({ image: z.string().regex(/^[a-z0-9][a-z0-9._/:@-]{0,255}$/) }).strict() },
  'terminal.open': {
    input: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('host'), cols, rows }).strict(),
      /** A shell in a helper container on the host's network and PID namespaces: docker0 and veths on any platform. */
      z.object({ kind: z.literal('docker-host'), cols, rows }).strict(),
      z.object({ kind: z.literal('container'), container: containerName, cols, rows }).strict(),
    ]),
  },
  'terminal.list': { input: empty },
  /** Keystrokes and pastes. Large pastes are split by the renderer. */
  'terminal.input': { input: z.object({ id, data: z.string().max(1 << 20) }).strict() },
  'terminal.resize': { input: z.object({ id, cols, rows }).strict() },
  /** Flow control: the renderer acknowledges characters xterm has finished writing. */
  'terminal.ack': { input: z.object({ id, chars: z.number().int().min(0).max(1 << 30) }).strict() },
  'terminal.close': { input: z.object({ id }).strict() },
  ...classroomMethods,
  /** Runs the open lesson's setup in its lab (after a reset, or once an instructor's lesson is allowed). */
  'lab.setup': { input: z.object({ lessonId }).strict() },
  /** The learner revealed hint `n` of a step, or its solution: the class sees it, and a challenge's coach may speak. */
  'lab.helpUsed': { input: z.object({ lessonId, stepId: id, kind: z.enum(['hint', 'solution']), n: z.number().int().min(1).max(50).optional() }).strict() },
} as const satisfies Record<MethodName, { input: z.ZodType }>;

// Every name in names.ts has a schema, and no schema lacks a name.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _methodsCovered: Exact<keyof typeof methods, MethodName> = true;
void _methodsCovered;
export type MethodInput<M extends MethodName> = z.infer<(typeof methods)[M]['input']>;

export interface MethodResults {
  'app.info': AppInfo;
  'app.reportProblem': ProblemReportResult;
  'preflight.run': Preflight;
  'preflight.doctor': DoctorFindings | null;
  'lessons.list': { lessons: LessonSummary[]; problems: LessonProblem[] };
  'lessons.get': Lesson;
  'lab.open': LabSnapshot;
  'lab.close': void;
  'lab.reset': ResetResult;
  'lab.evaluate': CheckpointStatus[];
  'lab.topology': Topology;
  'lab.inspectNetwork': ContainerNetworkSettings;
  'lab.conflicts': NameConflict[];
  'lab.resolveConflict': NameConflict[];
  'progress.get': ProgressSnapshot;
  'progress.setStep': void;
  'progress.reset': void;
  'progress.export': ProgressExportFiles;
  'settings.get': AppSettings;
  'settings.set': AppSettings;
  'lessons.addFolder': AddFolderResult;
  'lessons.removeFolder': AppSettings;
  'lessons.consent': LessonConsent;
  'lessons.allow': LessonConsent;
  'lessons.run': void;
  'quiz.answer': QuizAnswer;
  'images.pull': void;
  /** null: the learner cancelled the app's file dialog. */
  'images.exportPack': ImagePackResult | null;
  'images.importPack': ImagePackResult | null;
  'terminal.open': TerminalInfo;
  'terminal.list': TerminalInfo[];
  'terminal.input': void;
  'terminal.resize': void;
  'terminal.ack': void;
  'terminal.close': void;
  'classroom.host': ClassDashboard;
  'classroom.stopHosting': ClassDashboard;
  'classroom.dashboard': ClassDashboard;
  'classroom.setLesson': ClassDashboard;
  'classroom.broadcast': void;
  'classroom.setStuckMinutes': ClassDashboard;
  'classroom.exportCsv': { file: string; csv: string };
  'classroom.sharePreview': ClassSharePreview;
  /** `fingerprint` as the projector shows it; `pin` to pass back to classroom.join once the learner compared them. */
  'classroom.probeHub': { fingerprint: string; pin: string };
  'classroom.join': ClassLearnerState;
  'classroom.leave': ClassLearnerState;
  'classroom.hand': ClassLearnerState;
  'classroom.learnerState': ClassLearnerState;
  'classroom.offer': ClassDashboard;
  'classroom.acceptOffer': ClassLearnerState;
  'classroom.declineOffer': ClassLearnerState;
  'classroom.withdrawOffer': ClassDashboard;
  'classroom.nearby': ClassNearby;
  'classroom.shareTerminal': ClassLearnerState;
  'classroom.stopSharing': ClassLearnerState;
  'classroom.openShare': ClassShareView;
  'classroom.closeShare': void;
  'classroom.exportReport': { file: string; html: string };
  'lab.setup': LabSetupResult;
  'lab.helpUsed': void;
}
export type MethodResult<M extends MethodName> = MethodResults[M];

/** Events the main side pushes to every connected renderer. */
export interface Events {
  /** Batched terminal output; acknowledge with terminal.ack once xterm wrote it. */
  'terminal.data': { id: string; data: string };
  'terminal.exit': { id: string; exitCode: number | null; signal?: string };
  /** A command the learner ran in the host shell finished (from shell integration). */
  'terminal.command': CommandRecord;
  'checkpoints.changed': { lessonId: string; checkpoints: CheckpointStatus[] };
  'topology.changed': Topology;
  'engine.status': { reachable: boolean; message?: string };
  'images.progress': ImagePullProgress;
  /** An image-pack export or import the caller named with its progressId. */
  'images.packProgress': PackProgress;
  'coach.hint': CoachHint;
  /** A Docker operation the UI waits on is slow, then done or failed (timeouts included). */
  'operation.progress': OperationProgress;
  /** The instructor's dashboard, whenever a learner joins, changes, leaves or drops: whole, or the rows that changed (dashboard-update.ts). */
  'classroom.changed': ClassDashboardUpdate;
  /** The learner's own connection to a class. */
  'classroom.learner': ClassLearnerState;
  /** The instructor's short message, to a learner. */
  'classroom.broadcast': { text: string };
  /** The instructor suggests a lesson: the learner decides whether to open it. */
  'classroom.lessonPrompt': ClassLessonRef;
  /** The shared terminal the instructor opened: output, size, end. Only to the caller that opened it. */
  'classroom.shareOutput': ClassShareEvent;
}
const _eventsCovered: Exact<keyof Events, EventName> = true;
void _eventsCovered;

// ---- classroom (#19) types ------------------------------------------------------

export interface ClassLessonRef {
  lessonId: string;
  title: string;
}

export interface ClassCell {
  status: 'pending' | 'passed' | 'failed';
  reason: string | null;
  failedAttempts: number;
}

export interface ClassLearnerRow {
  id: string;
  name: string;
  connected: boolean;
  left: boolean;
  lessonId: string | null;
  stepId: string | null;
  secondsOnStep: number;
  handRaised: boolean;
  stuck: { stuck: boolean; noProgress: boolean; repeatedFailure: string | null; handRaised: boolean };
  /** Checkpoint id -> what the learner reported (only for the class's current lesson). */
  cells: Record<string, ClassCell>;
  /** The terminal this learner shares read-only now, if any. */
  sharing: { label: string; cols: number; rows: number } | null;
}

/** A learner's shared terminal as the instructor opens it: the recent output (bounded) and its size. */
export interface ClassShareView {
  learnerId: string;
  name: string;
  label: string;
  cols: number;
  rows: number;
  data: string;
  /** Bytes left out before `data` (a slow hub or a flood). */
  skipped: number;
}

export type ClassShareEvent =
  | { learnerId: string; kind: 'output'; data: string; skipped: number }
  | { learnerId: string; kind: 'start' | 'resize'; cols: number; rows: number; label: string }
  | { learnerId: string; kind: 'stop' };

export interface ClassCheckpointSummary {
  checkpointId: string;
  passed: number;
  failed: number;
  reporting: number;
  commonFailure: { reason: string; count: number } | null;
}

export interface ClassDashboard {
  hosting: boolean;
  /** HOST:PORT the hub listens on, and who can reach it. */
  address: string | null;
  reach: string | null;
  shortCode: string | null;
  /** The short code plus the certificate pin: what a learner pastes (and the QR code would carry). */
  fullCode: string | null;
  fingerprint: string | null;
  /** The join QR code (address + full code) as a plain SVG of paths: join-qr.ts checks it holds nothing else. */
  qrSvg: string | null;
  /** The class is announced on the local network (mDNS): learners can list it; the code is never announced. */
  announced: boolean;
  /** The hub's store was damaged and set aside, if so. */
  warning: string | null;
  stuckMinutes: number;
  lesson: ClassLessonRef | null;
  /** The current lesson's checkpoints (the grid's columns), titles in every language. */
  checkpoints: { id: string; title: Record<string, string> | null }[];
  learners: ClassLearnerRow[];
  summary: ClassCheckpointSummary[];
  /** What the instructor offered the class in this run of the hub, oldest first. */
  offers: ClassOffer[];
  /** The last `classroom.changed` sent before this was made: a page applies later deltas to it. */
  version: DashboardVersion;
}

/** An offer of content: only its description; the bytes come when a learner accepts. */
export interface ClassOffer {
  offerId: string;
  kind: 'lesson-folder' | 'image-pack';
  title: string;
  sizeBytes: number;
  sha256: string;
}

/** An offer on the learner's side, with what became of it. */
export interface ClassLearnerOffer extends ClassOffer {
  /** offered: nothing downloaded yet; fetching: downloading and checking; done: added or imported; withdrawn: by the instructor, before it was fetched. */
  status: 'offered' | 'fetching' | 'done' | 'failed' | 'withdrawn';
  /** Why it failed, or what was done. */
  message: string | null;
  /** The lessons a lesson folder added (their commands still ask for consent). */
  lessons: string[];
}

/** Classes heard on this network: hints for the address; joining still needs the code. */
export interface ClassNearby {
  listening: boolean;
  /** Why listening does not work here (no multicast, say), if so. */
  problem: string | null;
  classes: { id: string; name: string; address: string; fingerprint: string; compatible: boolean }[];
}

/** What the learner's app would send now, field by field (nothing has been sent). */
export interface ClassSharePreview {
  name: string;
  progress: {
    lessonId: string;
    stepId: string;
    checkpoints: { id: string; status: string; reason?: string; failedAttempts?: number }[];
    hintsRevealed: string[];
    solutionsUsed: string[];
    secondsOnStep: number;
    coachHint: string | null;
  } | null;
}

export interface ClassLearnerState {
  state: 'none' | 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'refused' | 'closed' | 'left';
  address: string | null;
  name: string | null;
  className: string | null;
  handRaised: boolean;
  /** Why the class stopped for good (a refusal, or 'wrong-hub'). */
  stopReason: string | null;
  lessonPrompt: ClassLessonRef | null;
  broadcast: string | null;
  /** The terminal the learner shares read-only now (its id in this app, and the label the class sees). */
  sharing: { terminalId: string; label: string } | null;
  /** The instructor's offers while in the class; leaving discards them. */
  offers: ClassLearnerOffer[];
}
// ---- end classroom types

/**
 * Who made a call. Each transport names its callers: Electron one per window (its webContents
 * id), browser mode one per WebSocket connection. A terminal belongs to the caller that opened
 * it; the main process's own calls (its menu) and tests' direct calls name none.
 */
export interface CallContext {
  caller: string;
}

/** One method's implementation. */
export type Handler<M extends MethodName> = (input: MethodInput<M>, context?: CallContext) => Promise<MethodResult<M>>;

/** What the services implement; both transports dispatch to it. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** Where services push events; each transport provides one. */
export interface EventSink {
  emit<E extends EventName>(name: E, payload: Events[E]): void;
}

/** An error as it crosses a transport: data, rethrown as an Error on the other side. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

/** What the renderer sees, whichever transport carries it. */
export interface LabApi {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
