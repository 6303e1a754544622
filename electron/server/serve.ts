// `npm run serve`: NetLab in a browser. The same services as the Electron app,
// served on 127.0.0.1 behind a random per-run token.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopback, newToken } from './auth';
import { Broadcaster } from './broadcaster';
import { startServer } from './http-server';
import { initialPageFiles, type ViteManifest } from './page-files';

const USAGE = `Usage: npm run serve -- [options]
  --port N          port to listen on (default 5183; 0 picks a free one)
  --host ADDR       address to bind (default 127.0.0.1)
  --allow-remote    required to bind a non-loopback address (it exposes a shell)
  --data-dir DIR    where progress, the lab ledger and settings.json live
  --lessons DIR     an extra lesson folder, listed beside the built-in course
  --no-open         do not open a browser
  --clean-shell     host shell without your own rc files`;

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5183' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      lessons: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      'clean-shell': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  if (!isLoopback(values.host) && !values['allow-remote']) {
    throw new Error(`--host ${values.host} is not a loopback address. Anyone who can reach it and holds the token gets a shell on this machine; add --allow-remote if that is what you want.`);
  }
  if (!isLoopback(values.host)) {
    console.warn(`WARNING: serving on ${values.host}: this exposes a shell with access to the Docker engine to your network (token-protected).`);
  }

  const events = new Broadcaster();
  // Listen first, and load the rest (settings, the log, zod, dockerode, node-pty, the lessons:
  // ~500 ms of work that blocks this thread) once the page's own files have gone out: the
  // browser parses and runs the page meanwhile instead of waiting for its first byte. So this
  // module imports nothing heavy. With no page asking within 300 ms (a browser still starting)
  // the rest loads anyway. Calls wait for it; a failure to start is still fatal below.
  const staticDir = resolve(__dirname, '../renderer');
  const manifest = JSON.parse(readFileSync(join(staticDir, '.vite/manifest.json'), 'utf8')) as ViteManifest;
  const first = initialPageFiles(manifest);
  const pageFiles = new Set(['/', ...[...first.scripts, ...first.styles].map((f) => `/${f}`)]);
  let pageOut!: () => void;
  const pageServed = new Promise<void>((ok) => (pageOut = ok));
  const onServed = (pathname: string): void => {
    pageFiles.delete(pathname === '/index.html' ? '/' : pathname);
    if (pageFiles.size === 0) pageOut();
  };
  const token = newToken();
  const apiReady = pageServed
    .then(() => import('./serve-services'))
    .then(({ startServedApi }) =>
      startServedApi({ mainDir: __dirname, host: values.host, token, dataDir: values['data-dir'], lessons: values.lessons, cleanShell: values['clean-shell'] }, events),
    );
  apiReady.catch(() => undefined); // awaited (and reported) below
  const server = await startServer({
    host: values.host,
    port,
    token,
    staticDir,
    dispatch: async (method, input) => (await apiReady).dispatch(method, input),
    events,
    onServed,
  });
  console.log(`NetLab is serving at ${server.url}`);
  if (!values['no-open']) openBrowser(server.url);
  setTimeout(pageOut, 300);

  // Signals are ours from the moment the address is out, services loading or not: a stop
  // waits for them (well under a second) so it can dispose of them and close the log.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping terminals and the server`);
    void apiReady.then(
      async ({ services, log, closeAppLog }) => {
        log.info('stopping', { signal });
        await Promise.allSettled([services.dispose(), server.close()]);
        await closeAppLog();
        process.exit(0);
      },
      () => undefined, // the services failed to start: main() reports it and exits
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const { log } = await apiReady;
  log.info('serving', { origin: new URL(server.url).origin });
}

main().catch(async (err: unknown) => {
  console.error(`netlab: ${err instanceof Error ? err.message : String(err)}`);
  const logger = await import('../services/app/logger').catch(() => undefined);
  logger?.log.error('netlab failed to start', { err });
  await logger?.closeAppLog();
  process.exit(1);
});
