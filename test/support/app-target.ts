// One e2e suite, two targets. A spec asks `launchApp()` for NetLab and drives
// `app.page`; the project picks what that is (playwright.config.ts):
// - browser: `serve` (./serve.ts) and a page of Debian's Chromium, as before;
// - electron: the built desktop app (out/main/index.js) through Playwright's
//   `_electron.launch`, its window as the page (`npm run test:desktop`).
// The specs do not fork: what differs between the targets lives here (how
// the page is opened, where the data is, who asks an instructor's lesson for
// consent). What only one target can do is a test skipped on the other, with
// the reason.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, expect, test as base, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { parseLaunchFragment, type LaunchUrlOptions } from '../../electron/api/launch-link';
import { findOnPath, shellPathProblem, systemProbe } from '../../electron/services/terminals/host-shells';
import { findElectronBinary, systemElectronProbe } from '../../scripts/electron-binary';
import { CHROMIUM_LAUNCH } from './chromium';
import { answerMessageBox, pendingMessageBoxes, recordedCalls, recordNativeCalls, type MessageBoxShown } from './native-recorders';
import { startServe, type ServeHandle } from './serve';

export type AppTarget = 'browser' | 'electron';

/** The knobs a spec gives the app: the same on both targets. */
export interface AppOptions {
  /** An extra lesson folder, listed beside the built-in course (serve's --lessons, the app's --lessons=). */
  lessons?: string;
  /** Extra environment for the app and its shells, e.g. DOCKER_HOST. */
  env?: Record<string, string>;
  /** This run's host shell, a path or a name on PATH (serve's --shell), until one is chosen in Settings. */
  shell?: string;
}

/**
 * The desktop app's main process as a test sees it. Its native dialogs and
 * shell calls are replaced at launch by recorders (native-recorders.ts).
 */
export interface DesktopHooks {
  electron: ElectronApplication;
  /** Waits for the next message box, answers it with the button `response`, and says what it showed. */
  nextMessageBox(response: number): Promise<MessageBoxShown>;
  /** Message boxes waiting for an answer. */
  pendingMessageBoxes(): Promise<number>;
  /** Paths given to shell.showItemInFolder, URLs given to shell.openExternal, dialog.showErrorBox texts. */
  recorded(): Promise<{ shownInFolder: string[]; openedExternally: string[]; errorBoxes: string[] }>;
}

export interface RunningApp {
  readonly target: AppTarget;
  readonly page: Page;
  /** The data directory in use: progress, the lab ledger, settings.json, reports, the log. */
  readonly dataDir: string;
  /** Opens the app afresh, at a query (e.g. 'renderer=dom') and a hash route. */
  open(options?: LaunchUrlOptions): Promise<void>;
  /** What must never be written anywhere (browser mode's credential and every launch code); none in the desktop app. */
  secrets(): string[];
  /**
   * Answers the question an instructor's lesson asks before it runs anything:
   * the page's dialog in browser mode, the main process's message box in the
   * desktop app. Resolves with the text it showed. `screenshot`: a picture of
   * it where it is drawn in the page (browser mode).
   */
  answerConsent(allow: boolean, options?: { screenshot?: string }): Promise<string>;
  /** No consent question is waiting. */
  expectNoConsentQuestion(): Promise<void>;
  /** Browser mode's server; undefined in the desktop app. */
  readonly serve?: ServeHandle;
  /** The desktop app's main process; undefined in browser mode. */
  readonly desktop?: DesktopHooks;
  stop(): Promise<void>;
}

export interface AppTargetOptions {
  target: AppTarget;
}

interface AppTargetFixtures {
  launchApp: (options?: AppOptions) => Promise<RunningApp>;
}

interface AppTargetWorkerFixtures {
  /** Debian's Chromium, launched on first use (never on the electron target). */
  netlabChromium: () => Promise<Browser>;
}

const ROOT = resolve(__dirname, '../..');
const MAIN_SCRIPT = join(ROOT, 'out/main/index.js');

/** A stop that runs once, however often a test and the fixture's teardown ask for it. */
function once(stop: () => Promise<void>): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () => (stopped ??= stop());
}

/** The login shell is bash, whatever it is on the machine running them (as serve.ts). */
function shellEnv(dataDir: string): Record<string, string> {
  return existsSync('/bin/bash') ? { SHELL: '/bin/bash', HISTFILE: join(dataDir, 'bash_history') } : {};
}

/** A shell named as serve's --shell takes it (a path, or a name on PATH), as the absolute path the desktop app's knob wants. */
function hostShellPath(value: string): string {
  const probe = systemProbe();
  const path = /[\\/]/.test(value) ? resolve(value) : findOnPath(process.platform === 'win32' && !/\.exe$/i.test(value) ? `${value}.exe` : value, probe);
  const problem = path ? shellPathProblem(path, probe) : `there is no ${value} on PATH.`;
  if (problem || !path) throw new Error(`host shell ${value}: ${problem}`);
  return path;
}

async function launchBrowserMode(browser: Browser, viewport: { width: number; height: number } | null, options: AppOptions): Promise<RunningApp> {
  const args = [...(options.lessons ? ['--lessons', options.lessons] : []), ...(options.shell ? ['--shell', options.shell] : [])];
  const serve = await startServe({ args, ...(options.env ? { env: options.env } : {}) });
  const context = await browser.newContext({ viewport }).catch(async (err: unknown) => {
    await serve.stop();
    throw err;
  });
  const page = await context.newPage();
  const codes = [serve.token, serve.printedCode];
  const consentDialog = page.getByTestId('consent-dialog');
  return {
    target: 'browser',
    page,
    dataDir: serve.dataDir,
    serve,
    async open(launch) {
      const url = await serve.launchUrl(launch);
      codes.push(parseLaunchFragment(new URL(url).hash).code ?? '');
      await page.goto(url);
    },
    secrets: () => codes.filter(Boolean),
    async answerConsent(allow, answer = {}) {
      await expect(consentDialog).toBeVisible();
      if (answer.screenshot) await page.screenshot({ path: answer.screenshot });
      const text = await consentDialog.innerText();
      await page.getByTestId(allow ? 'consent-allow' : 'consent-cancel').click();
      await expect(consentDialog).toHaveCount(0);
      return text;
    },
    async expectNoConsentQuestion() {
      await expect(consentDialog).toHaveCount(0);
    },
    stop: once(async () => {
      await context.close().catch(() => undefined);
      await serve.stop();
    }),
  };
}

