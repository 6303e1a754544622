// The electron target's stand-ins, run here on fake dialog and shell objects,
// and once more from their source text alone, as Playwright sends them to the
// main process.
import { describe, expect, it } from 'vitest';
import { answerMessageBox, pendingMessageBoxes, recordedCalls, recordNativeCalls } from '../support/native-recorders';

type Fakes = Parameters<typeof recordNativeCalls>[0];

function fakes(): Fakes {
  const refuse = (): never => {
    throw new Error('the real one ran');
  };
  return { dialog: { showMessageBox: refuse, showErrorBox: refuse }, shell: { showItemInFolder: refuse, openExternal: refuse } } as unknown as Fakes;
}

describe('recordNativeCalls', () => {
  it('holds each message box until it is answered, with or without a parent window', async () => {
    const { dialog, shell } = fakes();
    recordNativeCalls({ dialog, shell });
    const first = dialog.showMessageBox({ title: 'T', message: 'first', detail: 'D', buttons: ['Cancel', 'Allow'] });
    const second = (dialog.showMessageBox as (w: unknown, o: object) => Promise<unknown>)({ id: 1 }, { message: 'second' });
    expect(pendingMessageBoxes()).toBe(2);
    expect(answerMessageBox(undefined, 1)).toEqual({ title: 'T', message: 'first', detail: 'D', buttons: ['Cancel', 'Allow'] });
    await expect(first).resolves.toEqual({ response: 1, checkboxChecked: false });
    expect(answerMessageBox(undefined, 0).message).toBe('second');
    await expect(second).resolves.toEqual({ response: 0, checkboxChecked: false });
    expect(pendingMessageBoxes()).toBe(0);
    expect(() => answerMessageBox(undefined, 0)).toThrow('no message box is waiting');
  });

  it('records error boxes and shell calls instead of making them', async () => {
    const { dialog, shell } = fakes();
    recordNativeCalls({ dialog, shell });
    dialog.showErrorBox('Export image pack', 'disk full');
    shell.showItemInFolder('/tmp/r.txt');
    await shell.openExternal('https://example.org/');
    expect(recordedCalls()).toEqual({ shownInFolder: ['/tmp/r.txt'], openedExternally: ['https://example.org/'], errorBoxes: ['Export image pack: disk full'] });
  });

  it('works from its source text alone, as sent to the main process', async () => {
    const { dialog, shell } = fakes();
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const fromSource = new Function(`return (${recordNativeCalls.toString()})`)() as typeof recordNativeCalls;
    const answer = new Function(`return (${answerMessageBox.toString()})`)() as typeof answerMessageBox;
    fromSource({ dialog, shell });
    const box = dialog.showMessageBox({ message: 'from source' });
    expect(answer(undefined, 1).message).toBe('from source');
    await expect(box).resolves.toMatchObject({ response: 1 });
  });
});
