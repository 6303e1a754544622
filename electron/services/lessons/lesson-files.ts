// What a lesson folder holds, which folders of a root are lessons, and what
// loading one gives: shared by the parser (parse-lesson.ts), the folder loader
// (loader.ts) and the build's snapshot (prebuilt-lessons.ts), none of which
// may load the parser just to know these.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path, { join, resolve } from 'node:path';
import { LOCALES, type Lesson, type LessonProblem, type Locale, type Localized, type SolutionCommand } from '../../api/types';
import type { CheckpointDef, QuizDef } from './checkpoint-schema';

export const MANIFEST_FILE = 'lesson.yaml';
/** Everything we read of one lesson together; bigger is refused unread. */
export const MAX_LESSON_BYTES = 1024 * 1024;

export const localeFile = (locale: Locale): string => `${locale}.md`;

/** A lesson file as problems name it: its folder and its name, with the platform's separator. */
export function lessonFileLabel(folder: string, name: string, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? path.win32 : path.posix).join(folder, name);
}

/** The files of one lesson folder, manifest first. */
export const LESSON_FILES: readonly string[] = [MANIFEST_FILE, ...LOCALES.map(localeFile)];

/** The size of a regular file; undefined when it is missing, not a file, or under a file. */
export function fileSize(path: string): number | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** The sub-folders of a lessons root that hold a lesson.yaml, sorted; undefined when the root is not a folder. */
export function lessonFolderNames(root: string): string[] | undefined {
  const abs = resolve(root);
  let entries: string[];
  try {
    if (!statSync(abs).isDirectory()) return undefined;
    entries = readdirSync(abs).sort();
  } catch {
    return undefined;
  }
  return entries.filter((name) => !name.startsWith('.') && fileSize(join(abs, name, MANIFEST_FILE)) !== undefined);
}

export interface NearMiss {
  stepId: string;
  label: Localized;
  commands: SolutionCommand[];
  fails: string[];
}

export interface LoadedLesson {
  lesson: Lesson;
  /** Checkpoint id -> its definition (defaults applied), for the checkpoint engine. Quizzes included. */
  defs: Map<string, CheckpointDef>;
  /** Quiz id -> its definition, with the right answers (never sent to the renderer). */
  quizzes: Map<string, QuizDef>;
  nearMisses: NearMiss[];
  /** Runnable block id (the `block=ID` in the served text) -> where it runs and what it types. */
  runnable: Map<string, SolutionCommand>;
  /** Absolute path of the lesson folder. */
  dir: string;
}

/**
 * A hash of everything a lesson shows and does: its text in every locale,
 * solutions, runnable blocks, checkpoints with their probes, quizzes and
 * near-misses. Consent to an instructor's lesson is given to this hash, and a
 * Run names it, so a lesson changed on disk after it was shown runs nothing.
 */
export function lessonFingerprint(loaded: Omit<LoadedLesson, 'dir'>): string {
  const { fingerprint: _, ...lesson } = loaded.lesson;
  const content = {
    lesson,
    defs: [...loaded.defs],
    quizzes: [...loaded.quizzes],
    nearMisses: loaded.nearMisses,
    runnable: [...loaded.runnable],
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** One lesson folder, loaded: `lesson` is set only when no problem was found. */
export interface LessonResult {
  lesson?: LoadedLesson;
  problems: LessonProblem[];
  /** The line of `id:` in lesson.yaml, for a duplicate-id problem (on demand: it may need the slow YAML parser). */
  idLine?: () => number;
}
