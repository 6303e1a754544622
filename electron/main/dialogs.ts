// The main process's own dialogs behind two doors the page must not hold:
// consent to an instructor's lesson, and where an image pack is read or
// written (or what an instructor offers the class is read from). The services call these; the page only starts the request.
import { app, BrowserWindow, dialog } from 'electron';
import type { Locale } from '../api/types';
import type { AskConsent } from '../services/settings/lesson-consent';
import { consentText } from './consent-text';

const PACK_FILTER = [{ name: 'NetLab image pack', extensions: ['tar'] }];

function uiLocale(): Locale {
  return app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function parent(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

export const askConsent: AskConsent = async (question) => {
  const text = consentText(question, uiLocale());
  const options = { type: 'warning' as const, title: text.title, message: text.message, detail: text.detail, buttons: text.buttons, defaultId: 0, cancelId: 0, noLink: true };
  const win = parent();
  const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return response === 1;
};

export async function chooseFile(purpose: 'export-pack' | 'import-pack' | 'offer-folder' | 'offer-pack'): Promise<string | undefined> {
  const win = parent();
  if (purpose === 'offer-folder') {
    // What the instructor offers the class: a course folder (or one lesson's folder).
    const options = { title: 'Offer a lesson folder to the class', properties: ['openDirectory' as const] };
    const { canceled, filePaths } = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return canceled ? undefined : filePaths[0];
  }
  if (purpose === 'export-pack') {
    const options = { title: 'Export image pack', defaultPath: 'course.netlab-images.tar', filters: PACK_FILTER };
    const { canceled, filePath } = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return canceled || !filePath ? undefined : filePath;
  }
  const options = { title: purpose === 'offer-pack' ? 'Offer an image pack to the class' : 'Import image pack', filters: PACK_FILTER, properties: ['openFile' as const] };
  const { canceled, filePaths } = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return canceled ? undefined : filePaths[0];
}
