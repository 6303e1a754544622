// Starts browser mode (the built out/main/serve.js) the way a user would, on a
// free port with a fresh data directory, and stops it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

const ROOT = resolve(__dirname, '../..');

export async function startServe(
  options: { dataDir?: string; args?: string[]; /** Extra environment, e.g. DOCKER_HOST. */ env?: Record<string, string> } = {},
): Promise<ServeHandle> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'netlab-e2e-')));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'out/main/serve.js'), '--port', '0', '--no-open', '--clean-shell', '--data-dir', dataDir, ...(options.args ?? [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HISTFILE: join(dataDir, 'bash_history'), ...options.env } },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 20_000);
    const onData = (): void => {
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    process: child,
    output: () => out,
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop(child.exitCode);
        child.once('exit', (code) => resolveStop(code));
        child.kill('SIGTERM');
      }),
  };
}
