// The live heap of a Node process started with --inspect=127.0.0.1:0: a full GC
// forced through the inspector, then the heap V8 still uses. A leak raises it;
// RSS also moves with how much heap V8 chooses to keep committed.
import WebSocket from 'ws';

export interface HeapInspector {
  /** Forces a full GC, then returns the heap still in use, MiB. */
  liveHeapMiB(): Promise<number>;
  close(): void;
}

/** Connects to the inspector whose "Debugger listening on ws://…" line is in the process's output. */
export async function connectHeapInspector(output: () => string, timeoutMs = 10_000): Promise<HeapInspector> {
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!(url = /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1])) {
    if (Date.now() > deadline) throw new Error('no inspector URL in the output: was the process started with --inspect?');
    await new Promise((r) => setTimeout(r, 50));
  }
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seq = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!waiter || msg.id === undefined) return;
    pending.delete(msg.id);
    if (msg.error) waiter.reject(new Error(msg.error.message));
    else waiter.resolve(msg.result);
  });
  const call = <T>(method: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    async liveHeapMiB() {
      await call('HeapProfiler.collectGarbage');
      const usage = await call<{ usedSize: number }>('Runtime.getHeapUsage');
      return usage.usedSize / 1024 / 1024;
    },
    close: () => ws.close(),
  };
}
