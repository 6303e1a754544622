import { describe, expect, it } from 'vitest';
import { TerminalTabs, tabKey, terminalKind, type TerminalHandle } from './terminal-tabs.svelte';

function recorder(): TerminalHandle & { sent: string[]; focused: number } {
  const h = {
    sent: [] as string[],
    focused: 0,
    send(data: string): void {
      h.sent.push(data);
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

  it('holds input for a tab until its terminal attaches', () => {
    const tabs = new TerminalTabs();
    tabs.run('web1', 'ip addr\r');
    expect(tabs.activeKey).toBe('container:web1');
    const handle = recorder();
    tabs.attach('container:web1', handle);
    expect(handle.sent).toEqual(['ip addr\r']);
    expect(handle.focused).toBe(1);
    tabs.run('web1', 'ls\r');
    expect(handle.sent).toEqual(['ip addr\r', 'ls\r']);
    expect(handle.focused).toBe(2);
  });

  it('moves to the neighbour when the active tab closes, and ignores a stale detach', () => {
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
    tabs.run('host', 'pwd\r');
    expect(fresh.sent).toEqual(['pwd\r']);
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
    const waiting = tabs.run('docker-host', 'ip link\r').then(() => {
      sent = true;
    });
    await Promise.resolve();
    expect(sent).toBe(false);
    let release: () => void = () => {};
    tabs.attach('docker-host', {
      send: () => new Promise<void>((resolve) => (release = resolve)),
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

    const closed = tabs.run('web2', 'ls\r');
    tabs.close('container:web2');
    await expect(closed).rejects.toThrow(/closed/);
  });
});
