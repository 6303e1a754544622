// The learner's progress: per lesson, the current step and when each
// checkpoint passed. One JSON file in the data directory, written atomically
// and serially; a corrupt or newer-format file is set aside, never fatal.
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { LessonProgress, ProgressSnapshot } from '../../api/types';
import { writeFileAtomic } from '../fs/atomic-write';
import { readVersionedJson } from '../fs/versioned-json';

const PROGRESS_VERSION = 1;

const fileSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  lessons: z.record(
    z.string(),
    z.object({
      stepId: z.string().optional(),
      passed: z.record(z.string(), z.string()),
      updatedAt: z.string().optional(),
    }),
  ),
});

export class ProgressStore {
  private lessons: Record<string, LessonProgress> = {};
  private warning: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Reads the file; a missing one is an empty progress, a broken one is set aside. */
  async load(): Promise<void> {
    await this.removeStaleTempFiles();
    const read = await readVersionedJson(this.file, fileSchema, PROGRESS_VERSION);
    if (read.data) this.lessons = read.data.lessons;
    else if (read.setAsideAs) this.warning = `Your progress file was ${read.why}. It was set aside as ${read.setAsideAs} and progress starts fresh.`;
  }

  /** A crash mid-write leaves a temp file beside the real one; it is never the truth. */
  private async removeStaleTempFiles(): Promise<void> {
    const prefix = `${basename(this.file)}.`;
    const names = await readdir(dirname(this.file)).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n.startsWith(prefix) && n.endsWith('.tmp'))
        .map((n) => unlink(join(dirname(this.file), n)).catch(() => undefined)),
    );
  }

  snapshot(): ProgressSnapshot {
    return { lessons: structuredClone(this.lessons), ...(this.warning ? { warning: this.warning } : {}) };
  }

  lesson(lessonId: string): LessonProgress {
    return structuredClone(this.lessons[lessonId] ?? { passed: {} });
  }

  async setStep(lessonId: string, stepId: string): Promise<void> {
    const entry = this.entry(lessonId);
    if (entry.stepId === stepId) return;
    entry.stepId = stepId;
    await this.save();
  }

  /** Records checkpoints that passed; earlier pass times are kept. */
  async markPassed(lessonId: string, passed: Record<string, string>): Promise<void> {
    const entry = this.entry(lessonId);
    let changed = false;
    for (const [id, at] of Object.entries(passed)) {
      if (!entry.passed[id]) {
        entry.passed[id] = at;
        changed = true;
      }
    }
    if (changed) await this.save();
  }

  /** Forgets every lesson's progress (Settings → reset all progress); the file stays, empty. */
  async reset(): Promise<void> {
    this.lessons = {};
    await this.save();
  }

  /** Resolves when every change so far is on disk. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private entry(lessonId: string): LessonProgress {
    const entry = (this.lessons[lessonId] ??= { passed: {} });
    entry.updatedAt = new Date().toISOString();
    return entry;
  }

  private save(): Promise<void> {
    // Serialise writes so an older snapshot never lands after a newer one.
    const data = JSON.stringify({ version: PROGRESS_VERSION, lessons: this.lessons }, null, 2);
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, data));
    return this.writing;
  }
}
