// Browser mode's second half: everything behind the API (settings, the log
// file, zod, dockerode, node-pty, the lessons). serve.ts imports this only
// once the page's own files have gone out, so the browser parses the page
// while this thread loads these modules.
import { release } from 'node:os';
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import { createDispatcher, type Dispatcher } from '../api/dispatch';
import type { EventSink } from '../api/contract';
import { defaultDataDir } from '../services/app/data-dir';
import { addSecret, closeAppLog, log, openAppLog } from '../services/log/logger';
import { createServices, type LessonSource, type Services } from '../services/app/services';
import { PREBUILT_LESSONS_FILE } from '../services/lessons/prebuilt-lessons';
import { readStartup } from '../services/settings/startup';

export interface ServeOptions {
  /** out/main, where serve.js and the prebuilt course live (this module is a chunk below it). */
  mainDir: string;
  host: string;
  /** The session credential: it opens a shell. */
  credential: string;
  dataDir?: string;
  lessons?: string;
  cleanShell: boolean;
}

export interface ServedApi {
  services: Services;
  dispatch: Dispatcher;
  /** The app's log, open from here on (serve.ts does not import it: it loads with this chunk). */
  log: typeof log;
  closeAppLog: typeof closeAppLog;
}

export async function startServedApi(options: ServeOptions, events: EventSink): Promise<ServedApi> {
  // The credential opens a shell: it lives in the page's sessionStorage, never in the log file.
  // (Launch codes are printed to stdout only, and never logged.)
  addSecret(options.credential);
  // The settings file sits in the default (or --data-dir) directory; it may move the data elsewhere.
  const startup = readStartup(resolve(options.dataDir ?? defaultDataDir()));
  for (const warning of startup.warnings) console.warn(warning);
  await openAppLog(startup.dataDir);
  log.info('netlab starting', { version, mode: 'browser', node: process.versions.node, platform: process.platform, release: release(), arch: process.arch, host: options.host });
  for (const warning of startup.warnings) log.warn(warning);

  const lessons: LessonSource[] = [{ dir: resolve(options.mainDir, '../../lessons'), source: 'builtin', prebuilt: join(options.mainDir, PREBUILT_LESSONS_FILE) }];
  if (options.lessons) lessons.push({ dir: resolve(options.lessons), source: 'extra' });
  const services = await createServices(
    {
      dataDir: startup.dataDir,
      settingsFile: startup.settingsFile,
      // The Docker endpoint chosen in Settings, for the app and the learner's shell alike.
      ...(startup.env !== process.env ? { env: startup.env } : {}),
      lessons,
      appVersion: version,
      transport: 'websocket',
      cleanShellRc: options.cleanShell,
    },
    events,
  );
  const dispatch = createDispatcher(services.handlers, (method, error) => log.warn('call failed', { method, error }));
  return { services, dispatch, log, closeAppLog };
}
