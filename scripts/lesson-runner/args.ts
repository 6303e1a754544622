// Command-line arguments of `npm run lessons:test [lesson-id…] [--lessons DIR] [--shell PATH]`.
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export interface RunnerArgs {
  /** Lesson ids (or folder names) to test; empty: every lesson in the folder. */
  lessonIds: string[];
  /** The lessons folder, absolute. */
  lessonsDir: string;
  /** True when DIR came from --lessons (an instructor's folder). */
  extra: boolean;
  /** The host shell's program (--shell); absent: the app's default (the learner's bash or zsh, else bash). */
  shell?: string;
  help: boolean;
}

export const USAGE = `usage: npm run lessons:test -- [lesson-id…] [--lessons DIR] [--shell PATH]

Runs each lesson's step solutions through a real host shell against the Docker
engine and checks that every checkpoint fails before and passes after, that
every recorded near-miss leaves its checkpoints unpassed, and that lab reset
removes everything the lesson names. Exits 1 on any failure.

  --lessons DIR   an instructor's lessons folder instead of the built-in course
  --shell PATH    the host shell to run them in (e.g. /bin/sh); default: the
                  app's own choice (your bash or zsh, else bash)`;

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
    } else if (arg === '--shell' || arg.startsWith('--shell=')) {
      const value = arg === '--shell' ? argv[++i] : arg.slice('--shell='.length);
      if (!value || value.startsWith('-')) return { error: '--shell needs a program' };
      // A path is taken from the working folder; a bare name is looked up in PATH (findShell).
      out.shell = value.includes('/') ? resolve(cwd, value) : value;
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

/** The shell program as it will be started: a path that can be run, or a name found in PATH; undefined when neither. */
export function findShell(shell: string, path: string = process.env.PATH ?? ''): string | undefined {
  const runnable = (file: string): boolean => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (isAbsolute(shell)) return runnable(shell) ? shell : undefined;
  for (const dir of path.split(delimiter)) {
    if (dir && runnable(join(dir, shell))) return join(dir, shell);
  }
  return undefined;
}
