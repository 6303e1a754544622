// Events to the connected browser-mode clients, one per caller (a WebSocket
// connection). Most go to every client; a terminal's output and exit go only
// to the caller that opened it, as the terminals record (routeTerminals), so a
// second tab never parses frames of a shell it does not show (bench: the echo
// scenario, whose second host shell runs `yes`), and one page never sees
// another page's shell. A learner's shared terminal (classroom.shareOutput) goes only to the
// caller that opened it on the dashboard, and to nobody when none has.
import type { EventName, Events, EventSink } from '../api/contract';

/** The caller that opened a terminal; undefined when none did (its output goes to everyone). */
type TerminalOwner = (terminalId: string) => string | undefined;

function terminalOf(name: EventName, payload: unknown): string | undefined {
  return name === 'terminal.data' || name === 'terminal.exit' ? (payload as { id: string }).id : undefined;
}

export class Broadcaster implements EventSink {
  /** Caller → how to send it a frame. */
  private readonly clients = new Map<string, (frame: string) => void>();
  /** No terminal exists before the services load: until then, nobody owns one. */
  private ownerOf: TerminalOwner = () => undefined;
  private shareViewer: () => string | undefined = () => undefined;

  /** Where a terminal's events go, from the services once they have loaded. */
  routeTerminals(ownerOf: TerminalOwner): void {
    this.ownerOf = ownerOf;
  }

  /** Who gets a learner's shared terminal: the caller that opened it (classroom.openShare). */
  routeShare(viewer: () => string | undefined): void {
    this.shareViewer = viewer;
  }

  /** A caller joins; the returned function drops it (its terminals' output is dropped from then on). */
  add(caller: string, send: (frame: string) => void): () => void {
    this.clients.set(caller, send);
    return () => this.clients.delete(caller);
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    if (name === 'classroom.shareOutput') {
      const viewer = this.shareViewer();
      if (viewer !== undefined) this.clients.get(viewer)?.(JSON.stringify({ type: 'event', name, payload }));
      return;
    }
    const terminal = terminalOf(name, payload);
    const owner = terminal === undefined ? undefined : this.ownerOf(terminal);
    if (owner !== undefined) {
      // Its caller may have left: nobody else gets its output.
      this.clients.get(owner)?.(JSON.stringify({ type: 'event', name, payload }));
      return;
    }
    if (!this.clients.size) return;
    const frame = JSON.stringify({ type: 'event', name, payload });
    for (const send of this.clients.values()) send(frame);
  }
}
