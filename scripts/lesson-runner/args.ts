// Command-line arguments of `npm run lessons:test [lesson-id…] [--lessons DIR]`.
import { resolve } from 'node:path';

export interface RunnerArgs {
  /** Lesson ids (or folder names) to test; empty: every lesson in the folder. */
  lessonIds: string[];
  /** The lessons folder, absolute. */
  lessonsDir: string;
  /** True when DIR came from --lessons (an instructor's folder). */
  extra: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run lessons:test -- [lesson-id…] [--lessons DIR]

Runs each lesson's step solutions through a real host shell against the Docker
engine and checks that every checkpoint fails before and passes after, that
every recorded near-miss leaves its checkpoints unpassed, and that lab reset
removes everything the lesson names. Exits 1 on any failure.`;

export function parseArgs(argv: readonly string[], defaultDir: string, cwd: string = process.cwd()): RunnerArgs | { error: string } {
  const out: RunnerArgs = { lessonIds: [], lessonsDir: resolve(defaultDir), extra: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--lessons') {
      const value = argv[++i];
      if (!value || value.startsWith('-')) return { error: '--lessons needs a folder' };
      out.lessonsDir = resolve(cwd, value);
      out.extra = true;
    } else if (arg.startsWith('--lessons=')) {
      const value = arg.slice('--lessons='.length);
      if (!value) return { error: '--lessons needs a folder' };
      out.lessonsDir = resolve(cwd, value);
      out.extra = true;
    } else if (arg === '--help' || arg === '-h') {
      out.help = true;
    } else if (arg.startsWith('-')) {
      return { error: `unknown option: ${arg}` };
    } else if (!out.lessonIds.includes(arg)) {
      out.lessonIds.push(arg);
    }
  }
  return out;
}
