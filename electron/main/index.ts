// The Electron shell: one secure window, the IPC binding of the API contract,
// and the app's lifecycle. Everything else lives in the services.
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { version } from '../../package.json';
import type { EventName, Events, EventSink } from '../api/contract';
import { createDispatcher } from '../api/dispatch';
import { closeAppLog, log, openAppLog } from '../services/log/logger';
import { createServices, type LessonSource, type Services } from '../services/app/services';
import { readStartup } from '../services/settings/startup';
import { applyChromiumSwitches } from './chromium-switches';
import { askConsent, chooseFile } from './dialogs';
import { buildMenu } from './menu';
import { appPaths } from './paths';
import { isSafeExternalUrl, secureWindowOptions } from './window-options';

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

function createWindow(): BrowserWindow {
  // Linux has no bundle icon for a window: give it the one shipped with the renderer.
  const icon = process.platform === 'linux' ? { icon: join(dirname(paths.rendererIndex), 'icon.png') } : {};
  const win = new BrowserWindow({ ...secureWindowOptions(paths.preload), ...icon });
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

  // The settings file sits in the default data directory; it may move the data elsewhere.
  const startup = readStartup(join(app.getPath('userData'), 'lab'));
  const dataDir = startup.dataDir;
  await openAppLog(dataDir);
  log.info('netlab starting', {
    version,
    mode: 'desktop',
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
    platform: process.platform,
    release: release(),
    arch: process.arch,
    packaged: app.isPackaged,
  });
  for (const warning of startup.warnings) log.warn(warning);

  const lessons: LessonSource[] = [{ dir: paths.lessons, source: 'builtin', prebuilt: paths.prebuiltLessons }];
  const extra = process.argv.find((a) => a.startsWith('--lessons='));
  if (extra) lessons.push({ dir: extra.slice('--lessons='.length), source: 'extra' });
  services = await createServices(
    {
      dataDir,
      settingsFile: startup.settingsFile,
      // The Docker endpoint chosen in Settings, for the app and the learner's shell alike.
      ...(startup.env !== process.env ? { env: startup.env } : {}),
      lessons,
      appVersion: version,
      transport: 'ipc',
      askConsent,
      chooseFile,
    },
    sink,
  );
  const dispatch = createDispatcher(services.handlers, (method, error) => log.warn('call failed', { method, error }));
  ipcMain.handle('netlab:call', (event, method: unknown, input: unknown) => {
    // Only our own page may call: never a frame that navigated elsewhere.
    const url = event.senderFrame?.url ?? '';
    if (!url.startsWith('file://') && !(process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL))) {
      return { error: { name: 'Forbidden', message: 'calls are accepted from the app window only', code: 'forbidden' } };
    }
    return dispatch(method, input);
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

start().catch(async (err: unknown) => {
  console.error(err);
  log.error('netlab failed to start', { err });
  await closeAppLog();
  app.exit(1);
});
