// Starts browser mode (the built out/main/serve.js) the way a user would, with
// the Node flags of `npm run serve`, on a free port with a fresh data directory,
// and stops it with SIGTERM. The tests and the benchmarks both start it through
// here. The printed address's launch code is traded once for the session
// credential (`token`); `launchUrl()` mints a fresh address for each page.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatLaunchUrl, parseLaunchFragment, type LaunchUrlOptions } from '../../electron/api/launch-link';
import { SERVE_NODE_FLAGS } from '../../electron/server/node-flags';
import { mintLaunchCode, redeemLaunchCode } from './api-socket';

export interface ServeHandle {
  /** The address serve printed. Its launch code is spent already (on `token`), unless keepPrintedCode. */
  printedUrl: string;
  /** Its launch code. */
  printedCode: string;
  origin: string;
  /** The session credential ('' with keepPrintedCode). */
  token: string;
  /** A fresh address for one page: a new launch code, with an optional query and route. */
  launchUrl(options?: LaunchUrlOptions): Promise<string>;
  dataDir: string;
  pid: number;
  /** Wall-clock ms (timeOrigin + now) just before the spawn, and when it printed its address. */
  spawnedAt: number;
  readyAt: number;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  dataDir?: string;
  /** Prefix of the fresh data directory when none is given. */
  dataDirPrefix?: string;
  /** Remove the fresh data directory on stop (benchmarks start hundreds). */
  removeDataDir?: boolean;
  args?: string[];
  /** Node's own flags, before the script (the memory benchmark traces full GCs). */
  nodeArgs?: string[];
  /** Extra environment, e.g. DOCKER_HOST. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** Leave the printed launch code unused (a page opens the printed address); no credential then. */
  keepPrintedCode?: boolean;
}

const ROOT = resolve(__dirname, '../..');
const wallClock = (): number => performance.timeOrigin + performance.now();

export async function startServe(options: ServeOptions = {}): Promise<ServeHandle> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), options.dataDirPrefix ?? 'netlab-e2e-')));
  const spawnedAt = wallClock();
  const child = spawn(
    process.execPath,
    [...SERVE_NODE_FLAGS, ...(options.nodeArgs ?? []), join(ROOT, 'out/main/serve.js'), '--port', '0', '--no-open', '--clean-shell', '--data-dir', dataDir, ...(options.args ?? [])],
    // The login shell is bash, whatever it is on the machine running them (env or --shell may name another).
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash', HISTFILE: join(dataDir, 'bash_history'), ...options.env } },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), options.startTimeoutMs ?? 20_000);
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
  const readyAt = wallClock();
  const parsed = new URL(url);
  const printedCode = parseLaunchFragment(parsed.hash).code;
  if (!printedCode) throw new Error(`serve printed no launch code: ${url}`);
  const token = options.keepPrintedCode
    ? ''
    : await redeemLaunchCode(parsed.origin, printedCode).catch((err: unknown) => {
        child.kill('SIGKILL');
        throw err;
      });
  return {
    printedUrl: url,
    printedCode,
    origin: parsed.origin,
    token,
    launchUrl: async (launch = {}) => {
      if (!token) throw new Error('no session credential (keepPrintedCode) to mint launch codes with');
      return formatLaunchUrl(parsed.origin, await mintLaunchCode(parsed.origin, token), launch);
    },
    dataDir,
    pid: child.pid ?? -1,
    spawnedAt,
    readyAt,
    process: child,
    output: () => out,
    stop: async () => {
      const code =
        child.exitCode !== null || child.signalCode !== null
          ? child.exitCode
          : await new Promise<number | null>((done) => {
              const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', (exitCode) => {
                clearTimeout(timer);
                done(exitCode);
              });
              child.kill('SIGTERM');
            });
      if (options.removeDataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      return code;
    },
  };
}
