// The Electron shell: one secure window, the IPC binding of the API contract,
// and the app's lifecycle. Everything else lives in the services.
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import { join } from 'node:path';
import { version } from '../../package.json';
import type { EventName, Events, EventSink } from '../api/contract';
import { createDispatcher } from '../api/dispatch';
import { createServices, type LessonSource, type Services } from '../services/app/services';
import { buildMenu } from './menu';
import { appPaths } from './paths';
import { isSafeExternalUrl, secureWindowOptions } from './window-options';

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

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(paths.preload));
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

  const lessons: LessonSource[] = [{ dir: paths.lessons, source: 'builtin' }];
  const extra = process.argv.find((a) => a.startsWith('--lessons='));
  if (extra) lessons.push({ dir: extra.slice('--lessons='.length), source: 'extra' });
  services = await createServices(
    { dataDir: join(app.getPath('userData'), 'lab'), lessons, appVersion: version, transport: 'ipc' },
    sink,
  );
  const dispatch = createDispatcher(services.handlers);
  ipcMain.handle('netlab:call', (event, method: unknown, input: unknown) => {
    // Only our own page may call: never a frame that navigated elsewhere.
    const url = event.senderFrame?.url ?? '';
    if (!url.startsWith('file://') && !(process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL))) {
      return { error: { name: 'Forbidden', message: 'calls are accepted from the app window only', code: 'forbidden' } };
    }
    return dispatch(method, input);
  });

  Menu.setApplicationMenu(buildMenu(!app.isPackaged, services.handlers, () => BrowserWindow.getFocusedWindow() ?? undefined));
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
  void services.dispose().finally(() => app.quit());
});

start().catch((err: unknown) => {
  console.error(err);
  app.exit(1);
});
