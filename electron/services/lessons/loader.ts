// Loads lesson folders: every sub-folder of a lessons root holding a
// lesson.yaml. Parsing one folder is parse-lesson.ts, imported only when a
// folder is neither in the in-memory cache nor in the build's snapshot of the
// built-in course (prebuilt-lessons.ts): the parser's libraries are the bulk of
// what start-up would otherwise load before the lesson list can be answered.
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LessonProblem } from '../../api/types';
import { LESSON_FILES, lessonFolderNames, MANIFEST_FILE, type LessonResult, type LoadedLesson } from './lesson-files';
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

/**
 * Loads every sub-folder of `root` holding a lesson.yaml, sorted by order then
 * id. Broken lessons and duplicate ids are left out and reported. With a cache,
 * unchanged folders are not read again; with a prebuilt snapshot, folders whose
 * files are exactly those it was built from are not parsed.
 */
export async function loadLessons(
  root: string,
  source: 'builtin' | 'extra',
  cache?: LessonCache,
  prebuilt?: PrebuiltLessons,
): Promise<{ lessons: LoadedLesson[]; problems: LessonProblem[] }> {
  const abs = resolve(root);
  const folders = lessonFolderNames(abs);
  if (!folders) return { lessons: [], problems: [{ file: abs, line: 1, message: `lessons folder not found: ${abs}` }] };
  if (cache) {
    const live = new Set(folders.map((name) => join(abs, name)));
    for (const dir of cache.keys()) if (dirname(dir) === abs && !live.has(dir)) cache.delete(dir);
  }
  const results = await Promise.all(folders.map((name) => loadCached(join(abs, name), source, cache, prebuilt)));
  const problems = results.flatMap((r) => r.problems);
  const loaded = results
    .flatMap((r) => (r.lesson ? [{ lesson: r.lesson, idLine: r.idLine }] : []))
    .sort((a, b) => a.lesson.lesson.order - b.lesson.lesson.order || a.lesson.lesson.id.localeCompare(b.lesson.lesson.id) || a.lesson.dir.localeCompare(b.lesson.dir));

  const lessons: LoadedLesson[] = [];
  const byId = new Map<string, LoadedLesson>();
  for (const { lesson: l, idLine } of loaded) {
    const first = byId.get(l.lesson.id);
    if (first) {
      problems.push({
        file: `${basename(l.dir)}/${MANIFEST_FILE}`,
        line: idLine?.() ?? 1,
        message: `duplicate lesson id "${l.lesson.id}" (also in ${basename(first.dir)}/)`,
      });
      continue;
    }
    byId.set(l.lesson.id, l);
    lessons.push(l);
  }
  return { lessons, problems };
}
