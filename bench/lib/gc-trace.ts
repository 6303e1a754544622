// Full garbage collections as V8 reports them with --trace-gc (scavenges left
// out with --trace-gc-ignore-scavenger). The heap left after a full GC is what
// the program still holds: a leak raises it, while RSS also moves with how much
// heap V8 chooses to keep committed.

export interface FullGc {
  /** Milliseconds since the isolate started. */
  atMs: number;
  /** Heap used after the collection, MB (V8 prints MB of 2^20 bytes). */
  liveMB: number;
  /** Heap committed after the collection, MB. */
  committedMB: number;
}

const LINE = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: Mark-Compact(?: \([a-z ]+\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/gm;

export function fullGcs(output: string): FullGc[] {
  return [...output.matchAll(LINE)].map((m) => ({ atMs: Number(m[1]), liveMB: Number(m[2]), committedMB: Number(m[3]) }));
}
