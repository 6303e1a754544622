// Which terminals a lesson has open and which is active. Each tab gets its
// session (lib/terminal-session.ts) when it opens, so lesson runs queue there
// even before the tab's Terminal component mounts and attaches xterm to it.
import type { LabApi } from '../../../electron/api/contract';
import { terminalKey, terminalKind } from '../../../electron/api/terminal-key';
import type { TerminalKind } from '../../../electron/api/types';
import { TerminalSession, type Delivery } from './terminal-session';

export interface TerminalTab {
  /** The terminal's key (electron/api/terminal-key.ts). */
  key: string;
  kind: TerminalKind;
  /** 'host', 'docker-host' or the container's name. */
  name: string;
  readonly session: TerminalSession;
}

export class TerminalTabs {
  tabs = $state<TerminalTab[]>([]);
  activeKey = $state<string | null>(null);

  constructor(private readonly api: LabApi) {}

  /** Opens (or switches to) the tab for 'host', 'docker-host' or a container name; returns its key. */
  open(name: string): string {
    const kind = terminalKind(name);
    const key = terminalKey(name, kind);
    if (!this.#tab(key)) {
      this.tabs.push({ key, kind, name, session: new TerminalSession(this.api, { kind, name }) });
    }
    this.activeKey = key;
    return key;
  }

  activate(key: string): void {
    if (this.#tab(key)) this.activeKey = key;
  }

  close(key: string): void {
    const index = this.tabs.findIndex((t) => t.key === key);
    if (index < 0) return;
    const [tab] = this.tabs.splice(index, 1);
    tab?.session.dispose();
    if (this.activeKey === key) this.activeKey = this.tabs[Math.max(0, index - 1)]?.key ?? null;
  }

  /**
   * Makes a delivery to the named terminal's session, opening and focusing its
   * tab first. Resolves once the delivery was made.
   */
  run(name: string, delivery: Delivery): Promise<void> {
    const session = this.#tab(this.open(name))?.session;
    if (!session) return Promise.reject(new Error('The terminal was closed.'));
    const sent = session.deliver(delivery);
    session.focus();
    return sent;
  }

  /** The running session behind a terminal name, if it is open. */
  sessionId(name: string): string | null {
    return this.#tab(terminalKey(name))?.session.runningId ?? null;
  }

  /** Whether the running session behind a terminal name reports its commands (terminal.command). */
  reportsCommands(name: string): boolean {
    return this.#tab(terminalKey(name))?.session.reportsCommands ?? false;
  }

  /** Opens the search box of the active terminal. */
  searchActive(): void {
    this.#active()?.session.openSearch();
  }

  /** Focuses the active terminal, or does so once it mounts. */
  focusActive(): void {
    this.#active()?.session.focus();
  }

  #tab(key: string): TerminalTab | undefined {
    return this.tabs.find((t) => t.key === key);
  }

  #active(): TerminalTab | undefined {
    return this.activeKey ? this.#tab(this.activeKey) : undefined;
  }
}
