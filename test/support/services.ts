// The app's services as a test drives them: real engine, real host shell,
// events recorded. Shared by the integration and fault tests.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EventName, Events, EventSink, Handlers } from '../../electron/api/contract';
import type { DoctorFindings } from '../../electron/api/types';
import { createServices, type Services } from '../../electron/services/app/services';
import { openAppLog } from '../../electron/services/log/logger';
import { waitFor } from './docker';

/** Keeps every pushed event so a test can wait for the ones it expects. */
export class RecordingSink implements EventSink {
  readonly events: { name: EventName; payload: unknown }[] = [];
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.events.push({ name, payload });
  }
  of<E extends EventName>(name: E): Events[E][] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as Events[E]);
  }
  /** Everything a terminal printed so far. */
  output(terminalId: string): string {
    return this.of('terminal.data')
      .filter((d) => d.id === terminalId)
      .map((d) => d.data)
      .join('');
  }
}

/** The fixture course of the condition kinds (checkpoint-kinds, engine-kinds). */
export const FIXTURE_LESSONS = resolve(__dirname, '../fixtures/courses/kinds-course');

export interface TestServices {
  services: Services;
  api: Handlers;
  sink: RecordingSink;
  dataDir: string;
}

/**
 * Services over a fresh data dir, a clean shell rc and its own history file; `env` adds to the
 * environment (e.g. DOCKER_HOST). The host shell is bash unless `shell` names another: whatever
 * the login shell of the machine running the tests.
 */
export async function startTestServices(
  dataDirPrefix: string,
  lessonsDir = FIXTURE_LESSONS,
  env: NodeJS.ProcessEnv = {},
  options: { shell?: string; dataDir?: string; examineEngine?: () => Promise<DoctorFindings | undefined> } = {},
): Promise<TestServices> {
  const sink = new RecordingSink();
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), dataDirPrefix)));
  // As the app's boot does: the log goes to the data dir (a problem report reads it back).
  await openAppLog(dataDir);
  const services = await createServices(
    {
      dataDir,
      lessons: [{ dir: lessonsDir, source: 'extra' }],
      appVersion: 'test',
      transport: 'websocket',
      cleanShellRc: true,
      shell: options.shell ?? 'bash',
      env: { ...process.env, HISTFILE: join(dataDir, 'history'), ...env },
      ...(options.examineEngine ? { examineEngine: options.examineEngine } : {}),
    },
    sink,
  );
  return { services, api: services.handlers, sink, dataDir };
}

let marks = 0;

/**
 * Types a command line into a shell that reports no commands (dash, sh) and waits for a
 * marker it prints after the line ran.
 */
export async function runMarked(t: TestServices, terminalId: string, command: string, timeoutMs = 60_000): Promise<void> {
  const n = ++marks;
  // The quotes keep the typed line (which the terminal echoes) from matching the printed marker.
  await t.api['terminal.input']({ id: terminalId, data: `${command}; echo "__do""ne_${n}__"\r` });
  await waitFor(() => t.sink.output(terminalId).includes(`__done_${n}__`), `the shell to run: ${command}`, timeoutMs);
}

/** Types a command line into a shell and waits until the shell reports it finished. */
export async function runInShell(t: TestServices, terminalId: string, command: string, timeoutMs = 30_000): Promise<void> {
  const before = t.sink.of('terminal.command').length;
  await t.api['terminal.input']({ id: terminalId, data: `${command}\r` });
  await waitFor(() => t.sink.of('terminal.command').length > before, `the shell to finish: ${command}`, timeoutMs);
}

/** The learner allows an instructor's lesson as shown (its checks and commands then run). */
export async function allowLesson(t: TestServices, lessonId: string): Promise<void> {
  const { fingerprint } = await t.api['lessons.get']({ id: lessonId });
  const consent = await t.api['lessons.allow']({ lessonId, fingerprint });
  if (!consent.granted) throw new Error(`consent to ${lessonId} was not recorded`);
}
