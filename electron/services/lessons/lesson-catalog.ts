// The lessons the app offers: the folders given at start (the built-in course,
// --lessons) and the folders opened in Settings, loaded (cached, or from the
// build's snapshot), each id once (firstOfEachId), in lesson order. It also
// previews a folder before it is opened, the way lessons:lint would see it.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LabError } from '../../api/errors';
import type { AddFolderResult, LessonProblem } from '../../api/types';
import type { SettingsStore } from '../settings/settings-store';
import { MANIFEST_FILE, type LoadedLesson } from './lesson-files';
import { compareLessons, findLessons, firstOfEachId, type FoundLesson, type LessonCache } from './loader';
import { readPrebuilt, type PrebuiltLessons } from './prebuilt-lessons';

export interface LessonSource {
  dir: string;
  source: 'builtin' | 'extra';
  /** The build's parsed snapshot of this folder (builtin-lessons.json): folders it matches are not parsed. */
  prebuilt?: string;
}

export class LessonCatalog {
  /** Id → lesson, in lesson order. */
  private lessons = new Map<string, LoadedLesson>();
  private problemsFound: LessonProblem[] = [];
  /** Lesson id → the source folder it came from (an extra lesson's consent is per folder). */
  private sourceFolders = new Map<string, string>();
  /** Unchanged lesson folders are not parsed again on every reload. */
  private readonly cache: LessonCache = new Map();
  private readonly snapshots = new Map<string, PrebuiltLessons | undefined>();
  private readonly given: LessonSource[];

  constructor(
    given: readonly LessonSource[],
    /** Holds the folders opened in Settings. */
    private readonly settings: SettingsStore,
  ) {
    this.given = given.map((l) => ({ ...l, dir: resolve(l.dir) }));
  }

  /** Loads every source again (only changed folders are read). */
  async reload(): Promise<void> {
    const found: FoundLesson[] = [];
    const problems: LessonProblem[] = [];
    const folderOf = new Map<string, string>();
    for (const { dir, source, prebuilt } of this.sources()) {
      const loaded = await findLessons(dir, source, this.cache, this.snapshot(prebuilt));
      problems.push(...loaded.problems);
      found.push(...loaded.found);
      for (const f of loaded.found) folderOf.set(f.lesson.dir, dir);
    }
    // Sources in order: a lesson of the built-in course keeps its id against any other folder.
    const unique = firstOfEachId(found);
    this.lessons = new Map(unique.lessons.sort(compareLessons).map((l) => [l.lesson.id, l]));
    this.sourceFolders = new Map(unique.lessons.flatMap((l) => {
      const from = folderOf.get(l.dir);
      return from === undefined ? [] : [[l.lesson.id, from] as const];
    }));
    this.problemsFound = [...problems, ...unique.problems];
  }

  /** Every lesson, in lesson order. */
  list(): LoadedLesson[] {
    return [...this.lessons.values()];
  }

  /** What kept a lesson out at the last reload, each with a file and a line. */
  problems(): LessonProblem[] {
    return this.problemsFound;
  }

  get(id: string): LoadedLesson {
    const found = this.lessons.get(id);
    if (!found) throw new LabError(`There is no lesson "${id}".`, 'not-found');
    return found;
  }

  /** The source folder a lesson came from. */
  folderOf(lessonId: string): string | undefined {
    return this.sourceFolders.get(lessonId);
  }

  /** Every image the lessons use, each once, sorted. */
  images(): string[] {
    return [...new Set(this.list().flatMap((l) => l.lesson.images))].sort();
  }

  /**
   * Validates an instructor's folder like lessons:lint and, when it is clean,
   * keeps it (in the settings) beside the course. A folder given at start is
   * not stored again.
   */
  async addFolder(path: string): Promise<AddFolderResult> {
    const { folder, lessons, problems } = await this.preview(path);
    if (problems.length > 0) return { folder, added: false, lessons, problems };
    if (!this.settings.get().lessonFolders.includes(folder) && !this.given.some((g) => g.dir === folder)) {
      await this.settings.update((s) => {
        s.lessonFolders.push(folder);
      });
    }
    await this.reload();
    return { folder, added: true, lessons, problems: [] };
  }

  /** Forgets a folder opened in Settings, and the consents given to its lessons. */
  async removeFolder(path: string): Promise<void> {
    const folder = resolve(path);
    if (!this.settings.get().lessonFolders.includes(folder)) throw new LabError(`${folder} is not an opened lesson folder.`, 'not-found');
    await this.settings.update((s) => {
      s.lessonFolders = s.lessonFolders.filter((f) => f !== folder);
      delete s.consents[folder];
    });
    await this.reload();
  }

  /** A folder's lessons and problems as opening it would give them (paths relative to it, as lessons:lint prints them). */
  private async preview(path: string): Promise<Omit<AddFolderResult, 'added'>> {
    const folder = resolve(path);
    const isDir = await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) return { folder, lessons: [], problems: [{ file: folder, line: 1, message: `not a folder: ${folder}` }] };
    const { found, problems } = await findLessons(folder, 'extra');
    // Its ids against the other folders' (opening it again checks it against itself only once).
    const taken = new Map(this.list().filter((l) => this.folderOf(l.lesson.id) !== folder).map((l) => [l.lesson.id, l.dir]));
    problems.push(...firstOfEachId(found, taken).problems);
    if (found.length === 0 && problems.length === 0) {
      const hint = (await stat(join(folder, MANIFEST_FILE)).then(() => true, () => false))
        ? `this is one lesson's folder; open the folder that holds it (${dirname(folder)})`
        : `a course folder holds one sub-folder per lesson, each with ${MANIFEST_FILE}, en.md and zh-CN.md`;
      problems.push({ file: folder, line: 1, message: `no lessons found: ${hint}` });
    }
    return { folder, lessons: [...new Set(found.map((f) => f.lesson.lesson.id))], problems };
  }

  /** The folders given at start, then the ones opened in Settings. */
  private sources(): LessonSource[] {
    const opened = this.settings.get().lessonFolders.filter((dir) => !this.given.some((g) => g.dir === dir));
    return [...this.given, ...opened.map((dir) => ({ dir, source: 'extra' as const }))];
  }

  private snapshot(file: string | undefined): PrebuiltLessons | undefined {
    if (!file) return undefined;
    if (!this.snapshots.has(file)) this.snapshots.set(file, readPrebuilt(file));
    return this.snapshots.get(file);
  }
}
