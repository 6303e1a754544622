// Browser mode as the benchmarks run it: the same launcher as the tests
// (test/support/serve.ts), plus building on demand and reading RSS.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startServe as startTestServe, type ServeHandle } from '../../test/support/serve';

export const ROOT = resolve(__dirname, '../..');

export type { ServeHandle };

/** Builds the app once if out/ is missing. */
export function ensureBuilt(log: (m: string) => void): void {
  if (existsSync(join(ROOT, 'out/main/serve.js')) && existsSync(join(ROOT, 'out/renderer/index.html'))) return;
  log('out/ is missing: building with electron-vite');
  const res = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('electron-vite build failed');
}

/** The tests' launcher, with a data directory of its own that goes away on stop. */
export function startServe(extraArgs: string[] = [], nodeArgs: string[] = [], options: { keepPrintedCode?: boolean } = {}): Promise<ServeHandle> {
  return startTestServe({ args: extraArgs, nodeArgs, dataDirPrefix: 'netlab-bench-', removeDataDir: true, startTimeoutMs: 30_000, ...options });
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kib) / 1024;
}
