// What each terminal printed since the lab opened, without escape sequences,
// bounded per terminal, for the "terminal output seen" checkpoints.

import { stripAnsi } from '../terminals/strip-ansi';

export class OutputLog {
  private readonly logs = new Map<string, string>();

  constructor(private readonly maxPerTerminal = 256 * 1024) {}

  append(terminal: string, text: string): void {
    const next = (this.logs.get(terminal) ?? '') + stripAnsi(text);
    // Keep the tail: a sequence split across two batches may lose a few characters, never the newest output.
    this.logs.set(terminal, next.length > this.maxPerTerminal ? next.slice(next.length - this.maxPerTerminal) : next);
  }

  get(terminal: string): string {
    return this.logs.get(terminal) ?? '';
  }

  clear(): void {
    this.logs.clear();
  }
}
