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
  LabSnapshot,
  Lesson,
  LessonProblem,
  LessonSummary,
  Preflight,
  ProgressSnapshot,
  QuizAnswer,
  CoachHint,
  ImagePackResult,
  ResetResult,
  TerminalInfo,
  Topology,
} from './types';
import { EVENT_NAMES, METHOD_NAMES, isMethodName, type EventName, type MethodName } from './names';

export { EVENT_NAMES, METHOD_NAMES, isMethodName, type EventName, type MethodName };

const id = z.string().min(1).max(128);
const lessonId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a lesson id is lowercase letters, digits and dashes');
/** Docker's own rule for container names. */
export const containerName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'not a valid container name');
const cols = z.number().int().min(1).max(1000);
const rows = z.number().int().min(1).max(500);
const empty = z.object({}).strict();

export const methods = {
  'app.info': { input: empty },
  'preflight.run': { input: empty },
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
  'progress.get': { input: empty },
  'progress.setStep': { input: z.object({ lessonId, stepId: id }).strict() },
  'quiz.answer': { input: z.object({ lessonId, quizId: id, choice: z.number().int().min(0).max(31) }).strict() },
  /** Offline workshops: one file with the course's images (docker save + manifest + checksums). */
  'images.exportPack': { input: z.object({ file: z.string().min(1).max(4096) }).strict() },
  'images.importPack': { input: z.object({ file: z.string().min(1).max(4096) }).strict() },
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
} as const satisfies Record<MethodName, { input: z.ZodType }>;

// Every name in names.ts has a schema, and no schema lacks a name.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _methodsCovered: Exact<keyof typeof methods, MethodName> = true;
void _methodsCovered;
export type MethodInput<M extends MethodName> = z.infer<(typeof methods)[M]['input']>;

export interface MethodResults {
  'app.info': AppInfo;
  'preflight.run': Preflight;
  'lessons.list': { lessons: LessonSummary[]; problems: LessonProblem[] };
  'lessons.get': Lesson;
  'lab.open': LabSnapshot;
  'lab.close': void;
  'lab.reset': ResetResult;
  'lab.evaluate': CheckpointStatus[];
  'lab.topology': Topology;
  'progress.get': ProgressSnapshot;
  'progress.setStep': void;
  'quiz.answer': QuizAnswer;
  'images.pull': void;
  'images.exportPack': ImagePackResult;
  'images.importPack': ImagePackResult;
  'terminal.open': TerminalInfo;
  'terminal.list': TerminalInfo[];
  'terminal.input': void;
  'terminal.resize': void;
  'terminal.ack': void;
  'terminal.close': void;
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
  'coach.hint': CoachHint;
}
const _eventsCovered: Exact<keyof Events, EventName> = true;
void _eventsCovered;

/** What the services implement; both transports dispatch to it. */
export type Handlers = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodResult<M>> };

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
