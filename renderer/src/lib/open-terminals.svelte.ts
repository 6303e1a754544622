// The terminals of the lesson on screen, for the class bar's "share my terminal" picker: the
// learner can share only a terminal this page opened (the main process checks it again).
import type { TerminalKind } from '../../../electron/api/types';
import type { TerminalTabs } from './terminal-tabs.svelte';

export interface OpenTerminal {
  /** The running session's id (what classroom.shareTerminal takes). */
  id: string;
  key: string;
  kind: TerminalKind;
  name: string;
}

class OpenTerminals {
  tabs = $state.raw<TerminalTabs | null>(null);

  /** The terminals running now, in tab order. */
  running(): OpenTerminal[] {
    return (this.tabs?.tabs ?? []).flatMap((tab) => {
      const id = tab.session.runningId;
      return id ? [{ id, key: tab.key, kind: tab.kind, name: tab.name }] : [];
    });
  }

  /** A lesson view shows these tabs while it is on screen. */
  show(tabs: TerminalTabs): () => void {
    this.tabs = tabs;
    return () => {
      if (this.tabs === tabs) this.tabs = null;
    };
  }
}

export const openTerminals = new OpenTerminals();
