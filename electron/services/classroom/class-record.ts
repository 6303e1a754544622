import { z } from 'zod';
import { CheckpointStatus, LessonRef, type Progress } from './protocol';

/**
 * The hub's class record: what each learner shared, and the inputs of stuck detection.
 * Pure functions over plain data, so the dashboard, the CSV export and the tests share them.
 */

export const CheckpointRecord = z.object({
  status: CheckpointStatus,
  reason: z.string().nullable(),
  failedAttempts: z.int().min(0),
});
export type CheckpointRecord = z.infer<typeof CheckpointRecord>;

export const LearnerRecord = z.object({
  id: z.string(),
  name: z.string(),
  /** SHA-256 key of the learner's own token (channel-proof.ts tokenKey); '' once they left. */
  tokenKey: z.string(),
  joinedAt: z.number(),
  lastSeenAt: z.number(),
  left: z.boolean(),
  lessonId: z.string().nullable(),
  stepId: z.string().nullable(),
  /** When the learner last made progress: a new step or a newly passed checkpoint. */
  progressAt: z.number(),
  checkpoints: z.record(z.string(), CheckpointRecord),
  hintsRevealed: z.array(z.string()),
  solutionsUsed: z.array(z.string()),
  secondsOnStep: z.int().min(0),
  coachHint: z.string().nullable(),
  handRaised: z.boolean(),
});
export type LearnerRecord = z.infer<typeof LearnerRecord>;

export const ClassRecord = z.object({
  className: z.string(),
  createdAt: z.number(),
  currentLesson: LessonRef.nullable(),
  learners: z.array(LearnerRecord),
});
export type ClassRecord = z.infer<typeof ClassRecord>;

export function newLearner(id: string, name: string, tokenKey: string, now: number): LearnerRecord {
  return {
    id,
    name,
    tokenKey,
    joinedAt: now,
    lastSeenAt: now,
    left: false,
    lessonId: null,
    stepId: null,
    progressAt: now,
    checkpoints: {},
    hintsRevealed: [],
    solutionsUsed: [],
    secondsOnStep: 0,
    coachHint: null,
    handRaised: false,
  };
}

/** Folds one progress message into a learner's record. */
export function applyProgress(learner: LearnerRecord, msg: Progress, now: number): LearnerRecord {
  const lessonChanged = learner.lessonId !== msg.lessonId;
  const stepChanged = lessonChanged || learner.stepId !== msg.stepId;
  const before = lessonChanged ? {} : learner.checkpoints;
  const checkpoints: Record<string, CheckpointRecord> = {};
  let newlyPassed = false;
  for (const cp of msg.checkpoints) {
    const prev = before[cp.id];
    if (cp.status === 'passed' && prev?.status !== 'passed') newlyPassed = true;
    // The learner's count can only grow; a lower one (a restarted app) never hides earlier failures.
    const failedAttempts = Math.max(prev?.failedAttempts ?? 0, cp.failedAttempts);
    checkpoints[cp.id] = { status: cp.status, reason: cp.reason ?? null, failedAttempts };
  }
  return {
    ...learner,
    lastSeenAt: now,
    lessonId: msg.lessonId,
    stepId: msg.stepId,
    progressAt: stepChanged || newlyPassed ? now : learner.progressAt,
    checkpoints,
    hintsRevealed: [...msg.hintsRevealed],
    solutionsUsed: [...msg.solutionsUsed],
    secondsOnStep: msg.secondsOnStep,
    coachHint: msg.coachHint,
  };
}

export interface StuckPolicy {
  /** No progress on a step for this long (set by the instructor). */
  noProgressMs: number;
  /** This many failed checks of one checkpoint that is still not passed. */
  repeatedFailures: number;
}

export const DEFAULT_STUCK_POLICY: StuckPolicy = { noProgressMs: 5 * 60_000, repeatedFailures: 3 };

export interface StuckSignals {
  noProgress: boolean;
  /** The checkpoint failing repeatedly, if any (the one with the most failures). */
  repeatedFailure: string | null;
  handRaised: boolean;
  stuck: boolean;
}

export function stuckSignals(learner: LearnerRecord, now: number, policy: StuckPolicy = DEFAULT_STUCK_POLICY): StuckSignals {
  const started = learner.lessonId !== null;
  const noProgress = started && !learner.left && now - learner.progressAt >= policy.noProgressMs;
  let repeatedFailure: string | null = null;
  let most = 0;
  for (const [id, cp] of Object.entries(learner.checkpoints)) {
    if (cp.status !== 'passed' && cp.failedAttempts >= policy.repeatedFailures && cp.failedAttempts > most) {
      most = cp.failedAttempts;
      repeatedFailure = id;
    }
  }
  const handRaised = learner.handRaised && !learner.left;
  return { noProgress, repeatedFailure, handRaised, stuck: noProgress || repeatedFailure !== null || handRaised };
}

export interface CheckpointSummary {
  checkpointId: string;
  passed: number;
  failed: number;
  /** Learners on this lesson who report this checkpoint at all. */
  reporting: number;
  /** The failure reason most learners currently see, with how many see it. */
  commonFailure: { reason: string; count: number } | null;
}

/** Per checkpoint of a lesson, in first-seen order: how many passed and the commonest failure. */
export function checkpointSummary(record: ClassRecord, lessonId: string): CheckpointSummary[] {
  const order: string[] = [];
  const acc = new Map<string, { passed: number; failed: number; reporting: number; reasons: Map<string, number> }>();
  for (const learner of record.learners) {
    if (learner.left || learner.lessonId !== lessonId) continue;
    for (const [id, cp] of Object.entries(learner.checkpoints)) {
      let a = acc.get(id);
      if (!a) {
        a = { passed: 0, failed: 0, reporting: 0, reasons: new Map() };
        acc.set(id, a);
        order.push(id);
      }
      a.reporting++;
      if (cp.status === 'passed') a.passed++;
      if (cp.status === 'failed') {
        a.failed++;
        const reason = cp.reason ?? '(no reason given)';
        a.reasons.set(reason, (a.reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  return order.map((checkpointId) => {
    const a = acc.get(checkpointId)!;
    let commonFailure: CheckpointSummary['commonFailure'] = null;
    // Ties go to the reason seen first, so the answer does not flicker between equals.
    for (const [reason, count] of a.reasons) if (!commonFailure || count > commonFailure.count) commonFailure = { reason, count };
    return { checkpointId, passed: a.passed, failed: a.failed, reporting: a.reporting, commonFailure };
  });
}
