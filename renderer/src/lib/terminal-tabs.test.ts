import { describe, expect, it } from 'vitest';
import type { TerminalInfo } from '../../../electron/api/types';
import { deferred, FakeLabApi, settle } from '../test-support/fake-lab-api';
import type { Delivery, TerminalView } from './terminal-session';
import { TerminalTabs } from './terminal-tabs.svelte';

/** Sessions the main process opens: s-1, s-2, … */
function lab(): FakeLabApi {
  let n = 0;
  return new FakeLabApi().handle('terminal.open', (input) => ({ id: `s-${++n}`, kind: input.kind, name: 'x', key: input.kind === 'container' ? 'container:x' : input.kind, running: true }));
}

/** A delivery that records what it would have asked the main process to type, and where. */
function typed(log: string[], text: string): Delivery {
  return async (sessionId) => {
    log.push(`${sessionId}: ${text}`);
  };
}

function view(): TerminalView & { focused: number; searched: number } {
  const v = {
    focused: 0,
    searched: 0,
    fit: () => ({ cols: 80, rows: 24 }),
    size: () => ({ cols: 80, rows: 24 }),
    write: () => {},
    markNewSession: () => {},
    focus: () => v.focused++,
    openSearch: () => v.searched++,
    update: () => {},
  };
  return v;
}

/** The tab's session, with the Terminal component's view attached. */
function mount(tabs: TerminalTabs, key: string, v = view()): ReturnType<typeof view> {
  const tab = tabs.tabs.find((t) => t.key === key);
  if (!tab) throw new Error(`no tab ${key}`);
  tab.session.attach(v);
  return v;
}

describe('TerminalTabs', () => {
  it('opens the search box of the active terminal only', () => {
    const tabs = new TerminalTabs(lab());
    tabs.open('host');
    tabs.open('web1');
    const host = mount(tabs, 'host');
    const web1 = mount(tabs, 'container:web1');
    tabs.searchActive();
    tabs.activate('host');
    tabs.searchActive();
    expect([host.searched, web1.searched]).toEqual([1, 1]);
  });

  it('opens one tab per terminal, keyed by the shared terminal key, and activates it', () => {
    const tabs = new TerminalTabs(lab());
    tabs.open('host');
    tabs.open('web1');
    tabs.open('docker-host');
    tabs.open('host');
    expect(tabs.tabs.map((t) => [t.key, t.kind, t.name])).toEqual([
      ['host', 'host', 'host'],
      ['container:web1', 'container', 'web1'],
      ['docker-host', 'docker-host', 'docker-host'],
    ]);
    expect(tabs.activeKey).toBe('host');
  });

  it('holds a run for a tab until its terminal mounts, then makes it with that session, focused', async () => {
    const api = lab();
    const tabs = new TerminalTabs(api);
    const log: string[] = [];
    const first = tabs.run('web1', typed(log, 'ip addr'));
    expect(tabs.activeKey).toBe('container:web1');
    const web1 = mount(tabs, 'container:web1');
    await first;
    expect(log).toEqual(['s-1: ip addr']);
    expect(api.inputs('terminal.open')).toEqual([{ kind: 'container', container: 'web1', cols: 80, rows: 24 }]);
    expect(web1.focused).toBe(1);
    await tabs.run('web1', typed(log, 'ls'));
    expect(log).toEqual(['s-1: ip addr', 's-1: ls']);
    expect(web1.focused).toBe(2);
  });

  it('moves to the neighbour when the active tab closes, closing its session, and ignores a stale detach', async () => {
    const api = lab();
    const tabs = new TerminalTabs(api);
    tabs.open('host');
    tabs.open('web1');
    const old = mount(tabs, 'host');
    const fresh = mount(tabs, 'host', view());
    tabs.tabs[0]?.session.detach(old);
    mount(tabs, 'container:web1');
    await settle();
    tabs.close('container:web1');
    expect(tabs.activeKey).toBe('host');
    expect(tabs.tabs.map((t) => t.key)).toEqual(['host']);
    const log: string[] = [];
    await tabs.run('host', typed(log, 'pwd'));
    // s-1 was the old view's session, s-2 the fresh one's, s-3 web1's.
    expect(log).toEqual(['s-2: pwd']);
    expect(api.inputs('terminal.close')).toEqual([{ id: 's-1' }, { id: 's-3' }]);
    expect(fresh.focused).toBe(1);
  });

  it('resolves run() once the input reached the terminal, and rejects when the tab closes first', async () => {
    const opened = deferred<TerminalInfo>();
    const tabs = new TerminalTabs(new FakeLabApi().handle('terminal.open', () => opened.promise));
    let sent = false;
    let release: () => void = () => {};
    const waiting = tabs
      .run('docker-host', (id) => {
        expect(id).toBe('s-7');
        return new Promise<void>((resolve) => (release = resolve));
      })
      .then(() => {
        sent = true;
      });
    mount(tabs, 'docker-host');
    await settle();
    expect(sent).toBe(false);
    expect(tabs.sessionId('docker-host')).toBeNull();
    opened.resolve({ id: 's-7', kind: 'docker-host', name: 'docker-host', key: 'docker-host', running: true });
    await settle();
    expect(sent).toBe(false);
    release();
    await waiting;
    expect(sent).toBe(true);
    expect(tabs.sessionId('docker-host')).toBe('s-7');
    expect(tabs.sessionId('host')).toBeNull();

    const closed = tabs.run('web2', typed([], 'ls'));
    tabs.close('container:web2');
    await expect(closed).rejects.toThrow(/closed/);
  });
});
