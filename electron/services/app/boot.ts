// Start-up, the same for the desktop app and browser mode: the settings file
// (which may move the data elsewhere), the app's log (opened here, once), the
// "netlab starting" line, the lesson sources, the services, and the dispatcher
// the transport calls.
import { homedir, release } from 'node:os';
import { resolve } from 'node:path';
import { version } from '../../../package.json';
import type { EventSink } from '../../api/contract';
import { createDispatcher, type Dispatcher } from '../../api/dispatch';
import type { ChooseFile } from '../docker/image-handlers';
import type { LessonSource } from '../lessons/lesson-catalog';
import { log, openAppLog } from '../log/logger';
import type { AskConsent } from '../settings/lesson-consent';
import { readStartup } from '../settings/startup';
import { loginEnvironment } from './login-env';
import { createServices, type Services } from './services';

interface BootOptions {
  mode: 'desktop' | 'browser';
  /** The default data directory: it holds settings.json, which may name another one. */
  defaultDataDir: string;
  /** The built-in course, and the build's parsed snapshot of it. */
  builtinLessons: { dir: string; prebuilt: string };
  /** An extra lesson folder named at start (--lessons). */
  extraLessons?: string | undefined;
  /** What else the "netlab starting" line says about this run. */
  facts: Record<string, unknown>;
  /** Hears each start-up warning before the log is open (browser mode prints them). */
  onWarning?: (warning: string) => void;
  /** Host shell without the learner's rc files. */
  cleanShellRc?: boolean;
  /** This run's host shell (--shell), until one is chosen in Settings. */
  shell?: string | undefined;
  /** The desktop app's own dialogs (main process); browser mode has none. */
  askConsent?: AskConsent;
  chooseFile?: ChooseFile;
}

interface Booted {
  services: Services;
  /** Validates and runs one call from the transport; failed calls are logged. */
  dispatch: Dispatcher;
}

export async function boot(options: BootOptions, sink: EventSink): Promise<Booted> {
  // A desktop start from Finder, the Dock or a launcher lacks the login shell's PATH and DOCKER_HOST (login-env.ts).
  const login = options.mode === 'desktop' ? await loginEnvironment({ home: homedir() }) : undefined;
  const startup = readStartup(options.defaultDataDir, login?.env ?? process.env);
  for (const warning of startup.warnings) options.onWarning?.(warning);
  await openAppLog(startup.dataDir);
  const electron = process.versions.electron ? { electron: process.versions.electron, chrome: process.versions.chrome } : {};
  log.info('netlab starting', {
    version,
    mode: options.mode,
    ...electron,
    node: process.versions.node,
    platform: process.platform,
    release: release(),
    arch: process.arch,
    ...options.facts,
  });
  for (const warning of startup.warnings) log.warn(warning);
  if (login) log.info('login environment', { ...login.outcome });

  const lessons: LessonSource[] = [{ dir: options.builtinLessons.dir, source: 'builtin', prebuilt: options.builtinLessons.prebuilt }];
  if (options.extraLessons) lessons.push({ dir: resolve(options.extraLessons), source: 'extra' });
  const services = await createServices(
    {
      dataDir: startup.dataDir,
      settingsFile: startup.settingsFile,
      // The login shell's environment and the Docker endpoint chosen in Settings, for the app and the learner's shell alike.
      ...(startup.env !== process.env ? { env: startup.env } : {}),
      lessons,
      appVersion: version,
      transport: options.mode === 'desktop' ? 'ipc' : 'websocket',
      ...(options.cleanShellRc ? { cleanShellRc: true } : {}),
      ...(options.shell ? { shell: options.shell } : {}),
      ...(options.askConsent ? { askConsent: options.askConsent } : {}),
      ...(options.chooseFile ? { chooseFile: options.chooseFile } : {}),
    },
    sink,
  );
  const dispatch = createDispatcher(services.handlers, (method, error) => log.warn('call failed', { method, error }));
  return { services, dispatch };
}
