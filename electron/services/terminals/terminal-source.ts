// What the manager needs from a running terminal process, whether a pty on the
// host or a `docker exec` session: the output pipe pauses and resumes it, the
// learner's keystrokes and window size go in.
export interface TerminalSource {
  write(data: string): void;
  /** Callers clamp; a source ignores errors from a process that already exited. */
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  /** Ends the process (force: no more politeness); its exit is still reported through onExit. */
  kill(force?: boolean): void;
}

export interface SourceHandlers {
  onData(chunk: Buffer | string): void;
  /** Called once, after the last onData. */
  onExit(exitCode: number | null, signal?: string): void;
}
