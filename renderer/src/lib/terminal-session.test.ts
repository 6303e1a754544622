import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACK_BATCH_CHARS } from '../../../electron/api/flow-control';
import type { TerminalInfo } from '../../../electron/api/types';
import { deferred, FakeLabApi, settle } from '../test-support/fake-lab-api';
import { TerminalSession, type Delivery, type SessionState, type TerminalView } from './terminal-session';

type FakeView = TerminalView & { cols: number; rows: number; written: string[]; states: SessionState[]; marks: number; focused: number; searches: number };

/** A terminal on screen that draws (and so acknowledges) every write at once. */
function fakeView(): FakeView {
  const view: FakeView = {
    cols: 80,
    rows: 24,
    written: [],
    states: [],
    marks: 0,
    focused: 0,
    searches: 0,
    fit: () => ({ cols: view.cols, rows: view.rows }),
    size: () => ({ cols: view.cols, rows: view.rows }),
    write: (data, parsed) => {
      view.written.push(data);
      parsed(data.length);
    },
    markNewSession: () => view.marks++,
    focus: () => view.focused++,
    openSearch: () => view.searches++,
    update: (state) => view.states.push({ ...state }),
  };
  return view;
}

function info(id: string): TerminalInfo {
  return { id, kind: 'host', name: 'host', key: 'host', running: true };
}

/** Sessions the main process opens: s-1, s-2, … */
function lab(): FakeLabApi {
  let n = 0;
  return new FakeLabApi().handle('terminal.open', () => info(`s-${++n}`));
}

/** A run that records the session it was made with. */
function run(log: string[], text: string): Delivery {
  return async (id) => {
    log.push(`${id}: run ${text}`);
  };
}

afterEach(() => vi.useRealTimers());

