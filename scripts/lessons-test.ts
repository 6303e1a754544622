// npm run lessons:test [-- lesson-id… --lessons DIR --shell PATH]
// Proves every lesson against the real engine: each checkpoint fails before
// and passes after its step's solution, each near-miss leaves its checkpoints
// unpassed, and a lab reset leaves none of the lesson's names behind. Prints a
// table, then `N passed, M failed` alone on the last line; exits 1 on any failure.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findShell, parseArgs, USAGE } from './lesson-runner/args';
import { counts, formatReport } from './lesson-runner/report';
import { resetOpenLabs } from './lesson-runner/lab';
import { runLessonTests } from './lesson-runner/runner';

const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'lessons');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), DEFAULT_ROOT);
  if ('error' in args) {
    console.error(`${args.error}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const shell = args.shell === undefined ? undefined : findShell(args.shell);
  if (args.shell !== undefined && shell === undefined) {
    console.error(`--shell: no program ${args.shell} to run (not found, or not executable)\n${USAGE}`);
    return 2;
  }
  const report = await runLessonTests({
    lessonsDir: args.lessonsDir,
    source: args.extra ? 'extra' : 'builtin',
    lessonIds: args.lessonIds,
    ...(shell !== undefined ? { shell } : {}),
    print: (line) => console.log(line),
  });
  const { passed, failed } = counts(report);
  if (passed + failed === 0) console.log(`no lessons in ${args.lessonsDir}`);
  console.log('');
  console.log(formatReport(report));
  return failed > 0 || passed === 0 ? 1 : 0;
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error(`\n${signal}: resetting the open lab, then stopping (again to stop at once)`);
  void resetOpenLabs().finally(() => process.exit(130));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main().then(
  (code) => {
    process.exitCode = code;
    // Docker's keep-alive sockets must not hold the process open.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
