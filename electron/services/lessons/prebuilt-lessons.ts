// The built-in course, parsed at build time. electron.vite.config.ts writes
// out/main/builtin-lessons.json; start-up reads it instead of loading
// markdown-it and two YAML parsers and parsing every lesson, which together
// were the bulk of start-up (bench/scenarios/startup.ts). Each folder is keyed
// by a hash of its files, so a lesson edited after the build is parsed again.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Lesson, LessonProblem, SolutionCommand } from '../../api/types';
import type { CheckpointDef, QuizDef } from './checkpoint-schema';
import { LESSON_FILES, lessonFolderNames, type LessonResult, type NearMiss } from './lesson-files';

/** Bump when the stored shape or the parser's output changes meaning. */
const FORMAT = 3;

export const PREBUILT_LESSONS_FILE = 'builtin-lessons.json';

interface StoredResult {
  lesson?: {
    lesson: Lesson;
    defs: [string, CheckpointDef][];
    quizzes: [string, QuizDef][];
    nearMisses: NearMiss[];
    runnable: [string, SolutionCommand][];
  };
  problems: LessonProblem[];
  idLine: number;
}

export interface PrebuiltLessons {
  format: number;
  /** Folder name -> the hash of its files and what parsing them gave. */
  folders: Record<string, { key: string; result: StoredResult }>;
}

/** A hash of what parsing a folder depends on: the source label and every lesson file's bytes. */
function folderKey(dir: string, source: 'builtin' | 'extra'): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${source}\0`);
  for (const name of LESSON_FILES) {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(join(dir, name));
    } catch {
      bytes = undefined;
    }
    hash.update(bytes ? `${name}\0${bytes.length}\0` : `${name}\0-\0`);
    if (bytes) hash.update(bytes);
  }
  return hash.digest('hex');
}

function store(result: LessonResult): StoredResult {
  const l = result.lesson;
  return {
    ...(l ? { lesson: { lesson: l.lesson, defs: [...l.defs], quizzes: [...l.quizzes], nearMisses: l.nearMisses, runnable: [...l.runnable] } } : {}),
    problems: result.problems,
    idLine: result.idLine?.() ?? 1,
  };
}

function revive(stored: StoredResult, dir: string): LessonResult {
  const l = stored.lesson;
  return {
    ...(l ? {
          lesson: { lesson: l.lesson, defs: new Map(l.defs), quizzes: new Map(l.quizzes), nearMisses: l.nearMisses, runnable: new Map(l.runnable), dir },
        } : {}),
    problems: stored.problems,
    idLine: () => stored.idLine,
  };
}

/** Parses every lesson folder of `root` into a snapshot (at build time). */
export async function prebuildLessons(root: string, source: 'builtin' | 'extra'): Promise<PrebuiltLessons> {
  // Imported here, not above: loader.ts imports this module, and start-up must not load the parser.
  const { parseLesson } = await import('./parse-lesson');
  const abs = resolve(root);
  const folders: PrebuiltLessons['folders'] = {};
  for (const name of lessonFolderNames(abs) ?? []) {
    const dir = join(abs, name);
    folders[name] = { key: folderKey(dir, source), result: store(await parseLesson(dir, source)) };
  }
  return { format: FORMAT, folders };
}

/** The snapshot in `file`; undefined when it is missing or from another format (the lessons are then parsed). */
export function readPrebuilt(file: string): PrebuiltLessons | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as PrebuiltLessons;
    return data.format === FORMAT && typeof data.folders === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** The snapshot's result for a folder whose files are exactly those it was built from. */
export function prebuiltResult(prebuilt: PrebuiltLessons, dir: string, source: 'builtin' | 'extra'): LessonResult | undefined {
  const entry = prebuilt.folders[basename(dir)];
  if (!entry || entry.key !== folderKey(dir, source)) return undefined;
  return revive(entry.result, dir);
}
