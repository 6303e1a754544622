// "Do it for me": a step's solution typed into its terminals one command at a
// time, so the learner sees every command run. The main process types each one
// from the lesson it loaded (lessons.run); the host shell reports each finished
// command (terminal.command); other terminals, and a host shell without prompt
// integration (sh, dash, cmd), get a short pause.
import { commandCount } from '../../../electron/api/command-input';
import { HOST_TERMINAL, type CommandRecord, type SolutionCommand } from '../../../electron/api/types';
import { errorMessage } from './errors';

/** Pause after a command typed into a terminal that does not report commands. */
export const OTHER_TERMINAL_DELAY_MS = 1200;
/** How long to wait for the host shell to report a command before giving up. */
export const HOST_COMMAND_TIMEOUT_MS = 60_000;

export interface HostCommandWait {
  /** true once the expected commands finished, false on timeout. */
  done: Promise<boolean>;
  dispose(): void;
}

export interface RunnerDeps {
  /** Has the solution's command `index` typed into its terminal (opening it if needed); resolves once it was. */
  send(terminal: string, index: number): Promise<void>;
  /** Starts waiting for `count` commands to finish in the host shell; called before sending. */
  waitForHost(count: number): HostCommandWait;
  /** Whether the host shell reports its commands; asked once a command was sent (its session is open then). */
  hostReportsCommands(): boolean;
  delay(ms: number): Promise<void>;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export type RunOutcome =
  | { status: 'done'; ran: number }
  | { status: 'stopped'; ran: number }
  | { status: 'timeout'; ran: number; command: string }
  | { status: 'failed'; ran: number; command: string; message: string };

function aborted(signal: AbortSignal | undefined): Promise<false> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve(false);
    else signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}

/** Runs the commands in order. Never throws; the outcome says how far it got. */
export async function runSolution(commands: readonly SolutionCommand[], deps: RunnerDeps): Promise<RunOutcome> {
  const total = commands.length;
  for (let i = 0; i < total; i++) {
    if (deps.signal?.aborted) return { status: 'stopped', ran: i };
    const { terminal, command } = commands[i] as SolutionCommand;
    const lines = commandCount(command);
    if (lines > 0) {
      const wait = terminal === HOST_TERMINAL ? deps.waitForHost(lines) : undefined;
      try {
        await deps.send(terminal, i);
      } catch (err) {
        wait?.dispose();
        return { status: 'failed', ran: i, command, message: errorMessage(err) };
      }
      if (wait && deps.hostReportsCommands()) {
        const finished = await Promise.race([wait.done, aborted(deps.signal)]);
        wait.dispose();
        if (deps.signal?.aborted) return { status: 'stopped', ran: i + 1 };
        if (!finished) return { status: 'timeout', ran: i, command };
      } else {
        // Another terminal, or a host shell that reports nothing (sh, dash, cmd): a short pause.
        wait?.dispose();
        await Promise.race([deps.delay(OTHER_TERMINAL_DELAY_MS), aborted(deps.signal)]);
      }
    }
    deps.onProgress?.(i + 1, total);
  }
  return { status: 'done', ran: total };
}

type Subscribe = (listener: (record: CommandRecord) => void) => () => void;

/**
 * Waits for `count` terminal.command events from the session `sessionId()`
 * names at the time each event arrives (it is known by then: a command cannot
 * finish before it was sent). Subscribe before sending, so no event is missed.
 */
export function waitForHostCommands(subscribe: Subscribe, sessionId: () => string | null, count: number, timeoutMs: number): HostCommandWait {
  let off: () => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settle: (value: boolean) => void = () => {};
  let settled = false;
  const done = new Promise<boolean>((resolve) => {
    settle = (value: boolean): void => {
      if (settled) return;
      settled = true;
      off();
      clearTimeout(timer);
      resolve(value);
    };
  });
  let seen = 0;
  off = subscribe((record) => {
    if (record.terminalId !== sessionId()) return;
    seen++;
    if (seen >= count) settle(true);
  });
  timer = setTimeout(() => settle(false), timeoutMs);
  if (count <= 0) settle(true);
  return { done, dispose: () => settle(false) };
}
