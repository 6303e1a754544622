// Flow control: the main side pauses a shell when too much output is
// unacknowledged, so a lost ack can freeze a terminal. Acks are batched to keep
// the message count low, but every acknowledged character is eventually sent.
import { ACK_BATCH_CHARS } from '../../../electron/api/flow-control';

export interface AckBatcher {
  /** Records characters xterm has finished writing. */
  ack(chars: number): void;
  /** Sends whatever is pending right now. */
  flush(): void;
  /** Flushes and stops the timer; later acks are sent immediately. */
  dispose(): void;
}

export interface AckBatcherOptions {
  /** Send as soon as this many characters are pending. */
  threshold?: number;
  /** Otherwise send this long after the last write callback. */
  delayMs?: number;
}

export function createAckBatcher(send: (chars: number) => void, options: AckBatcherOptions = {}): AckBatcher {
  const threshold = options.threshold ?? ACK_BATCH_CHARS;
  const delayMs = options.delayMs ?? 50;
  let pending = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function flush(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending === 0) return;
    const chars = pending;
    pending = 0;
    send(chars);
  }

  return {
    ack(chars: number): void {
      if (chars <= 0) return;
      pending += chars;
      if (disposed || pending >= threshold) {
        flush();
        return;
      }
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, delayMs);
    },
    flush,
    dispose(): void {
      disposed = true;
      flush();
    },
  };
}
