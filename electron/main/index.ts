// The Electron shell: one secure window, the IPC binding of the API contract,
// and the app's lifecycle. Everything else lives in the services.
import { app, BrowserWindow, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import type { EventName, Events, EventSink } from '../api/contract';
import { boot } from '../services/app/boot';
import type { Services } from '../services/app/services';
import { closeAppLog, log } from '../services/log/logger';
import { applyChromiumSwitches } from './chromium-switches';
import { askConsent, chooseFile } from './dialogs';
import { buildMenu } from './menu';
import { appPaths } from './paths';
import { isSafeExternalUrl, secureWindowOptions } from './window-options';
// Last, apart from the imports other changes add to: the e2e suite's knobs.
import { testKnobs } from './test-knobs';

applyChromiumSwitches(app.commandLine);
const paths = appPaths(__dirname, app.isPackaged, process.resourcesPath);
let services: Services | undefined;

const sink: EventSink = {
  emit<E extends EventName>(name: E, payload: Events[E]) {
    for (const win of BrowserWindow.getAllWindows()) {
      // Batched output can arrive after a window closed.
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send('netlab:event', name, payload);
    }
  },
};

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
  win.webContents.once('destroyed', () => void services?.disconnect(caller).catch(() => undefined));
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(paths.rendererIndex);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

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
    // Only our own page may call: never a frame that navigated elsewhere.
    const url = event.senderFrame?.url ?? '';
    if (!url.startsWith('file://') && !(process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL))) {
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
