// Events to the connected browser-mode clients. Most go to every client; a
// terminal's output and exit go only to the connection that opened it, so a
// second tab never parses frames of a shell it does not show (under `yes` in
// one tab, the other's echo stayed ~10 ms slower), and one page never sees
// another page's shell.
import type { EventName, Events, EventSink } from '../api/contract';

/** One client's place in the broadcaster. */
export interface Connection {
  /** Routes this terminal's output and exit to this client only. */
  own(terminalId: string): void;
  /** The terminals this client opened that have not exited. */
  owned(): string[];
  /** Drops the client; the output of its terminals is dropped from then on. */
  remove(): void;
}

interface Client {
  send(frame: string): void;
  terminals: Set<string>;
}

function terminalOf(name: EventName, payload: unknown): string | undefined {
  return name === 'terminal.data' || name === 'terminal.exit' ? (payload as { id: string }).id : undefined;
}

export class Broadcaster implements EventSink {
  private readonly clients = new Set<Client>();
  /** Terminal id → the client that opened it, or null once that client left. */
  private readonly owners = new Map<string, Client | null>();

  add(send: (frame: string) => void): Connection {
    const client: Client = { send, terminals: new Set() };
    this.clients.add(client);
    return {
      own: (id) => {
        if (!this.clients.has(client)) return;
        client.terminals.add(id);
        this.owners.set(id, client);
      },
      owned: () => [...client.terminals],
      remove: () => {
        if (!this.clients.delete(client)) return;
        for (const id of client.terminals) this.owners.set(id, null);
        client.terminals.clear();
      },
    };
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    const terminal = terminalOf(name, payload);
    const owner = terminal === undefined ? undefined : this.owners.get(terminal);
    if (terminal !== undefined && name === 'terminal.exit') {
      this.owners.delete(terminal);
      owner?.terminals.delete(terminal);
    }
    if (owner === null) return;
    if (!owner && !this.clients.size) return;
    const frame = JSON.stringify({ type: 'event', name, payload });
    if (owner) owner.send(frame);
    else for (const client of this.clients) client.send(frame);
  }
}
