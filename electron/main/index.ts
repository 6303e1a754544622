// The Electron shell: one secure window, the IPC binding of the API contract,
// and the app's lifecycle. Everything else lives in the services.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import type { EventName, Events, EventSink } from '../api/contract';
import { devServerContentSecurityPolicy } from '../api/renderer-page';
import { boot } from '../services/app/boot';
import type { Services } from '../services/app/services';
import { closeAppLog, log } from '../services/log/logger';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, appResponse } from './app-protocol';
import { applyChromiumSwitches } from './chromium-switches';
import { askConsent, chooseFile } from './dialogs';
import { devServerOrigin, isAppSender } from './ipc-sender';
import { buildMenu } from './menu';
import { appPaths } from './paths';
import { readSandboxFacts, sandboxVerdict } from './sandbox-check';
import { isSafeExternalUrl, secureWindowOptions } from './window-options';
// Last, apart from the imports other changes add to: the e2e suite's knobs.
import { testKnobs } from './test-knobs';

applyChromiumSwitches(app.commandLine);
// Before the app is ready, or the scheme gets no origin of its own (app-protocol.ts).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
const paths = appPaths(__dirname, app.isPackaged, process.resourcesPath);
/** `npm run dev`: electron-vite's dev server, never in a packaged app. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
let services: Services | undefined;
/** The pages of the windows we opened: the only ones that may call (ipc-sender.ts). */
const appPages = new Set<number>();

const sink: EventSink = {
  emit<E extends EventName>(name: E, payload: Events[E]) {
    for (const win of BrowserWindow.getAllWindows()) {
      // Batched output can arrive after a window closed.
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send('netlab:event', name, payload);
    }
  },
};

/** Serves the built renderer on app://netlab/, with the page's policy as a header. */
function serveAppProtocol(): void {
  const rendererDir = dirname(paths.rendererIndex);
  protocol.handle(APP_SCHEME, async (request) => {
    const res = await appResponse({ url: request.url, method: request.method }, rendererDir);
    return new Response(typeof res.body === 'string' ? res.body : new Uint8Array(res.body), { status: res.status, headers: res.headers });
  });
}

/** On the dev server the page has no nonce and no policy of its own: the window adds the dev policy as a header. */
function policeDevServer(): void {
  const origin = devServerOrigin(app.isPackaged, devServerUrl);
  if (!origin) return;
  session.defaultSession.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    if (details.resourceType !== 'mainFrame') return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [devServerContentSecurityPolicy()] } });
  });
}

/** Only the main frame of one of our windows, at the app's origin (or the dev server's, unpackaged). */
function fromAppPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isAppSender({
    frameUrl: frame?.url,
    frameOrigin: frame?.origin,
    isMainFrame: frame !== null && frame.parent === null,
    inAppWindow: appPages.has(event.sender.id),
    packaged: app.isPackaged,
    devServerUrl,
  });
}

/** A window's page is one caller, named by its webContents. */
function callerOf(contents: WebContents): string {
  return `window-${contents.id}`;
}

function createWindow(): BrowserWindow {
  // Linux has no bundle icon for a window: give it the one shipped with the renderer.
  const icon = process.platform === 'linux' ? { icon: join(dirname(paths.rendererIndex), 'icon.png') } : {};
  const win = new BrowserWindow({ ...secureWindowOptions(paths.preload), ...icon });
  // The window is the caller of its page's calls: when it goes, so do the terminals it opened.
  const caller = callerOf(win.webContents);
  const pageId = win.webContents.id;
  appPages.add(pageId);
  win.webContents.once('destroyed', () => {
    appPages.delete(pageId);
    void services?.disconnect(caller).catch(() => undefined);
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Every navigation the page starts, to any origin (app://other/ and app://netlab/… included): the app is one
  // page with hash routes, which are not navigations.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return win;
}

/** NetLab never runs without Chromium's sandbox: a run told to is refused before any window, with what to do (sandbox-check.ts). */
function refusedWithoutSandbox(): boolean {
  const facts = readSandboxFacts({ noSandbox: app.commandLine.hasSwitch('no-sandbox'), packaged: app.isPackaged });
  const verdict = sandboxVerdict(facts, app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
  if (verdict.action === 'run') return false;
  if (verdict.action === 'warn') {
    console.warn(verdict.message);
    return false;
  }
  console.error(`${verdict.title}\n${verdict.message}`);
  dialog.showErrorBox(verdict.title, verdict.message);
  app.exit(1);
  return true;
}

async function start(): Promise<void> {
  await app.whenReady();
  if (refusedWithoutSandbox()) return;
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveAppProtocol();
  policeDevServer();

  const extra = process.argv.find((a) => a.startsWith('--lessons='));
  const booted = await boot(
    {
      mode: 'desktop',
      // The settings file sits in the default data directory; it may move the data elsewhere.
      defaultDataDir: join(app.getPath('userData'), 'lab'),
      builtinLessons: { dir: paths.lessons, prebuilt: paths.prebuiltLessons },
      extraLessons: extra?.slice('--lessons='.length),
      ...(knobs.cleanShell ? { cleanShellRc: true } : {}),
      ...(knobs.shell ? { shell: knobs.shell } : {}),
      facts: { packaged: app.isPackaged },
      askConsent,
      chooseFile,
    },
    sink,
  );
  services = booted.services;
  ipcMain.handle('netlab:call', (event, method: unknown, input: unknown) => {
    // Only our own page may call: never a subframe, another window, or a frame that navigated elsewhere.
    if (!fromAppPage(event)) {
      return { error: { name: 'Forbidden', message: 'calls are accepted from the app window only', code: 'forbidden' } };
    }
    return booted.dispatch(method, input, { caller: callerOf(event.sender) });
  });

  Menu.setApplicationMenu(buildMenu(!app.isPackaged, services.handlers));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !services) return;
  // Stop every terminal we started before the process goes.
  event.preventDefault();
  quitting = true;
  log.info('netlab quitting');
  void services
    .dispose()
    .then(() => closeAppLog())
    .finally(() => app.quit());
});

// The e2e suite's knobs (test/support/app-target.ts): a fresh profile and data folder, the host
// shell. A packaged app ignores them. Set before the app is ready: Chromium's profile is in userData.
const knobs = testKnobs(app.isPackaged, process.env);
if (knobs.userData) app.setPath('userData', knobs.userData);

start().catch(async (err: unknown) => {
  console.error(err);
  log.error('netlab failed to start', { err });
  await closeAppLog();
  app.exit(1);
});
