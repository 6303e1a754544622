import { dialog, Menu, shell, type BaseWindow, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Services } from '../services/app/services';

/** The services' handlers the menu calls. */
type MenuHandlers = Pick<Services['handlers'], 'images.exportPack' | 'images.importPack' | 'app.reportProblem'>;

/** The services ask for the file in the main process's own dialog (dialogs.ts); null: cancelled. */
async function exportPack(handlers: MenuHandlers): Promise<void> {
  try {
    const result = await handlers['images.exportPack']({});
    if (result) void dialog.showMessageBox({ message: `Exported ${result.images.join(', ')} (${Math.round(result.bytes / 1048576)} MiB) to ${result.file}` });
  } catch (err) {
    dialog.showErrorBox('Export image pack', err instanceof Error ? err.message : String(err));
  }
}

async function importPack(handlers: MenuHandlers): Promise<void> {
  try {
    const result = await handlers['images.importPack']({});
    if (result) void dialog.showMessageBox({ message: `Loaded ${result.images.join(', ')} into Docker.` });
  } catch (err) {
    dialog.showErrorBox('Import image pack', err instanceof Error ? err.message : String(err));
  }
}

/** Writes the report, then shows it in the file manager, ready to attach. */
async function reportProblem(handlers: MenuHandlers): Promise<void> {
  try {
    const { file } = await handlers['app.reportProblem']({});
    shell.showItemInFolder(file);
    void dialog.showMessageBox({
      message: 'A problem report was written.',
      detail: `${file}\n\nIt lists versions and the last log lines, with tokens and passwords removed. Attach it to your bug report.`,
    });
  } catch (err) {
    dialog.showErrorBox('Report a problem', err instanceof Error ? err.message : String(err));
  }
}

/** Opens the instructor's dashboard (#19) in the window the menu was used in: a fixed route, no input. */
function hostClass(window: BaseWindow | undefined): void {
  const web = (window as BrowserWindow | undefined)?.webContents;
  void web?.executeJavaScript("location.hash = '#/classroom'").catch(() => undefined);
}

export function buildMenu(dev: boolean, handlers: MenuHandlers): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import image pack…', click: () => void importPack(handlers) },
        { label: 'Export image pack…', click: () => void exportPack(handlers) },
        { type: 'separator' },
        { label: 'Host a class…', click: (_item, window) => hostClass(window) },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Report a problem…', click: () => void reportProblem(handlers) }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
