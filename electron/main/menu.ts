import { dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Handlers } from '../api/contract';

const PACK_FILTER = [{ name: 'NetLab image pack', extensions: ['tar'] }];

async function exportPack(handlers: Handlers, win: BrowserWindow | undefined): Promise<void> {
  const options = { title: 'Export image pack', defaultPath: 'netlab-images.netlab-images.tar', filters: PACK_FILTER };
  const { canceled, filePath } = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return;
  try {
    const result = await handlers['images.exportPack']({ file: filePath });
    void dialog.showMessageBox({ message: `Exported ${result.images.join(', ')} (${Math.round(result.bytes / 1048576)} MiB) to ${result.file}` });
  } catch (err) {
    dialog.showErrorBox('Export image pack', err instanceof Error ? err.message : String(err));
  }
}

async function importPack(handlers: Handlers, win: BrowserWindow | undefined): Promise<void> {
  const options = { title: 'Import image pack', filters: PACK_FILTER, properties: ['openFile' as const] };
  const { canceled, filePaths } = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const file = filePaths[0];
  if (canceled || !file) return;
  try {
    const result = await handlers['images.importPack']({ file });
    void dialog.showMessageBox({ message: `Loaded ${result.images.join(', ')} into Docker.` });
  } catch (err) {
    dialog.showErrorBox('Import image pack', err instanceof Error ? err.message : String(err));
  }
}

/** Writes the report, then shows it in the file manager, ready to attach. */
async function reportProblem(handlers: Handlers): Promise<void> {
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

export function buildMenu(dev: boolean, handlers: Handlers, focused: () => BrowserWindow | undefined): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import image pack…', click: () => void importPack(handlers, focused()) },
        { label: 'Export image pack…', click: () => void exportPack(handlers, focused()) },
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
