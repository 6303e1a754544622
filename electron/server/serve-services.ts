// Browser mode's second half: everything behind the API (settings, the log
// file, zod, dockerode, node-pty, the lessons). serve.ts imports this only
// once the page's own files have gone out, so the browser parses the page
// while this thread loads these modules.
import { join, resolve } from 'node:path';
import type { Dispatcher } from '../api/dispatch';
import { boot } from '../services/app/boot';
import { defaultDataDir } from '../services/app/data-dir';
import type { Services } from '../services/app/services';
import { PREBUILT_LESSONS_FILE } from '../services/lessons/prebuilt-lessons';
import { addSecret, closeAppLog, log } from '../services/log/logger';
import type { Broadcaster } from './broadcaster';

interface ServeOptions {
  /** out/main, where serve.js and the prebuilt course live (this module is a chunk below it). */
  mainDir: string;
  host: string;
  /** The session credential: it opens a shell. */
  credential: string;
  dataDir?: string | undefined;
  lessons?: string | undefined;
  cleanShell: boolean;
  /** --shell: this run's host shell, until one is chosen in Settings. */
  shell?: string | undefined;
}

interface ServedApi {
  services: Services;
  dispatch: Dispatcher;
  /** The app's log, open from here on (serve.ts does not import it: it loads with this chunk). */
  log: typeof log;
  closeAppLog: typeof closeAppLog;
}

export async function startServedApi(options: ServeOptions, events: Broadcaster): Promise<ServedApi> {
  // The credential opens a shell: it lives in the page's sessionStorage, never in the log file.
  // (Launch codes are printed to stdout only, and never logged.)
  addSecret(options.credential);
  const { services, dispatch } = await boot(
    {
      mode: 'browser',
      // The settings file sits in the default (or --data-dir) directory; it may move the data elsewhere.
      defaultDataDir: resolve(options.dataDir ?? defaultDataDir()),
      builtinLessons: { dir: resolve(options.mainDir, '../../lessons'), prebuilt: join(options.mainDir, PREBUILT_LESSONS_FILE) },
      extraLessons: options.lessons,
      facts: { host: options.host },
      onWarning: (warning) => console.warn(warning),
      cleanShellRc: options.cleanShell,
      shell: options.shell,
    },
    events,
  );
  // A shell's output goes only to the connection that opened it: the terminals know which.
  events.routeTerminals((terminalId) => services.terminalOwner(terminalId));
  events.routeShare(() => services.shareViewer());
  return { services, dispatch, log, closeAppLog };
}
