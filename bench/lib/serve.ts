// Browser mode as the benchmarks run it: the built out/main/serve.js on a free
// port with a fresh data directory and a clean host shell.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { epochMs } from './stats';

export const ROOT = resolve(__dirname, '../..');

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  pid: number;
  /** Wall-clock ms (epochMs) just before the process was spawned, and when it printed its address. */
  spawnedAt: number;
  readyAt: number;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Builds the app once if out/ is missing. */
export function ensureBuilt(log: (m: string) => void): void {
  if (existsSync(join(ROOT, 'out/main/serve.js')) && existsSync(join(ROOT, 'out/renderer/index.html'))) return;
  log('out/ is missing: building with electron-vite');
  const res = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('electron-vite build failed');
}

export async function startServe(extraArgs: string[] = []): Promise<ServeHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), 'netlab-bench-'));
  const spawnedAt = epochMs();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'out/main/serve.js'), '--port', '0', '--no-open', '--clean-shell', '--data-dir', dataDir, ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HISTFILE: join(dataDir, 'bash_history') } },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const onData = (): void => {
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const readyAt = epochMs();
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    pid: child.pid ?? -1,
    spawnedAt,
    readyAt,
    process: child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((done) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGTERM');
        });
      }
      await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kib) / 1024;
}
