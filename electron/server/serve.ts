// `npm run serve`: NetLab in a browser. The same services as the Electron app,
// served on 127.0.0.1. The printed address carries a launch code that works
// once, within a minute; the page trades it for this run's session credential
// (launch-link.ts, ws-protocol.ts). Enter in this terminal prints a new one.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopback, newSecret } from './auth';
import { userInfo } from 'node:os';
import { Broadcaster } from './broadcaster';
import type { EventName, Events } from '../api/contract';
import { startServer, type RunningServer } from './http-server';
import { LaunchCodes, launchTtlFromEnv } from './launch-codes';
import { formatLaunchUrl } from '../api/launch-link';
import { initialPageFiles, type ViteManifest } from './page-files';

const USAGE = `Usage: npm run serve -- [options]
  --port N          port to listen on (default 5183; 0 picks a free one)
  --host ADDR       loopback address to bind (default 127.0.0.1; no other is accepted)
  --data-dir DIR    where progress, the lab ledger and settings.json live
  --lessons DIR     an extra lesson folder, listed beside the built-in course
  --no-open         do not open a browser
  --shell PATH      the host shell for this run: a path, or a name on PATH (default: the
                    one chosen in Settings, else your login shell; a choice made in Settings
                    during the run applies from then on)
  --clean-shell     host shell without your own rc files
  --classroom HOST:PORT
                    also host a class on this address of the classroom network (no default:
                    0.0.0.0 only if you type it); prints the join code, the dashboard's address,
                    the learners' command and a QR code, and announces the class on the local
                    network (mDNS)
  --no-announce     with --classroom: do not announce the class on the network
  --classes         list the classes announced on this network (for about 3 s), then exit
  --join HOST:PORT --code CODE [--name NAME]
                    join a class: with the full code the instructor printed, or with the short
                    code, after you compare the hub fingerprint with the projector here. Shows
                    what is shared first. Ctrl+C leaves the class.
The address it prints works once, within a minute: press Enter in this terminal for a new one.`;

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** --shell's program as an absolute path (a bare name is looked up on PATH); throws, saying why, when it cannot run. */
async function hostShellArg(value: string): Promise<string> {
  // Loaded only when asked for: nothing but ws loads before the server listens (browser-mode.test.ts).
  const { findOnPath, shellPathProblem, systemProbe } = await import('../services/terminals/host-shells');
  const probe = systemProbe();
  const path = /[\\/]/.test(value) ? resolve(value) : findOnPath(process.platform === 'win32' && !/\.exe$/i.test(value) ? `${value}.exe` : value, probe);
  if (!path) throw new Error(`--shell ${value}: there is no ${value} on PATH.`);
  const problem = shellPathProblem(path, probe);
  if (problem) throw new Error(`--shell ${value}: ${problem}`);
  return path;
}

