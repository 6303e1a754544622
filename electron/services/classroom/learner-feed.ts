// Turns what the learner's app already knows (checkpoint results, the lesson step, the coach's
// hints) into the one progress snapshot a class may see. This is the filter between the app and
// the wire: a coach hint's `command` and anything from a terminal never get in.
import type { CheckpointStatus, CoachHint, Locale, Localized } from '../../api/types';
import { COACH_HINT_MAX, REASON_MAX, type ProgressSnapshot } from './protocol';

interface CheckpointMemory {
  status: ProgressSnapshot['checkpoints'][number]['status'];
  reason: string | undefined;
  failedAttempts: number;
}

export class LearnerProgressFeed {
  private lessonId: string | null = null;
  private stepId: string | null = null;
  private stepSince = 0;
  private checkpoints = new Map<string, CheckpointMemory>();
  private hints = new Set<string>();
  private solutions = new Set<string>();
  private coachHint: string | null = null;

  constructor(
    private locale: Locale,
    private readonly now: () => number = Date.now,
  ) {}

  /** The learner's UI language: reasons and hints that arrive from now on are kept in it. */
  setLocale(locale: Locale): void {
    this.locale = locale;
  }

  /** The learner opened a lesson step (a new lesson starts with a clean slate). */
  onStep(lessonId: string, stepId: string): void {
    if (lessonId !== this.lessonId) {
      this.checkpoints.clear();
      this.hints.clear();
      this.solutions.clear();
      this.coachHint = null;
    }
    if (lessonId !== this.lessonId || stepId !== this.stepId) this.stepSince = this.now();
    this.lessonId = lessonId;
    this.stepId = stepId;
  }

  /** From the `checkpoints.changed` event. A failure counts once per new failure or new reason. */
  onCheckpoints(lessonId: string, checkpoints: CheckpointStatus[]): void {
    if (lessonId !== this.lessonId) return;
    for (const cp of checkpoints) {
      const prev = this.checkpoints.get(cp.id);
      // Set aside on this learner's engine (the lab doctor): not a failure, so the class sees it waiting, with why.
      const status = cp.status === 'unavailable' ? 'pending' : cp.status;
      const reason =
        cp.status === 'unavailable'
          ? clean(`not available on this engine (needs ${(cp.unmet ?? []).map((u) => u.need).join(', ') || '?'})`, REASON_MAX)
          : cp.status === 'passed' || !cp.reason
            ? undefined
            : clean(this.pick(cp.reason), REASON_MAX);
      const newFailure = status === 'failed' && (prev?.status !== 'failed' || prev.reason !== reason);
      this.checkpoints.set(cp.id, { status, reason, failedAttempts: (prev?.failedAttempts ?? 0) + (newFailure ? 1 : 0) });
    }
  }

  /** Only the hint's message, in the learner's language: never the command that prompted it. */
  onCoachHint(hint: CoachHint): void {
    this.coachHint = clean(this.pick(hint.message), COACH_HINT_MAX);
  }

  /** From `lab.helpUsed`: hint ids are `STEP:hint-N`, a solution's is its step's id. Another lesson's are ignored. */
  onHintRevealed(lessonId: string, hintId: string): void {
    if (lessonId === this.lessonId) this.hints.add(hintId);
  }

  onSolutionUsed(lessonId: string, solutionId: string): void {
    if (lessonId === this.lessonId) this.solutions.add(solutionId);
  }

  /** What the client may send now; null before the learner has opened a lesson step. */
  snapshot(): ProgressSnapshot | null {
    if (this.lessonId === null || this.stepId === null) return null;
    return {
      lessonId: this.lessonId,
      stepId: this.stepId,
      checkpoints: [...this.checkpoints].map(([id, c]) => ({ id, status: c.status, ...(c.reason ? { reason: c.reason } : {}), failedAttempts: c.failedAttempts })),
      hintsRevealed: [...this.hints],
      solutionsUsed: [...this.solutions],
      secondsOnStep: Math.min(7 * 24 * 3600, Math.max(0, Math.floor((this.now() - this.stepSince) / 1000))),
      coachHint: this.coachHint,
    };
  }

  private pick(text: Localized): string {
    return text[this.locale] ?? text.en ?? Object.values(text)[0] ?? '';
  }
}

/** Control characters become spaces and the text is cut to the protocol's limit. */
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
