// The coach: turns what the learner did into at most one friendly hint per
// mistake. Two sources: a finished host-shell command (bash/zsh prompt hooks)
// with the tracker's model, and the Docker API calls the lab relay saw the
// engine refuse (any shell, any alias or script). `coach()` and
// `coachRecords()` are pure (rules in order); `Coach` adds the cooldown;
// `coachCommands()` wires both sources to the tracker, one mistake shown once
// whichever source noticed it first.
import type { CoachHint, CommandRecord, Localized, Topology } from '../../api/types';
import { log } from '../log/logger';
import type { EngineRecord } from '../relay/engine-record';
import { parseDocker, splitCommandLine } from './command-line';
import { ENGINE_RULES, refused, type EngineCoachInput, type EngineExplanation, type EngineRule } from './engine-rules';
import { RULES, type CoachInput, type Rule, type RuleContext } from './rules';

export type { CoachInput } from './rules';
export type { EngineCoachInput } from './engine-rules';

/** A hint with what the cooldown and the two sources' de-duplication need. */
export interface Explained {
  hint: CoachHint;
  /** The mistake it explains (the rule's `mistake`, else its id): one per command, whichever source saw it. */
  mistake: string;
  /** The same key is shown once per cooldown. */
  key: string;
}

function explainCommand(input: CoachInput, rules: readonly Rule[]): Explained | undefined {
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
      if (message) {
        const hint: CoachHint = { rule: rule.id, message, command: input.record.command, at: input.record.finishedAt };
        return { hint, mistake: rule.mistake ?? rule.id, key: `${rule.id}\u0000${input.record.command.trim().replace(/\s+/g, ' ')}` };
      }
    }
  }
  return undefined;
}

function explainRecords(input: EngineCoachInput, rules: readonly EngineRule[]): Explained[] {
  const out: Explained[] = [];
  // One hint per rule in a burst (`docker rm a b c` with none of them there: one hint).
  const fired = new Set<string>();
  for (const record of input.records) {
    if (!refused(record)) continue;
    const error = record.error ?? '';
    for (const rule of rules) {
      let found: EngineExplanation | undefined;
      try {
        found = rule.check({ input, topology: input.topology, record, error });
      } catch (err) {
        log.error('coach rule failed', { rule: rule.id, err });
        continue;
      }
      if (!found) continue;
      if (!fired.has(rule.id)) {
        fired.add(rule.id);
        const hint: CoachHint = { rule: rule.id, message: found.message, command: error, at: record.at, source: 'engine' };
        out.push({ hint, mistake: rule.mistake ?? rule.id, key: `engine\u0000${rule.id}\u0000${found.subject}` });
      }
      break;
    }
  }
  return out;
}

/** The first rule that explains the command, or undefined. Pure. */
export function coach(input: CoachInput, rules: readonly Rule[] = RULES): CoachHint | undefined {
  return explainCommand(input, rules)?.hint;
}

/** The hints for the refused calls of one burst, at most one per rule. Pure. */
export function coachRecords(input: EngineCoachInput, rules: readonly EngineRule[] = ENGINE_RULES): CoachHint[] {
  return explainRecords(input, rules).map((e) => e.hint);
}

export interface CoachOptions {
  /** The same rule for the same command (or the same name, from the engine) is shown at most once in this window. Default 60 s. */
  cooldownMs?: number;
  /** Clock (tests). */
  now?: () => number;
  rules?: readonly Rule[];
  engineRules?: readonly EngineRule[];
}

export class Coach {
  readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly rules: readonly Rule[];
  private readonly engineRules: readonly EngineRule[];
  /** Hint key → when it was last shown. */
  private readonly shown = new Map<string, number>();

  constructor(options: CoachOptions = {}) {
    this.cooldownMs = options.cooldownMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.rules = options.rules ?? RULES;
    this.engineRules = options.engineRules ?? ENGINE_RULES;
  }

  /** A hint for this command, unless the same one was shown within the cooldown. */
  observe(input: CoachInput): CoachHint | undefined {
    const found = this.explain(input);
    return found && this.admit(found) ? found.hint : undefined;
  }

