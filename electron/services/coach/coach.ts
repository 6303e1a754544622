// The coach: turns a finished host-shell command and the tracker's model into
// at most one friendly hint. `coach()` is pure (rules in order, first match
// wins); `Coach` adds de-duplication; `coachCommands()` wires it to the
// terminals and the tracker, waiting for Docker's events to land first.
import type { CoachHint, CommandRecord, Localized, Topology } from '../../api/types';
import { log } from '../log/logger';
import { parseDocker, splitCommandLine } from './command-line';
import { RULES, type CoachInput, type Rule, type RuleContext } from './rules';

export type { CoachInput } from './rules';

/** The first rule that explains the command, or undefined. Pure. */
export function coach(input: CoachInput, rules: readonly Rule[] = RULES): CoachHint | undefined {
  const contexts: RuleContext[] = splitCommandLine(input.record.command).map((simple) => {
    const docker = parseDocker(simple.words, simple.last);
    const ctx: RuleContext = {
      input,
      topology: input.topology,
      words: simple.words,
      exitCode: simple.last ? input.record.exitCode : undefined,
    };
    if (docker) ctx.docker = docker;
    return ctx;
  });
  for (const rule of rules) {
    for (const ctx of contexts) {
      let message: Localized | undefined;
      try {
        message = rule.check(ctx);
      } catch (err) {
        // A rule's bug must never break the terminal or the lab.
        log.error('coach rule failed', { rule: rule.id, err });
        continue;
      }
      if (message) return { rule: rule.id, message, command: input.record.command, at: input.record.finishedAt };
    }
  }
  return undefined;
}

export interface CoachOptions {
  /** The same rule for the same command is shown at most once in this window. Default 60 s. */
  cooldownMs?: number;
  /** Clock (tests). */
  now?: () => number;
  rules?: readonly Rule[];
}

export class Coach {
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly rules: readonly Rule[];
  /** rule + command → when it was last shown. */
  private readonly shown = new Map<string, number>();

  constructor(options: CoachOptions = {}) {
    this.cooldownMs = options.cooldownMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.rules = options.rules ?? RULES;
  }

  /** A hint for this command, unless the same one was shown within the cooldown. */
  observe(input: CoachInput): CoachHint | undefined {
    const hint = coach(input, this.rules);
    if (!hint) return undefined;
    const now = this.now();
    for (const [key, at] of this.shown) if (now - at >= this.cooldownMs) this.shown.delete(key);
    const key = `${hint.rule}\u0000${hint.command.trim().replace(/\s+/g, ' ')}`;
    if (this.shown.has(key)) return undefined;
    this.shown.set(key, now);
    return hint;
  }

  /** Forgets what was shown (a new lab session). */
  clear(): void {
    this.shown.clear();
  }
}

export interface CoachingOptions {
  /** The TerminalManager (host-shell command records). */
  terminals: { onCommand(listener: (rec: CommandRecord) => void): () => void };
  /** The LabTracker. */
  tracker: { topology(): Topology; settled(): Promise<void> };
  /** Whether to coach now (e.g. only while a lab is open and the tracker runs). Default: always. */
  enabled?: () => boolean;
  /** The open lesson's names, if any. */
  lesson?: () => { containers: string[]; networks: string[] } | undefined;
  onHint: (hint: CoachHint) => void;
  coach?: Coach;
  /** Wait this long after a command for Docker's events before looking. Default 300 ms. */
  settleMs?: number;
  /** Look once more this much later when nothing fired (a container that exits just after starting). Default 1200 ms. */
  recheckMs?: number;
}

export interface Coaching {
  /** Resolves once every command seen so far was looked at (tests). */
  idle(): Promise<void>;
  dispose(): void;
}

/**
 * Coaches every host-shell command: waits for the tracker to apply the
 * command's Docker events, asks the coach, and hands a hint to onHint. The
 * model seen after the previous command serves as the "before" of this one.
 */
export function coachCommands(options: CoachingOptions): Coaching {
  const theCoach = options.coach ?? new Coach();
  const settleMs = options.settleMs ?? 300;
  const recheckMs = options.recheckMs ?? 1_200;
  let previous: Topology | undefined;
  let disposed = false;
  // One command at a time, in order: each one's "before" is the last one's "after".
  let queue: Promise<void> = Promise.resolve();

  const look = async (record: CommandRecord, before: Topology | undefined): Promise<{ hint?: CoachHint; topology: Topology }> => {
    await options.tracker.settled();
    const topology = options.tracker.topology();
    const lesson = options.lesson?.();
    const input: CoachInput = { record, topology };
    if (before) input.before = before;
    if (lesson) input.lesson = lesson;
    const hint = theCoach.observe(input);
    return hint ? { hint, topology } : { topology };
  };

  const handle = async (record: CommandRecord): Promise<void> => {
    if (disposed || (options.enabled && !options.enabled())) {
      previous = undefined;
      return;
    }
    const before = previous;
    await delay(settleMs);
    let result = await look(record, before);
    if (!result.hint && recheckMs > 0 && mayChangeLater(record.command)) {
      await delay(recheckMs);
      result = await look(record, before);
    }
    previous = result.topology;
    if (result.hint && !disposed) options.onHint(result.hint);
  };

  const off = options.terminals.onCommand((record) => {
    queue = queue.then(() => handle(record)).catch((err: unknown) => log.error('coach failed', { err }));
  });

  return {
    idle: async () => {
      let seen: Promise<void> | undefined;
      while (seen !== queue) {
        seen = queue;
        await seen;
      }
    },
    dispose: () => {
      disposed = true;
      off();
    },
  };
}

/** Commands whose outcome may show in the model only after they returned (a container that exits at once). */
function mayChangeLater(command: string): boolean {
  return /\bdocker\s+(?:container\s+)?(?:run|start)\b/.test(command);
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
