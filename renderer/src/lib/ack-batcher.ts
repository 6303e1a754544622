// Flow control: the main side pauses a shell when too much output is
// unacknowledged, so a lost ack can freeze a terminal. Acks are batched to keep
// the message count low, but every acknowledged character is eventually sent.
import { ACK_BATCH_CHARS } from '../../../electron/api/flow-control';

export interface AckBatcher {
  /** Records characters xterm has finished writing. */
  ack(chars: number): void;
  /** Flushes and stops the timer; later acks are sent immediately. */
  dispose(): void;
}

/** Below ACK_BATCH_CHARS, acks go this long after the last write callback. */
const ACK_DELAY_MS = 50;

/** Sends as soon as ACK_BATCH_CHARS are pending, otherwise ACK_DELAY_MS after the last ack. */
export function createAckBatcher(send: (chars: number) => void): AckBatcher {
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
      if (disposed || pending >= ACK_BATCH_CHARS) {
        flush();
        return;
      }
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, ACK_DELAY_MS);
    },
    dispose(): void {
      disposed = true;
      flush();
    },
  };
}