  /** Hints for one burst of engine records, but those shown within the cooldown. */
  observeRecords(input: EngineCoachInput): CoachHint[] {
    return this.explainRecords(input)
      .filter((e) => this.admit(e))
      .map((e) => e.hint);
  }

  /** What the rules say of a command, cooldown aside. */
  explain(input: CoachInput): Explained | undefined {
    return explainCommand(input, this.rules);
  }

  /** What the engine rules say of a burst, cooldown aside. */
  explainRecords(input: EngineCoachInput): Explained[] {
    return explainRecords(input, this.engineRules);
  }

  /** Whether a hint may be shown now (not within the cooldown of the same one); if so, it counts as shown. */
  admit(found: Explained): boolean {
    const now = this.now();
    for (const [key, at] of this.shown) if (now - at >= this.cooldownMs) this.shown.delete(key);
    if (this.shown.has(found.key)) return false;
    this.shown.set(found.key, now);
    return true;
  }

  /** Forgets what was shown (a new lab session). */
  clear(): void {
    this.shown.clear();
  }
}

export interface CoachingOptions {
  /** The TerminalManager (host-shell command records, from the bash/zsh prompt hooks). */
  terminals: { onCommand(listener: (rec: CommandRecord) => void): () => void };
  /** The host shells' lab relays (HostRelays): the Docker API calls of every host shell, hooks or none. */
  relays?: { onRecord(listener: (terminalId: string, record: EngineRecord) => void): () => void };
  /** The LabTracker. */
  tracker: { topology(): Topology; settled(): Promise<void> };
  /** Whether to coach now (e.g. only while a lab is open and the tracker runs). Default: always. */
  enabled?: () => boolean;
  /** The open lesson's names (and images), if any. */
  lesson?: () => { containers: string[]; networks: string[]; images?: string[] } | undefined;
  onHint: (hint: CoachHint) => void;
  coach?: Coach;
  /** Wait this long after a command for Docker's events before looking. Default 300 ms. */
  settleMs?: number;
  /** Look once more this much later when nothing fired (a container that exits just after starting). Default 1200 ms. */
  recheckMs?: number;
  /**
   * A shell's engine calls that follow each other within this are one burst, looked at together
   * (a command's lookups: `docker inspect` tries a container, then an image…). Default 150 ms;
   * the shell's next finished command closes its burst at once.
   */
  burstMs?: number;
}

export interface Coaching {
  /** Resolves once every command and engine record seen so far was looked at (tests). */
  idle(): Promise<void>;
  dispose(): void;
}

/** Records kept per burst; a longer burst (a script in a loop) is looked at in parts. */
const MAX_BURST = 64;

interface Burst {
  records: EngineRecord[];
  /** The shell's command the calls belong to: how many commands it had finished when the burst began. */
  epoch: number;
  /** When its last call arrived (Date.now()). */
  lastAt: number;
  timer?: ReturnType<typeof setTimeout>;
}

type Source = 'command' | 'engine';

/**
 * Coaches what the host shells did: every finished command (after the tracker
 * applied its Docker events; the model seen after the previous command is the
 * "before" of this one) and every burst of engine calls a shell's relay saw
 * (any shell). Calls and their command are tied by the shell and its command
 * count; a mistake one source explained is not explained again by the other.
 */
