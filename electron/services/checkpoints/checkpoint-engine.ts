// Evaluates every checkpoint of the open lesson by itself: at open, after each
// relevant Docker event and after each command that finishes. Conditions read
// from memory (the tracker's model, commands, output) are decided at once on
// the trigger; probes wait for a short debounce that coalesces bursts. A
// passed checkpoint stays passed for the session unless it is live. Moving on
// to the next step is always the learner's action.
import type { CheckpointStatus, UnmetNeed } from '../../api/types';
import type { CheckpointDef } from '../lessons/checkpoint-schema';
import { evaluateAll, evaluateAllNow, type ConditionContext, type Verdict } from './conditions';
import { reasons } from './reasons';

interface EngineOptions {
  context: ConditionContext;
  /** Called with the full status list whenever any status changes. */
  onChange: (statuses: CheckpointStatus[]) => void;
  /** Called with checkpoints that newly passed (id → ISO time), to persist them. */
  onPassed?: (passed: Record<string, string>) => void;
  debounceMs?: number;
}

export class CheckpointEngine {
  private defs: CheckpointDef[] = [];
  private status = new Map<string, CheckpointStatus>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private paused = false;
  private generation = 0;
  /** Orders immediate decisions against a slower evaluation started before them. */
  private tick = 0;
  private decidedAt = new Map<string, number>();

  constructor(private readonly options: EngineOptions) {}

  /**
   * Starts a lesson: earlier passes (from progress) show as passed, the rest is evaluated now.
   * A checkpoint of a step this engine cannot do is 'unavailable' with what it lacks, and is never evaluated.
   */
  open(defs: readonly CheckpointDef[], alreadyPassed: Record<string, string> = {}, unavailable: ReadonlyMap<string, UnmetNeed[]> = new Map()): void {
    this.close();
    this.defs = [...defs];
    for (const def of defs) {
      const at = alreadyPassed[def.id];
      const unmet = unavailable.get(def.id);
      if (at && !def.live) this.status.set(def.id, { id: def.id, status: 'passed', passedAt: at });
      else if (unmet) this.status.set(def.id, { id: def.id, status: 'unavailable', unmet });
      else this.status.set(def.id, { id: def.id, status: 'pending' });
    }
  }

  close(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.defs = [];
    this.status.clear();
    this.decidedAt.clear();
    this.again = false;
  }

  statuses(): CheckpointStatus[] {
    return this.defs.map((d) => this.status.get(d.id) ?? { id: d.id, status: 'pending' });
  }

  /** Something changed: decide what memory can decide now; evaluate the rest soon, coalescing bursts. */
  trigger(): void {
    if (!this.defs.length || this.paused) return;
    this.decideNow();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.evaluate(), this.options.debounceMs ?? 15);
  }

  /** Evaluates now; resolves when statuses reflect everything seen so far. */
  async evaluate(): Promise<CheckpointStatus[]> {
    if (this.running) {
      this.again = true;
      await this.running;
      return this.statuses();
    }
    do {
      this.again = false;
      this.running = this.runOnce();
      try {
        await this.running;
      } finally {
        this.running = undefined;
      }
    } while (this.again);
    return this.statuses();
  }

  /** The engine is unreachable: checkpoints wait instead of failing. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    clearTimeout(this.timer);
    let changed = false;
    for (const s of this.status.values()) {
      if (s.status === 'failed') {
        this.status.set(s.id, { id: s.id, status: 'pending', reason: reasons.engineDown() });
        changed = true;
      }
    }
    if (changed) this.options.onChange(this.statuses());
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.trigger();
  }

  private todo(): CheckpointDef[] {
    return this.defs.filter((d) => {
      const status = this.status.get(d.id)?.status;
      return status !== 'unavailable' && (d.live || status !== 'passed');
    });
  }

  /** Synchronous: every checkpoint that needs no probe, from the live model. */
  private decideNow(): void {
    const verdicts: (readonly [CheckpointDef, Verdict])[] = [];
    for (const def of this.todo()) {
      const verdict = evaluateAllNow(def.when, this.options.context);
      if (verdict) verdicts.push([def, verdict]);
    }
    const at = ++this.tick;
    for (const [def] of verdicts) this.decidedAt.set(def.id, at);
    this.apply(verdicts);
  }

  private async runOnce(): Promise<void> {
    if (this.paused) return;
    const generation = this.generation;
    const started = ++this.tick;
    // Probes of different checkpoints run in parallel; each has its own short timeout.
    const verdicts = await Promise.all(this.todo().map(async (d) => [d, await evaluateAll(d.when, this.options.context)] as const));
    if (generation !== this.generation || this.paused) return;
    // A checkpoint decided at once after this evaluation began has the fresher verdict.
    this.apply(verdicts.filter(([d]) => (this.decidedAt.get(d.id) ?? 0) < started));
  }

  private apply(verdicts: readonly (readonly [CheckpointDef, Verdict])[]): void {
    const now = new Date().toISOString();
    const newlyPassed: Record<string, string> = {};
    let changed = false;
    for (const [def, verdict] of verdicts) {
      const before = this.status.get(def.id);
      const next: CheckpointStatus = verdict.ok
        ? { id: def.id, status: 'passed', passedAt: before?.passedAt ?? now }
        : { id: def.id, status: 'failed', reason: verdict.reason };
      if (verdict.ok && before?.status !== 'passed') newlyPassed[def.id] = next.passedAt ?? now;
      if (JSON.stringify(before) !== JSON.stringify(next)) {
        this.status.set(def.id, next);
        changed = true;
      }
    }
    if (changed) this.options.onChange(this.statuses());
    if (Object.keys(newlyPassed).length) this.options.onPassed?.(newlyPassed);
  }
}
