import type { EventName, Events, EventSink } from '../api/contract';

/** An EventSink that fans every event out to the connected clients. */
export class Broadcaster implements EventSink {
  private readonly clients = new Set<(frame: string) => void>();

  add(send: (frame: string) => void): () => void {
    this.clients.add(send);
    return () => this.clients.delete(send);
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    if (!this.clients.size) return;
    const frame = JSON.stringify({ type: 'event', name, payload });
    for (const send of this.clients) send(frame);
  }
}