function desktopHooks(electron: ElectronApplication): DesktopHooks {
  const pending = (): Promise<number> => electron.evaluate(pendingMessageBoxes);
  return {
    electron,
    pendingMessageBoxes: pending,
    async nextMessageBox(response) {
      await expect.poll(pending, { message: 'a message box from the main process' }).toBeGreaterThan(0);
      return electron.evaluate(answerMessageBox, response);
    },
    recorded: () => electron.evaluate(recordedCalls),
  };
}

async function launchDesktopApp(options: AppOptions): Promise<RunningApp> {
  const binary = findElectronBinary(systemElectronProbe());
  // Never a download from here (require('electron') would try one): say what is missing.
  if (!binary.found) throw new Error(`the electron target needs the Electron binary: ${binary.reason}`);
  if (!existsSync(MAIN_SCRIPT)) throw new Error(`${MAIN_SCRIPT} is missing: run npx electron-vite build first (npm run test:desktop does)`);
  // A fresh profile, and so a fresh data directory inside it (electron/main/test-knobs.ts).
  const userData = await mkdtemp(join(tmpdir(), 'netlab-e2e-electron-'));
  const dataDir = join(userData, 'lab');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // Electron as Node, or the dev server's page, would not be the app under test.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL;
  const electron = await _electron.launch({
    args: [MAIN_SCRIPT, ...(options.lessons ? [`--lessons=${options.lessons}`] : [])],
    cwd: ROOT,
    env: {
      ...env,
      ...shellEnv(dataDir),
      NETLAB_TEST_USER_DATA: userData,
      NETLAB_TEST_CLEAN_SHELL: '1',
      ...(options.shell ? { NETLAB_TEST_SHELL: hostShellPath(options.shell) } : {}),
      ...options.env,
    },
    // Playwright turns Chromium's sandbox off on Linux unless asked: we ask, so the suite proves the
    // app as learners run it. A developer's kernel that forbids it (Ubuntu 24.04 without the deb's
    // AppArmor profile or a setuid chrome-sandbox, as CI sets up) can opt out: NETLAB_ELECTRON_SANDBOX=0.
    chromiumSandbox: process.env.NETLAB_ELECTRON_SANDBOX !== '0',
    // Downloads (the progress export) reach the test as in browser mode, not Electron's save dialog.
    acceptDownloads: true,
  });
  try {
    await electron.evaluate(recordNativeCalls);
    const page = await electron.firstWindow();
    await page.waitForURL((url) => url.protocol !== 'about:');
    await page.waitForLoadState('domcontentloaded');
    // The app's own page address (app:// or file://), without a query or route.
    const home = page.url().replace(/[?#].*$/, '');
    const hooks = desktopHooks(electron);
    return {
      target: 'electron',
      page,
      dataDir,
      desktop: hooks,
      async open(launch = {}) {
        const route = launch.route && launch.route !== '#' ? launch.route : '';
        const url = `${home}${launch.query ? `?${launch.query}` : ''}${route}`;
        // Loaded by the main process, as the app loads it (a page may not navigate: will-navigate).
        // When only the route would change, a blank page first: the app starts afresh, as browser
        // mode's new address does.
        const win = await electron.browserWindow(page);
        await win.evaluate(async (w, target) => {
          const strip = (u: string): string => u.replace(/#.*$/, '');
          if (strip(w.webContents.getURL()) === strip(target)) await w.webContents.loadURL('about:blank');
          await w.webContents.loadURL(target);
        }, url);
        await page.waitForLoadState('domcontentloaded');
      },
      secrets: () => [],
      async answerConsent(allow) {
        // The desktop app's dialog: buttons [Cancel, Allow] (electron/main/consent-text.ts).
        const box = await hooks.nextMessageBox(allow ? 1 : 0);
        return [box.title, box.message, box.detail].join('\n');
      },
      async expectNoConsentQuestion() {
        expect(await hooks.pendingMessageBoxes()).toBe(0);
      },
      stop: once(() => electron.close()),
    };
  } catch (err) {
    await electron.close().catch(() => undefined);
    throw err;
  }
}

export const test = base.extend<AppTargetOptions & AppTargetFixtures, AppTargetWorkerFixtures>({
  target: ['browser', { option: true }],
  netlabChromium: [
    async ({ playwright }, use) => {
      let browser: Promise<Browser> | undefined;
      await use(() => (browser ??= playwright.chromium.launch(CHROMIUM_LAUNCH)));
      if (browser) await (await browser).close();
    },
    { scope: 'worker' },
  ],
  launchApp: async ({ target, netlabChromium, viewport }, use) => {
    const running: RunningApp[] = [];
    await use(async (options = {}) => {
      const app = target === 'electron' ? await launchDesktopApp(options) : await launchBrowserMode(await netlabChromium(), viewport, options);
      running.push(app);
      return app;
    });
    // Whatever the test left running stops here (a test may have stopped it already).
    for (const app of running.reverse()) await app.stop().catch(() => undefined);
  },
});

export { expect };
export type { MessageBoxShown };
