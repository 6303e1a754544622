// Which terminals a lesson has open, which is active, and how lesson code
// blocks reach them. Each Terminal component attaches a handle once mounted;
// input for a tab that is not mounted yet waits here.
import type { TerminalKind } from '../../../electron/api/types';

export interface TerminalTab {
  key: string;
  kind: TerminalKind;
  /** 'host' or the container's name. */
  name: string;
}

export interface TerminalHandle {
  /** Sends keystrokes; the terminal queues them until its session is open. */
  send(data: string): void;
  focus(): void;
}

export function tabKey(name: string): string {
  return name === 'host' ? 'host' : `container:${name}`;
}

export class TerminalTabs {
  tabs = $state<TerminalTab[]>([]);
  activeKey = $state<string | null>(null);
  #handles = new Map<string, TerminalHandle>();
  #waiting = new Map<string, string[]>();
  /** Tabs to focus as soon as their terminal mounts. */
  #focusOnAttach = new Set<string>();

  /** Opens (or switches to) the tab for 'host' or a container name; returns its key. */
  open(name: string): string {
    const key = tabKey(name);
    if (!this.tabs.some((t) => t.key === key)) {
      this.tabs.push({ key, kind: name === 'host' ? 'host' : 'container', name });
    }
    this.activeKey = key;
    return key;
  }

  activate(key: string): void {
    if (this.tabs.some((t) => t.key === key)) this.activeKey = key;
  }

  close(key: string): void {
    const index = this.tabs.findIndex((t) => t.key === key);
    if (index < 0) return;
    this.tabs.splice(index, 1);
    this.#waiting.delete(key);
    this.#focusOnAttach.delete(key);
    if (this.activeKey === key) this.activeKey = this.tabs[Math.max(0, index - 1)]?.key ?? null;
  }

  attach(key: string, handle: TerminalHandle): void {
    this.#handles.set(key, handle);
    const waiting = this.#waiting.get(key);
    this.#waiting.delete(key);
    for (const data of waiting ?? []) handle.send(data);
    if (this.#focusOnAttach.delete(key)) handle.focus();
  }

  detach(key: string, handle: TerminalHandle): void {
    if (this.#handles.get(key) === handle) this.#handles.delete(key);
  }

  /** Sends input to the named terminal, opening and focusing its tab. */
  run(name: string, data: string): void {
    const key = this.open(name);
    const handle = this.#handles.get(key);
    if (handle) {
      handle.send(data);
      handle.focus();
    } else {
      const waiting = this.#waiting.get(key) ?? [];
      waiting.push(data);
      this.#waiting.set(key, waiting);
      this.#focusOnAttach.add(key);
    }
  }

  /** Focuses the active terminal, or does so once it mounts. */
  focusActive(): void {
    const key = this.activeKey;
    if (!key) return;
    const handle = this.#handles.get(key);
    if (handle) handle.focus();
    else this.#focusOnAttach.add(key);
  }
}
