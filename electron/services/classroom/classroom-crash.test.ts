// The hub process is killed (SIGKILL, no clean-up) and started again on the same data: the code
// is the same and the learner, reconnecting with backoff, is taken back with its progress.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseJoinCode } from './join-code';
import { LearnerClient } from './learner-client';
import { ManualTimers } from './test-fixtures/manual-timers';


interface HubProcess {
  child: ChildProcess;
  /** Resolves with the next stdout line that starts with `prefix`, split into words. */
  line: (prefix: string) => Promise<string[]>;
}

function startHubProcess(dataDir: string, port: number): HubProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'test-fixtures/hub-process.ts'), dataDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (w: string[]) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const i = waiters.findIndex((w) => l.startsWith(w.prefix));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(l.split(' '));
    else lines.push(l);
  });
  return {
    child,
    line: (prefix) => {
      const i = lines.findIndex((l) => l.startsWith(prefix));
      if (i >= 0) return Promise.resolve(lines.splice(i, 1)[0]!.split(' '));
      return new Promise((r) => waiters.push({ prefix, resolve: r }));
    },
  };
}

let dir: string;
const children: ChildProcess[] = [];
let client: LearnerClient | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e19classroom-crash-'));
});
afterEach(async () => {
  client?.close();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('a hub killed mid-class comes back with the same code and takes its learner back', { timeout: 60_000 }, async () => {
  const first = startHubProcess(dir, 0);
  children.push(first.child);
  const [, port, fullCode] = await first.line('ready');
  const code = parseJoinCode(fullCode!);
  const timers = new ManualTimers();
  client = new LearnerClient({ host: '127.0.0.1', port: Number(port), fingerprint: code.fingerprint!, secret: code.secret, name: 'Ada', timers, random: () => 0.5 });
  client.start();
  const [, learnerId] = await first.line('joined');
  client.updateProgress({ lessonId: 'bridge', stepId: 's1', checkpoints: [{ id: 'ping-web', status: 'failed', reason: 'no route' }], hintsRevealed: [], solutionsUsed: [], secondsOnStep: 5, coachHint: null });
  expect(await first.line('saved')).toEqual(['saved', learnerId, 'failed']);

  const reconnecting = once(client, 'reconnecting');
  first.child.kill('SIGKILL');
  await reconnecting;
  // Working alone meanwhile: this state catches up after the rejoin.
  client.updateProgress({ lessonId: 'bridge', stepId: 's1', checkpoints: [{ id: 'ping-web', status: 'passed' }], hintsRevealed: [], solutionsUsed: [], secondsOnStep: 9, coachHint: null });

  const second = startHubProcess(dir, Number(port));
  children.push(second.child);
  expect((await second.line('ready'))[2]).toBe(fullCode);
  timers.fireAll();
  // Taken back from the record on disk (still 'failed' there), then resynced to 'passed'.
  expect(await second.line('joined')).toEqual(['joined', learnerId, 'failed']);
  expect(await second.line('saved')).toEqual(['saved', learnerId, 'passed']);
  expect(client.state).toBe('joined');
});