export function coachCommands(options: CoachingOptions): Coaching {
  const theCoach = options.coach ?? new Coach();
  const settleMs = options.settleMs ?? 300;
  const recheckMs = options.recheckMs ?? 1_200;
  const burstMs = options.burstMs ?? 150;
  const enabled = (): boolean => !disposed && (!options.enabled || options.enabled());
  let previous: Topology | undefined;
  let disposed = false;
  // One look at a time, in order: each command's "before" is the last one's "after",
  // and a command's engine calls are looked at before the command.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (job: () => Promise<void>): void => {
    queue = queue.then(job).catch((err: unknown) => log.error('coach failed', { err }));
  };

  /** Per shell: commands finished so far. */
  const commandsSeen = new Map<string, number>();
  /** Per shell: engine calls not looked at yet. */
  const bursts = new Map<string, Burst>();
  /** Mistakes each source found (shown or held back by the cooldown), by shell and command. */
  let found: { terminal: string; epoch: number; mistake: string; source: Source; at: number }[] = [];

  /** Notes what a source found; true when the other source already found the same mistake for the same command. */
  const foundBefore = (terminal: string, epoch: number, mistake: string, source: Source): boolean => {
    const now = Date.now();
    found = found.filter((f) => now - f.at < theCoach.cooldownMs);
    const other = found.some((f) => f.terminal === terminal && f.epoch === epoch && f.mistake === mistake && f.source !== source);
    found.push({ terminal, epoch, mistake, source, at: now });
    return other;
  };

  const show = (terminal: string, epoch: number, explained: Explained, source: Source): void => {
    if (foundBefore(terminal, epoch, explained.mistake, source)) return;
    if (!theCoach.admit(explained) || disposed) return;
    options.onHint(explained.hint);
  };

  const lessonNow = (): { containers: string[]; networks: string[]; images?: string[] } | undefined => options.lesson?.();

  const look = async (record: CommandRecord, before: Topology | undefined): Promise<{ found?: Explained; topology: Topology }> => {
    await options.tracker.settled();
    const topology = options.tracker.topology();
    const lesson = lessonNow();
    const input: CoachInput = { record, topology };
    if (before) input.before = before;
    if (lesson) input.lesson = lesson;
    const explained = theCoach.explain(input);
    return explained ? { found: explained, topology } : { topology };
  };

  const handle = async (record: CommandRecord, epoch: number): Promise<void> => {
    if (!enabled()) {
      previous = undefined;
      return;
    }
    const before = previous;
    await delay(settleMs);
    let result = await look(record, before);
    if (!result.found && recheckMs > 0 && mayChangeLater(record.command)) {
      await delay(recheckMs);
      result = await look(record, before);
    }
    previous = result.topology;
    if (result.found) show(record.terminalId, epoch, result.found, 'command');
  };

  const lookAtRecords = async (terminal: string, burst: Burst): Promise<void> => {
    if (!enabled()) return;
    // As for a command: the calls' Docker events (a container created before its start failed) land first.
    await delay(settleMs - (Date.now() - burst.lastAt));
    await options.tracker.settled();
    const lesson = lessonNow();
    const input: EngineCoachInput = { records: burst.records, topology: options.tracker.topology() };
    if (lesson) input.lesson = lesson;
    for (const explained of theCoach.explainRecords(input)) show(terminal, burst.epoch, explained, 'engine');
  };

  const flush = (terminal: string): void => {
    const burst = bursts.get(terminal);
    if (!burst) return;
    bursts.delete(terminal);
    clearTimeout(burst.timer);
    if (burst.records.some(refused)) enqueue(() => lookAtRecords(terminal, burst));
  };

  const offCommands = options.terminals.onCommand((record) => {
    // The command's own calls first: they arrived before it finished.
    flush(record.terminalId);
    const epoch = commandsSeen.get(record.terminalId) ?? 0;
    commandsSeen.set(record.terminalId, epoch + 1);
    enqueue(() => handle(record, epoch));
  });

  const offRecords = options.relays?.onRecord((terminal, record) => {
    if (!enabled()) return;
    let burst = bursts.get(terminal);
    if (!burst) {
      burst = { records: [], epoch: commandsSeen.get(terminal) ?? 0, lastAt: 0 };
      bursts.set(terminal, burst);
    }
    clearTimeout(burst.timer);
    burst.records.push(record);
    burst.lastAt = Date.now();
    if (burst.records.length >= MAX_BURST) flush(terminal);
    else burst.timer = setTimeout(() => flush(terminal), burstMs);
  });

  return {
    idle: async () => {
      for (;;) {
        while (bursts.size > 0) await delay(burstMs / 2);
        let seen: Promise<void> | undefined;
        while (seen !== queue) {
          seen = queue;
          await seen;
        }
        if (bursts.size === 0) return;
      }
    },
    dispose: () => {
      disposed = true;
      offCommands();
      offRecords?.();
      for (const burst of bursts.values()) clearTimeout(burst.timer);
      bursts.clear();
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
