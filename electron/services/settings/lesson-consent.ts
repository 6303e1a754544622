// Consent to an instructor's lesson. A lesson from outside the built-in course
// types nothing and runs no probe until the learner has seen everything it can
// do and agreed. Consent is kept per lesson against its fingerprint (the whole
// lesson: text, solutions, blocks, checkpoints, probes), so a lesson that
// changes on disk asks again. The desktop app asks in a dialog of its own main
// process (`ask`), whose text no page can write; browser mode trusts the page's
// dialog, since the page is the only way in there.
import { LabError } from '../../api/errors';
import type { LessonConsent, Localized, ProbeInfo, SolutionCommand } from '../../api/types';
import type { LoadedLesson } from '../lessons/lesson-files';
import { consentScope } from '../lessons/runnable';
import type { SettingsStore } from './settings-store';

export interface ConsentQuestion {
  lessonId: string;
  title: Localized;
  folder: string;
  commands: SolutionCommand[];
  probes: ProbeInfo[];
  /** What it runs by itself when its lab opens (absent: nothing). */
  setup?: SolutionCommand[];
}

/** Shows the question in a dialog the main process writes; true when the learner allowed it. */
export type AskConsent = (question: ConsentQuestion) => Promise<boolean>;

export function lessonChanged(): LabError {
  return new LabError('This lesson changed on disk after it was shown. Open it again, read it, and run from there.', 'lesson-changed');
}

export class LessonConsents {
  constructor(
    private readonly store: SettingsStore,
    /** The folder an extra lesson came from; undefined for the built-in course. */
    private readonly folderOf: (lessonId: string) => string | undefined,
    private readonly ask?: AskConsent,
  ) {}

  /** The folder whose consent this lesson needs; undefined when it needs none. */
  private folder(loaded: LoadedLesson): string | undefined {
    return loaded.lesson.source === 'extra' ? this.folderOf(loaded.lesson.id) : undefined;
  }

  granted(loaded: LoadedLesson): boolean {
    const folder = this.folder(loaded);
    return folder === undefined || this.store.get().consents[folder]?.[loaded.lesson.id] === loaded.lesson.fingerprint;
  }

  state(loaded: LoadedLesson): LessonConsent {
    const folder = this.folder(loaded);
    const askedBy = this.ask ? 'app' : 'page';
    if (folder === undefined) return { needed: false, granted: true, askedBy, commands: [], probes: [] };
    return { needed: true, granted: this.granted(loaded), folder, askedBy, ...consentScope(loaded) };
  }

  /**
   * Records consent to the lesson the learner was shown (`fingerprint`); in the
   * desktop app only once its own dialog was answered with Allow.
   */
  async allow(loaded: LoadedLesson, fingerprint: string): Promise<LessonConsent> {
    if (fingerprint !== loaded.lesson.fingerprint) throw lessonChanged();
    const folder = this.folder(loaded);
    if (folder === undefined || this.granted(loaded)) return this.state(loaded);
    const scope = consentScope(loaded);
    if (this.ask && !(await this.ask({ lessonId: loaded.lesson.id, title: loaded.lesson.title, folder, ...scope }))) return this.state(loaded);
    await this.store.update((s) => {
      s.consents[folder] = { ...s.consents[folder], [loaded.lesson.id]: loaded.lesson.fingerprint };
    });
    return this.state(loaded);
  }
}
