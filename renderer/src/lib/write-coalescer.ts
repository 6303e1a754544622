// Terminal output into xterm with one write in flight: what arrives while
// xterm parses the previous write joins the next one. Under a flood each parse
// then covers more bytes and xterm renders fewer frames per megabyte (frames
// are what a DOM renderer spends its time on: bench/scenarios/throughput.ts
// measures it); a lone echo goes straight in.

export interface WriteCoalescer {
  /** `parsed` hears the characters of this chunk once xterm has parsed them (the flow-control ack). */
  push(data: string, parsed: (chars: number) => void): void;
  /** Drops what is queued; later pushes are ignored. */
  dispose(): void;
}

interface Entry {
  data: string;
  parsed: (chars: number) => void;
}

/**
 * `write` is xterm's write(data, callback). Joined writes stop growing at
 * `maxChars`: xterm parses one write without yielding, and a key press (Ctrl-C
 * in a flood) waits for that parse.
 */
export function createWriteCoalescer(write: (data: string, done: () => void) => void, maxChars = 128 * 1024): WriteCoalescer {
  let queue: Entry[] = [];
  let inFlight = false;
  let disposed = false;

  function pump(): void {
    if (inFlight || disposed || queue.length === 0) return;
    // Chunks acknowledged to the same place (one shell session) join; a restarted
    // session's output waits for the old one's in order.
    const parsed = queue[0]?.parsed;
    let n = 1;
    let size = queue[0]?.data.length ?? 0;
    while (n < queue.length && queue[n]?.parsed === parsed && size + (queue[n]?.data.length ?? 0) <= maxChars) size += queue[n++]?.data.length ?? 0;
    const data = n === 1 ? (queue[0]?.data ?? '') : queue.slice(0, n).map((e) => e.data).join('');
    queue = queue.slice(n);
    inFlight = true;
    write(data, () => {
      inFlight = false;
      parsed?.(data.length);
      pump();
    });
  }

  return {
    push(data, parsed): void {
      if (disposed || data.length === 0) return;
      queue.push({ data, parsed });
      pump();
    },
    dispose(): void {
      disposed = true;
      queue = [];
    },
  };
}
