import { describe, expect, it } from 'vitest';
import { TerminalTabs, tabKey, terminalKind, type Delivery, type TerminalHandle } from './terminal-tabs.svelte';

/** A delivery that records what it would have asked the main process to type, and where. */
function typed(text: string): Delivery {
  return async (sessionId) => {
    delivered.push(`${sessionId}: ${text}`);
  };
}
let delivered: string[] = [];

function recorder(sessionId = 's-1'): TerminalHandle & { sent: string[]; focused: number } {
  const h = {
    sent: [] as string[],
    focused: 0,
    async deliver(delivery: Delivery): Promise<void> {
      delivered = [];
      await delivery(sessionId);
      h.sent.push(...delivered);
    },
    focus(): void {
      h.focused++;
    },
  };
  return h;
}

describe('TerminalTabs', () => {
  it('opens the search box of the active terminal only', () => {
    const tabs = new TerminalTabs();
    const searched: string[] = [];
    tabs.open('host');
    tabs.open('web1');
    tabs.attach('host', { ...recorder(), openSearch: () => searched.push('host') });
    tabs.attach('container:web1', { ...recorder(), openSearch: () => searched.push('web1') });
    tabs.searchActive();
    tabs.activate('host');
    tabs.searchActive();
    expect(searched).toEqual(['web1', 'host']);
  });

  it('opens one tab per terminal and activates it', () => {
    const tabs = new TerminalTabs();
    tabs.open('host');
    tabs.open('web1');
    tabs.open('host');
    expect(tabs.tabs.map((t) => [t.key, t.kind])).toEqual([
      ['host', 'host'],
      ['container:web1', 'container'],
    ]);
    expect(tabs.activeKey).toBe('host');
  });

  it('holds a run for a tab until its terminal attaches, then makes it with that session', async () => {
    const tabs = new TerminalTabs();
    const first = tabs.run('web1', typed('ip addr'));
    expect(tabs.activeKey).toBe('container:web1');
    const handle = recorder('s-9');
    tabs.attach('container:web1', handle);
    await first;
    expect(handle.sent).toEqual(['s-9: ip addr']);
    expect(handle.focused).toBe(1);
    await tabs.run('web1', typed('ls'));
    expect(handle.sent).toEqual(['s-9: ip addr', 's-9: ls']);
    expect(handle.focused).toBe(2);
  });

  it('moves to the neighbour when the active tab closes, and ignores a stale detach', async () => {
    const tabs = new TerminalTabs();
    tabs.open('host');
    tabs.open('web1');
    const old = recorder();
    const fresh = recorder();
    tabs.attach('host', old);
    tabs.attach('host', fresh);
    tabs.detach('host', old);
    tabs.close('container:web1');
    expect(tabs.activeKey).toBe('host');
    await tabs.run('host', typed('pwd'));
    expect(fresh.sent).toEqual(['s-1: pwd']);
    expect(old.sent).toEqual([]);
  });
});

describe('terminal routing', () => {
  it('routes host, docker-host and containers to their kinds and keys', () => {
    expect([terminalKind('host'), tabKey('host')]).toEqual(['host', 'host']);
    expect([terminalKind('docker-host'), tabKey('docker-host')]).toEqual(['docker-host', 'docker-host']);
    expect([terminalKind('web1'), tabKey('web1')]).toEqual(['container', 'container:web1']);
    const tabs = new TerminalTabs();
    tabs.open('docker-host');
    tabs.open('web1');
    expect(tabs.tabs.map((t) => [t.key, t.kind, t.name])).toEqual([
      ['docker-host', 'docker-host', 'docker-host'],
      ['container:web1', 'container', 'web1'],
    ]);
  });

  it('resolves run() once the input reached the terminal, and rejects when the tab closes first', async () => {
    const tabs = new TerminalTabs();
    let sent = false;
    const waiting = tabs.run('docker-host', typed('ip link')).then(() => {
      sent = true;
    });
    await Promise.resolve();
    expect(sent).toBe(false);
    let release: () => void = () => {};
    tabs.attach('docker-host', {
      deliver: () => new Promise<void>((resolve) => (release = resolve)),
      focus: () => {},
      sessionId: () => 's-7',
    });
    await Promise.resolve();
    expect(sent).toBe(false);
    release();
    await waiting;
    expect(sent).toBe(true);
    expect(tabs.sessionId('docker-host')).toBe('s-7');
    expect(tabs.sessionId('host')).toBeNull();

    const closed = tabs.run('web2', typed('ls'));
    tabs.close('container:web2');
    await expect(closed).rejects.toThrow(/closed/);
  });
});
