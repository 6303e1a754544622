// npm run lessons:lint [-- --lessons DIR]
// Loads every lesson the way the app does, adds a shallow shell-syntax check
// of runnable snippets, prints `file:line: message` per problem and exits 1 if
// there is any.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LessonProblem } from '../electron/api/types';
import { lessonFolderNames } from '../electron/services/lessons/lesson-files';
import { loadLessons } from '../electron/services/lessons/loader';
import { lintLessonShell } from '../electron/services/lessons/shell-check';

const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'lessons');

function parseArgs(argv: string[]): { root: string } | { error: string } {
  let root = DEFAULT_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--lessons') {
      const value = argv[++i];
      if (!value) return { error: '--lessons needs a folder' };
      root = resolve(value);
    } else if (arg.startsWith('--lessons=')) {
      root = resolve(arg.slice('--lessons='.length));
    } else {
      return { error: `unknown argument: ${arg}` };
    }
  }
  return { root };
}

export async function lint(root: string, print: (line: string) => void): Promise<number> {
  const { problems } = await loadLessons(root, 'builtin');
  const missingRoot = problems.some((p) => isAbsolute(p.file));
  const folders = missingRoot ? [] : (lessonFolderNames(root) ?? []);
  for (const folder of folders) problems.push(...(await lintLessonShell(join(root, folder))));

  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const shown = (p: LessonProblem): string => relative(process.cwd(), isAbsolute(p.file) ? p.file : join(root, p.file)) || '.';
  for (const p of unique) print(`${shown(p)}:${p.line}: ${p.message}`);

  const broken = new Set(unique.map((p) => p.file.split('/')[0]));
  const bad = folders.filter((f) => broken.has(f)).length;
  print(`lessons: ${folders.length - bad} ok, ${bad} with problems`);
  return unique.length > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(`${args.error}\nusage: tsx scripts/lessons-lint.ts [--lessons DIR]`);
    process.exit(2);
  }
  process.exitCode = await lint(args.root, (line) => console.log(line));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
