// The contract's lesson methods: the list and one lesson, a Run of the
// lesson's own commands into a terminal, the instructor folders opened in
// Settings, and consent to an instructor's lesson.
import type { Handlers, MethodInput } from '../../api/contract';
import { commandsToInput } from '../../api/command-input';
import { LabError } from '../../api/errors';
import { terminalKey } from '../../api/terminal-key';
import type { AddFolderResult, AppSettings, Lesson, LessonConsent, LessonProblem, LessonSummary } from '../../api/types';
import { lessonChanged, type LessonConsents } from '../settings/lesson-consent';
import type { SettingsView } from '../settings/settings-view';
import type { TerminalManager } from '../terminals/terminal-manager';
import type { LessonCatalog } from './lesson-catalog';
import { commandsOf } from './runnable';

type LessonMethod =
  | 'lessons.list'
  | 'lessons.get'
  | 'lessons.run'
  | 'lessons.addFolder'
  | 'lessons.removeFolder'
  | 'lessons.consent'
  | 'lessons.allow';

interface LessonDeps {
  lessons: LessonCatalog;
  consents: LessonConsents;
  terminals: TerminalManager;
  /** lessons.removeFolder answers with the settings as they are then. */
  settings: SettingsView;
}

export function createLessonHandlers({ lessons, consents, terminals, settings }: LessonDeps) {
  /** Every lesson, read again from disk where it changed, with what kept others out. */
  async function listLessons(_input: MethodInput<'lessons.list'>): Promise<{ lessons: LessonSummary[]; problems: LessonProblem[] }> {
    await lessons.reload();
    const summaries = lessons.list().map(({ lesson: l }) => ({
      id: l.id,
      order: l.order,
      title: l.title,
      summary: l.summary,
      images: l.images,
      stepCount: l.steps.length,
      checkpointCount: l.checkpoints.length,
      source: l.source,
      part: l.part ?? 'core',
    }));
    return { lessons: summaries, problems: lessons.problems() };
  }

  async function getLesson({ id }: MethodInput<'lessons.get'>): Promise<Lesson> {
    return lessons.get(id).lesson;
  }

  /**
   * Types the lesson's own commands (a block of its text, or part of a step's solution) into the
   * terminal they belong in: never for a lesson changed since it was shown, nor without consent.
   */
  async function runCommands({ lessonId, fingerprint, terminalId, target }: MethodInput<'lessons.run'>): Promise<void> {
    const loaded = lessons.get(lessonId);
    if (loaded.lesson.fingerprint !== fingerprint) throw lessonChanged();
    if (!consents.granted(loaded)) {
      throw new LabError('This lesson comes from outside the built-in course: allow its commands first.', 'consent-needed');
    }
    const commands = commandsOf(loaded, target);
    const terminal = terminals.list().find((t) => t.id === terminalId);
    const wanted = commands[0]?.terminal;
    if (!terminal || wanted === undefined || terminal.key !== terminalKey(wanted)) {
      throw new LabError(`These commands go to the ${wanted} terminal, not to ${terminal?.name ?? 'a closed terminal'}.`, 'bad-request');
    }
    const input = commands.map((c) => commandsToInput(c.command)).join('');
    if (input) terminals.input(terminalId, input);
  }

  async function addFolder({ path }: MethodInput<'lessons.addFolder'>): Promise<AddFolderResult> {
    return lessons.addFolder(path);
  }

  async function removeFolder({ path }: MethodInput<'lessons.removeFolder'>): Promise<AppSettings> {
    await lessons.removeFolder(path);
    return settings.snapshot();
  }

  async function consent({ lessonId }: MethodInput<'lessons.consent'>): Promise<LessonConsent> {
    return consents.state(lessons.get(lessonId));
  }

  /** The desktop app asks in its own dialog first; the page's dialog has asked already. */
  async function allow({ lessonId, fingerprint }: MethodInput<'lessons.allow'>): Promise<LessonConsent> {
    return consents.allow(lessons.get(lessonId), fingerprint);
  }

  return {
    'lessons.list': listLessons,
    'lessons.get': getLesson,
    'lessons.run': runCommands,
    'lessons.addFolder': addFolder,
    'lessons.removeFolder': removeFolder,
    'lessons.consent': consent,
    'lessons.allow': allow,
  } satisfies Pick<Handlers, LessonMethod>;
}
