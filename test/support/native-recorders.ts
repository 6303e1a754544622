// The stand-ins for the desktop app's native dialogs and shell calls, which
// the electron target installs in the main process (app-target.ts): a test
// cannot click a native dialog, and must not open the system's browser or
// file manager. Each function here is sent to the main process by Playwright
// as its source text, so each is self-contained: no imports, no closures over
// this module.
import type { Dialog, MessageBoxOptions, MessageBoxReturnValue, Shell } from 'electron';

/** What one message box showed. */
export interface MessageBoxShown {
  title: string;
  message: string;
  detail: string;
  buttons: string[];
}

export interface NativeCalls {
  /** Message boxes waiting for an answer, oldest first. */
  boxes: { options: MessageBoxOptions; answer(response: number): void }[];
  shownInFolder: string[];
  openedExternally: string[];
  errorBoxes: string[];
}

/** Replaces the dialogs and shell calls the app makes with recorders, kept on globalThis.netlabNative. */
export function recordNativeCalls({ dialog, shell }: { dialog: Pick<Dialog, 'showMessageBox' | 'showErrorBox'>; shell: Pick<Shell, 'showItemInFolder' | 'openExternal'> }): void {
  const calls: NativeCalls = { boxes: [], shownInFolder: [], openedExternally: [], errorBoxes: [] };
  (globalThis as unknown as { netlabNative: NativeCalls }).netlabNative = calls;
  // showMessageBox([window, ]options): the answer waits for the test, as a real dialog waits for a click.
  dialog.showMessageBox = ((a: unknown, b?: unknown) =>
    new Promise<MessageBoxReturnValue>((done) => {
      const options = (b ?? a) as MessageBoxOptions;
      calls.boxes.push({ options, answer: (response) => done({ response, checkboxChecked: false }) });
    })) as Dialog['showMessageBox'];
  dialog.showErrorBox = (title: string, content: string) => void calls.errorBoxes.push(`${title}: ${content}`);
  shell.showItemInFolder = (path: string) => void calls.shownInFolder.push(path);
  shell.openExternal = async (url: string) => void calls.openedExternally.push(url);
}

/** How many message boxes wait for an answer. */
export function pendingMessageBoxes(): number {
  return (globalThis as unknown as { netlabNative: NativeCalls }).netlabNative.boxes.length;
}

/** Answers the oldest waiting message box with the button `response`; what it showed. */
export function answerMessageBox(_electron: unknown, response: number): MessageBoxShown {
  const box = (globalThis as unknown as { netlabNative: NativeCalls }).netlabNative.boxes.shift();
  if (!box) throw new Error('no message box is waiting');
  box.answer(response);
  const o = box.options;
  return { title: o.title ?? '', message: o.message, detail: o.detail ?? '', buttons: o.buttons ?? [] };
}

/** Copies of what was recorded besides the message boxes. */
export function recordedCalls(): Omit<NativeCalls, 'boxes'> {
  const calls = (globalThis as unknown as { netlabNative: NativeCalls }).netlabNative;
  return { shownInFolder: [...calls.shownInFolder], openedExternally: [...calls.openedExternally], errorBoxes: [...calls.errorBoxes] };
}
