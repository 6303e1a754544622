// Loads lesson folders: every sub-folder of a lessons root holding a
// lesson.yaml. Parsing one folder is parse-lesson.ts, imported only when a
// folder is neither in the in-memory cache nor in the build's snapshot of the
// built-in course (prebuilt-lessons.ts): the parser's libraries are the bulk of
// what start-up would otherwise load before the lesson list can be answered.
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LessonProblem } from '../../api/types';
import { LESSON_FILES, lessonFileLabel, lessonFolderNames, MANIFEST_FILE, type LessonResult, type LoadedLesson } from './lesson-files';
import { prebuiltResult, type PrebuiltLessons } from './prebuilt-lessons';

export { MANIFEST_FILE, MAX_LESSON_BYTES, type LessonResult, type LoadedLesson, type NearMiss } from './lesson-files';

/** Parses one lesson folder (the parser's libraries load at the first miss). */
async function parseFolder(dir: string, source: 'builtin' | 'extra'): Promise<LessonResult> {
  const { parseLesson } = await import('./parse-lesson');
  return parseLesson(dir, source);
}

/**
 * Lesson folders already loaded, keyed by absolute folder; reused while the
 * size and mtime of every lesson file stay the same (an edit reloads that lesson).
 */
export type LessonCache = Map<string, { stamp: string; result: LessonResult }>;

function folderStamp(dir: string): string {
  const stats = LESSON_FILES.map((n) => statSync(join(dir, n), { throwIfNoEntry: false }));
  return stats.map((st) => (st ? `${st.size}:${st.mtimeMs}` : '-')).join('/');
}

async function loadUncached(dir: string, source: 'builtin' | 'extra', prebuilt: PrebuiltLessons | undefined): Promise<LessonResult> {
  return (prebuilt && prebuiltResult(prebuilt, dir, source)) ?? parseFolder(dir, source);
}

async function loadCached(
  dir: string,
  source: 'builtin' | 'extra',
  cache: LessonCache | undefined,
  prebuilt: PrebuiltLessons | undefined,
): Promise<LessonResult> {
  if (!cache) return loadUncached(dir, source, prebuilt);
  const stamp = `${source}|${folderStamp(dir)}`;
  const hit = cache.get(dir);
  if (hit && hit.stamp === stamp) return hit.result;
  const result = await loadUncached(dir, source, prebuilt);
  cache.set(dir, { stamp, result });
  return result;
}

/** One lesson folder of a root, loaded, before its id is checked against the others. */
export interface FoundLesson {
  lesson: LoadedLesson;
  /** The line of `id:` in its manifest, for a duplicate-id problem. */
  idLine?: () => number;
}

/** The one lesson order, wherever lessons are listed: by `order`, then id (then folder, for duplicates). */
export function compareLessons(a: LoadedLesson, b: LoadedLesson): number {
  return a.lesson.order - b.lesson.order || a.lesson.id.localeCompare(b.lesson.id) || a.dir.localeCompare(b.dir);
}

/**
 * Loads every sub-folder of `root` holding a lesson.yaml, in lesson order.
 * Broken lessons are left out and reported; ids are checked by the caller
 * (firstOfEachId), across every folder it loads. With a cache, unchanged
 * folders are not read again; with a prebuilt snapshot, folders whose files
 * are exactly those it was built from are not parsed.
 */
export async function findLessons(
  root: string,
  source: 'builtin' | 'extra',
  cache?: LessonCache,
  prebuilt?: PrebuiltLessons,
): Promise<{ found: FoundLesson[]; problems: LessonProblem[] }> {
  const abs = resolve(root);
  const folders = lessonFolderNames(abs);
  if (!folders) return { found: [], problems: [{ file: abs, line: 1, message: `lessons folder not found: ${abs}` }] };
  if (cache) {
    const live = new Set(folders.map((name) => join(abs, name)));
    for (const dir of cache.keys()) if (dirname(dir) === abs && !live.has(dir)) cache.delete(dir);
  }
  const results = await Promise.all(folders.map((name) => loadCached(join(abs, name), source, cache, prebuilt)));
  const found = results
    .flatMap((r) => (r.lesson ? [{ lesson: r.lesson, ...(r.idLine ? { idLine: r.idLine } : {}) }] : []))
    .sort((a, b) => compareLessons(a.lesson, b.lesson));
  return { found, problems: results.flatMap((r) => r.problems) };
}

/**
 * The one check that a lesson id is used once: keeps the first lesson of each
 * id and reports every later one at its id line. `taken` holds ids already in
 * use elsewhere (id → that lesson's folder), which count as seen first.
 */
export function firstOfEachId(
  found: readonly FoundLesson[],
  taken: ReadonlyMap<string, string> = new Map(),
  platform: NodeJS.Platform = process.platform,
): { lessons: LoadedLesson[]; problems: LessonProblem[] } {
  const seen = new Map(taken);
  const lessons: LoadedLesson[] = [];
  const problems: LessonProblem[] = [];
  for (const { lesson: l, idLine } of found) {
    const first = seen.get(l.lesson.id);
    if (first === undefined) {
      seen.set(l.lesson.id, l.dir);
      lessons.push(l);
      continue;
    }
    // Beside it in the same root: by its folder name, as lessons:lint names files; elsewhere: in full.
    const where = dirname(first) === dirname(l.dir) ? `${basename(first)}${platform === 'win32' ? '\\' : '/'}` : first;
    problems.push({ file: lessonFileLabel(basename(l.dir), MANIFEST_FILE, platform), line: idLine?.() ?? 1, message: `duplicate lesson id "${l.lesson.id}" (also in ${where})` });
  }
  return { lessons, problems };
}

/** The lessons of one root, each id once, in lesson order (lessons:lint, the scripts, the tests). */
export async function loadLessons(
  root: string,
  source: 'builtin' | 'extra',
  cache?: LessonCache,
  prebuilt?: PrebuiltLessons,
): Promise<{ lessons: LoadedLesson[]; problems: LessonProblem[] }> {
  const { found, problems } = await findLessons(root, source, cache, prebuilt);
  const unique = firstOfEachId(found);
  return { lessons: unique.lessons, problems: [...problems, ...unique.problems] };
}