describe('TerminalSession', () => {
  it('knows whether its running session reports commands (a host shell with prompt integration)', async () => {
    for (const reportsCommands of [true, false]) {
      const api = new FakeLabApi().handle('terminal.open', () => ({ ...info('s-1'), reportsCommands }));
      const session = new TerminalSession(api, { kind: 'host', name: 'host' });
      expect(session.reportsCommands).toBe(false);
      session.attach(fakeView());
      await settle();
      expect(session.reportsCommands).toBe(reportsCommands);
    }
  });

  it('opens once a view attaches, with its size and kind, and holds runs until then', async () => {
    const api = lab();
    const session = new TerminalSession(api, { kind: 'container', name: 'web1' });
    const log: string[] = [];
    const made = session.deliver(run(log, 'ip addr'));
    session.focus();
    await settle();
    expect(api.inputs('terminal.open')).toEqual([]);
    expect(session.runningId).toBeNull();

    const view = fakeView();
    session.attach(view);
    await made;
    expect(api.inputs('terminal.open')).toEqual([{ kind: 'container', container: 'web1', cols: 80, rows: 24 }]);
    expect(log).toEqual(['s-1: run ip addr']);
    expect(session.runningId).toBe('s-1');
    expect(view.states.map((s) => s.phase)).toEqual(['opening', 'opening', 'running']);
    // Focus asked for before the view mounted is given once it does.
    expect(view.focused).toBe(1);
  });

  it('keeps the events that arrive while terminal.open is in flight, only for the new session', async () => {
    const opened = deferred<TerminalInfo>();
    const api = new FakeLabApi().handle('terminal.open', () => opened.promise);
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    const view = fakeView();
    session.attach(view);
    api.emit('terminal.data', { id: 's-old', data: 'stale' });
    api.emit('terminal.data', { id: 's-1', data: 'prompt$ ' });
    opened.resolve(info('s-1'));
    await settle();
    api.emit('terminal.data', { id: 's-1', data: 'more' });
    api.emit('terminal.data', { id: 's-old', data: 'stale again' });
    expect(view.written).toEqual(['prompt$ ', 'more']);
  });

  it('sends keystrokes and runs to the shell in the order they were made', async () => {
    const api = lab();
    const log: string[] = [];
    api.handle('terminal.input', async ({ data }) => {
      // Slower than the run that follows it: the chain keeps the order anyway.
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`input ${data}`);
    });
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    session.type('ignored: nothing runs yet');
    session.attach(fakeView());
    await settle();
    session.type('echo a\r');
    const first = session.deliver(run(log, 'block 1'));
    session.type('echo b\r');
    const second = session.deliver(run(log, 'block 2'));
    await Promise.all([first, second]);
    await vi.waitFor(() => expect(log).toHaveLength(4));
    expect(log).toEqual(['input echo a\r', 's-1: run block 1', 'input echo b\r', 's-1: run block 2']);
  });

  it('reports a failed run to its caller, and the next one still goes', async () => {
    const api = lab();
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    session.attach(fakeView());
    const log: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failed = session.deliver(async () => {
      throw new Error('lesson changed');
    });
    const next = session.deliver(run(log, 'after'));
    await expect(failed).rejects.toThrow('lesson changed');
    await next;
    expect(log).toEqual(['s-1: run after']);
    warn.mockRestore();
  });

  it('acknowledges what the view drew, in batches', async () => {
    vi.useFakeTimers();
    const api = lab();
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    session.attach(fakeView());
    await settle();
    api.emit('terminal.data', { id: 's-1', data: 'x'.repeat(10) });
    expect(api.inputs('terminal.ack')).toEqual([]);
    api.emit('terminal.data', { id: 's-1', data: 'y'.repeat(ACK_BATCH_CHARS) });
    expect(api.inputs('terminal.ack')).toEqual([{ id: 's-1', chars: ACK_BATCH_CHARS + 10 }]);
    api.emit('terminal.data', { id: 's-1', data: 'z' });
    vi.advanceTimersByTime(100);
    expect(api.inputs('terminal.ack')).toEqual([
      { id: 's-1', chars: ACK_BATCH_CHARS + 10 },
      { id: 's-1', chars: 1 },
    ]);
  });

  it('shows the exit, and a run restarts the ended session before it is made', async () => {
    const api = lab();
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    const view = fakeView();
    session.attach(view);
    await settle();
    api.emit('terminal.exit', { id: 's-1', exitCode: 130 });
    expect(session.state).toMatchObject({ phase: 'exited', exitCode: 130 });
    expect(session.runningId).toBeNull();
    session.type('lost: the session ended');

    const log: string[] = [];
    await session.deliver(run(log, 'again'));
    expect(view.marks).toBe(1);
    expect(log).toEqual(['s-2: run again']);
    expect(api.inputs('terminal.input')).toEqual([]);
    expect(session.state.phase).toBe('running');
  });

  it('refuses waiting runs when the session ends before they could be made', async () => {
    const opened = deferred<TerminalInfo>();
    const api = new FakeLabApi().handle('terminal.open', () => opened.promise);
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    session.attach(fakeView());
    const made = session.deliver(run([], 'late'));
    api.emit('terminal.exit', { id: 's-1', exitCode: 1 });
    opened.resolve(info('s-1'));
    await expect(made).rejects.toThrow(/session ended/);
    expect(session.state.phase).toBe('exited');
  });

  it('shows why it could not open, refuses the waiting runs, and opens again on Retry', async () => {
    let fail = true;
    const api = new FakeLabApi().handle('terminal.open', () => {
      if (fail) throw new Error('no such container');
      return info('s-2');
    });
    const session = new TerminalSession(api, { kind: 'container', name: 'web9' });
    const made = session.deliver(run([], 'ls'));
    const view = fakeView();
    session.attach(view);
    await expect(made).rejects.toThrow('no such container');
    expect(session.state).toMatchObject({ phase: 'error', openError: 'no such container' });
    fail = false;
    session.restart();
    await settle();
    expect(session.runningId).toBe('s-2');
    expect(view.marks).toBe(1);
  });

  it('tells the main side a size that changed while opening', async () => {
    const opened = deferred<TerminalInfo>();
    const api = new FakeLabApi().handle('terminal.open', () => opened.promise);
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    const view = fakeView();
    session.attach(view);
    view.cols = 100;
    opened.resolve(info('s-1'));
    await settle();
    expect(api.inputs('terminal.resize')).toEqual([{ id: 's-1', cols: 100, rows: 24 }]);
    session.resize({ cols: 90, rows: 30 });
    expect(api.inputs('terminal.resize')).toHaveLength(2);
  });

  it('closes its session when the view goes, and one that opens after that at once', async () => {
    const api = lab();
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    const view = fakeView();
    session.attach(view);
    await settle();
    session.detach(fakeView());
    expect(api.inputs('terminal.close')).toEqual([]);
    session.detach(view);
    expect(api.inputs('terminal.close')).toEqual([{ id: 's-1' }]);
    expect(api.listeners('terminal.data')).toBe(0);

    const opened = deferred<TerminalInfo>();
    api.handle('terminal.open', () => opened.promise);
    const again = fakeView();
    session.attach(again);
    const waiting = session.deliver(run([], 'x'));
    session.detach(again);
    await expect(waiting).rejects.toThrow(/closed/);
    opened.resolve(info('s-9'));
    await settle();
    expect(api.inputs('terminal.close')).toEqual([{ id: 's-1' }, { id: 's-9' }]);
  });

  it('refuses runs once disposed (its tab closed)', async () => {
    const api = lab();
    const session = new TerminalSession(api, { kind: 'host', name: 'host' });
    const waiting = session.deliver(run([], 'a'));
    session.dispose();
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(session.deliver(run([], 'b'))).rejects.toThrow(/closed/);
    session.attach(fakeView());
    expect(api.inputs('terminal.open')).toEqual([]);
  });

  it('opens the search box of its view', () => {
    const session = new TerminalSession(lab(), { kind: 'host', name: 'host' });
    session.openSearch();
    const view = fakeView();
    session.attach(view);
    session.openSearch();
    expect(view.searches).toBe(1);
  });
});