/** The broadcaster, also telling a joined class's session about each event (it keeps only what may be shared). */
class ClassroomTap extends Broadcaster {
  tap: ((name: string, payload: unknown) => void) | undefined;
  override emit<E extends EventName>(name: E, payload: Events[E]): void {
    super.emit(name, payload);
    this.tap?.(name, payload);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5183' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      lessons: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      shell: { type: 'string' },
      'clean-shell': { type: 'boolean', default: false },
      classroom: { type: 'string' },
      join: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      classes: { type: 'boolean' },
      'no-announce': { type: 'boolean' },
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
  if (!isLoopback(values.host)) {
    // Its page drives a shell with the Docker engine, over plain HTTP: not for a network until that is designed for.
    throw new Error(`--host ${values.host} is not a loopback address: NetLab serves a shell on this machine, over plain HTTP, so it binds only to 127.0.0.1, ::1 or localhost.`);
  }
  const shell = values.shell === undefined ? undefined : await hostShellArg(values.shell);

  // ---- classroom (#19): checked now, started once the services are up; loaded only when asked for.
  const classroomFlags = { classroom: values.classroom, join: values.join, code: values.code, name: values.name, classes: values.classes, noAnnounce: values['no-announce'] };
  const wantsClassroom = Object.values(classroomFlags).some((v) => v !== undefined);
  const classroomCli = wantsClassroom ? await import('../services/classroom/classroom-cli') : undefined;
  const classroomPlan = classroomCli?.planClassroom(classroomFlags, userInfo().username);
  let classroom: import('../services/classroom/classroom-cli').RunningClassroom | undefined;
  // NETLAB_MDNS_PORT: the same knob the services read (tests, a room that wants a class of its own).
  const mdns = process.env.NETLAB_MDNS_PORT ? { port: Number(process.env.NETLAB_MDNS_PORT) } : {};
  const hosting = classroomPlan?.kind === 'host';
  if (classroomCli && classroomPlan?.kind === 'browse') {
    for (const line of await classroomCli.browseClasses(3000, mdns)) console.log(line);
    return;
  }
  // ---- end classroom

  const events = new ClassroomTap();
  // Listen first, and load the rest (settings, the log, zod, dockerode, node-pty, the lessons:
  // the bulk of start-up, and it blocks this thread; bench/scenarios/startup.ts) once the
  // page's own files have gone out: the browser parses and runs the page meanwhile instead of
  // waiting for its first byte. So this module imports nothing heavy. With no page asking
  // within 300 ms (a browser still starting) the rest loads anyway. Calls wait for it; a
  // failure to start is still fatal below.
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
  const credential = newSecret();
  const launchCodes = new LaunchCodes({ ttlMs: launchTtlFromEnv() });
  const apiReady = pageServed
    .then(() => import('./serve-services'))
    .then(({ startServedApi }) =>
      startServedApi(
        { mainDir: __dirname, host: values.host, credential, dataDir: values['data-dir'], lessons: values.lessons, cleanShell: values['clean-shell'], shell },
        events,
      ),
    );
  apiReady.catch(() => undefined); // awaited (and reported) below

  // Signals are ours before the address is out: a test (or a user) may stop us the moment
  // it reads the line. A stop makes the services load if they have not (well under a
  // second) so it can dispose of them and close the log.
  let server: RunningServer | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping terminals and the server`);
    pageOut();
    void apiReady.then(
      async ({ services, log, closeAppLog }) => {
        log.info('stopping', { signal });
        await Promise.allSettled([services.dispose(), server?.close(), classroom?.stop()]);
        await closeAppLog();
        process.exit(0);
      },
      () => undefined, // the services failed to start: main() reports it and exits
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  server = await startServer({
    host: values.host,
    port,
    credential,
    launchCodes,
    staticDir,
    dispatch: async (method, input, context) => {
      const outcome = await (await apiReady).dispatch(method, input, context);
      if (classroom && 'result' in outcome) classroom.onApiCall(String(method), input, outcome.result);
      return outcome;
    },
    disconnect: (caller) => void apiReady.then(({ services }) => services.disconnect(caller)).catch(() => undefined),
    events,
    onServed,
  });
  // Each address carries a fresh launch code, printed (and opened) only here: never logged.
  // A class host gets the dashboard's address, once the class is up.
  let classUp = false;
  const dashboardUrl = (): string => formatLaunchUrl(server.origin, launchCodes.mint(), { route: '#/classroom' });
  const announce = (open: boolean): void => {
    const url = formatLaunchUrl(server.origin, launchCodes.mint());
    console.log(`NetLab is serving at ${url}`);
    if (classUp) console.log(`Class dashboard: ${dashboardUrl()}`);
    if (open && !values['no-open']) openBrowser(url);
  };
  announce(!hosting);
  setTimeout(pageOut, 300);
  /** A question this terminal is waiting on (the short code's fingerprint comparison); Enter otherwise prints new addresses. */
  let answer: ((line: string) => void) | undefined;
  if (process.stdin.isTTY) {
    console.log('The address works once, within a minute. Press Enter here for a new one.');
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (text: string) => {
      if (!/[\r\n]/.test(text)) return;
      if (answer) answer(text.trim());
      else announce(false);
    });
  }
  const compare = process.stdin.isTTY
    ? (fingerprint: string): Promise<boolean> => {
        console.log(`The class hub at that address shows the fingerprint:\n  ${fingerprint}\nIs it the same as on the instructor's screen? Type yes and Enter to join, anything else not to.`);
        return new Promise((resolve) => {
          answer = (line) => {
            answer = undefined;
            resolve(/^y(es)?$/i.test(line));
          };
        });
      }
    : undefined;

  const { log } = await apiReady;
  log.info('serving', { origin: server.origin });

  // ---- classroom (#19)
  if (classroomCli && classroomPlan && classroomPlan.kind !== 'none') {
    const { defaultDataDir } = await import('../services/app/data-dir');
    const { services } = await apiReady;
    const { formatHostPort } = await import('../services/classroom/hub-address');
    const via = {
      async host(address: { host: string; port: number }, announceIt: boolean) {
        const dashboard = await services.classroom.host(formatHostPort(address), { announce: announceIt });
        return { hub: services.classroom.hostedHub!, announced: dashboard.announced };
      },
      dashboardUrl,
      stop: async () => void (await services.classroom.stopHosting()),
    };
    classroom = await classroomCli.startClassroom(classroomPlan, resolve(values['data-dir'] ?? defaultDataDir()), (line) => console.log(line), 'en', mdns, {
      via,
      ...(compare ? { compare } : {}),
    });
    if (hosting) {
      classUp = true;
      if (!values['no-open']) openBrowser(dashboardUrl());
    }
    events.tap = (name, payload) => classroom?.onAppEvent(name, payload);
  }
  // ---- end classroom
}

main().catch(async (err: unknown) => {
  console.error(`netlab: ${err instanceof Error ? err.message : String(err)}`);
  const logger = await import('../services/log/logger').catch(() => undefined);
  logger?.log.error('netlab failed to start', { err });
  await logger?.closeAppLog();
  process.exit(1);
});
