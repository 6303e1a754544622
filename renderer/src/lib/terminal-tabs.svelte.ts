// Which terminals a lesson has open, which is active, and how lesson code
// blocks reach them. Each Terminal component attaches a handle once mounted;
// a Run for a tab that is not mounted yet waits here. A Run is not text: it is
// a request (lessons.run) the main process serves from the lesson it loaded,
// made once the terminal's session is running and its id known.
import type { TerminalKind } from '../../../electron/api/types';

/** Terminal names with a meaning of their own; any other name is a container. */
export const HOST = 'host';
export const DOCKER_HOST = 'docker-host';

export interface TerminalTab {
  key: string;
  kind: TerminalKind;
  /** 'host', 'docker-host' or the container's name. */
  name: string;
}

/** Asks the main process to type into the running session with this id. */
export type Delivery = (sessionId: string) => Promise<void>;

export interface TerminalHandle {
  /**
   * Makes the delivery once the terminal's session runs (it waits while the
   * session opens, and restarts an ended one). Settles with the delivery; it
   * rejects when the session could not be opened.
   */
  deliver(delivery: Delivery): Promise<void>;
  focus(): void;
  /** The id of the running session, if any (to match terminal.command events). */
  sessionId?(): string | null;
  /** Opens (or refocuses) the terminal's search box. */
  openSearch?(): void;
}

/** Routes a terminal name: 'host' → the host shell, 'docker-host' → the Docker host view, else a container. */
export function terminalKind(name: string): TerminalKind {
  if (name === HOST) return 'host';
  if (name === DOCKER_HOST) return 'docker-host';
  return 'container';
}

export function tabKey(name: string): string {
  const kind = terminalKind(name);
  return kind === 'container' ? `container:${name}` : kind;
}

interface Waiting {
  delivery: Delivery;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class TerminalTabs {
  tabs = $state<TerminalTab[]>([]);
  activeKey = $state<string | null>(null);
  #handles = new Map<string, TerminalHandle>();
  #waiting = new Map<string, Waiting[]>();
  /** Tabs to focus as soon as their terminal mounts. */
  #focusOnAttach = new Set<string>();

  /** Opens (or switches to) the tab for 'host', 'docker-host' or a container name; returns its key. */
  open(name: string): string {
    const key = tabKey(name);
    if (!this.tabs.some((t) => t.key === key)) {
      this.tabs.push({ key, kind: terminalKind(name), name });
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
    for (const w of this.#waiting.get(key) ?? []) w.reject(new Error('The terminal was closed.'));
    this.#waiting.delete(key);
    this.#focusOnAttach.delete(key);
    if (this.activeKey === key) this.activeKey = this.tabs[Math.max(0, index - 1)]?.key ?? null;
  }

  attach(key: string, handle: TerminalHandle): void {
    this.#handles.set(key, handle);
    const waiting = this.#waiting.get(key);
    this.#waiting.delete(key);
    for (const w of waiting ?? []) handle.deliver(w.delivery).then(w.resolve, w.reject);
    if (this.#focusOnAttach.delete(key)) handle.focus();
  }

  detach(key: string, handle: TerminalHandle): void {
    if (this.#handles.get(key) === handle) this.#handles.delete(key);
  }

  /**
   * Makes a delivery to the named terminal's session, opening and focusing its
   * tab first. Resolves once the delivery was made.
   */
  run(name: string, delivery: Delivery): Promise<void> {
    const key = this.open(name);
    const handle = this.#handles.get(key);
    if (handle) {
      const sent = handle.deliver(delivery);
      handle.focus();
      return sent;
    }
    const waiting = this.#waiting.get(key) ?? [];
    const promise = new Promise<void>((resolve, reject) => waiting.push({ delivery, resolve, reject }));
    this.#waiting.set(key, waiting);
    this.#focusOnAttach.add(key);
    return promise;
  }

  /** The running session behind a terminal name, if it is mounted and open. */
  sessionId(name: string): string | null {
    return this.#handles.get(tabKey(name))?.sessionId?.() ?? null;
  }

  /** Opens the search box of the active terminal. */
  searchActive(): void {
    const key = this.activeKey;
    if (key) this.#handles.get(key)?.openSearch?.();
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
