// Pure helpers for checkpoint and step state, kept out of components so they are testable.
import type { CheckpointState, CheckpointStatus, Lesson, LessonStep, Localized, ProgressSnapshot } from '../../../electron/api/types';

export type StatusMap = ReadonlyMap<string, CheckpointStatus>;

export function toStatusMap(statuses: readonly CheckpointStatus[]): Map<string, CheckpointStatus> {
  return new Map(statuses.map((s) => [s.id, s]));
}

export function statusOf(map: StatusMap, id: string): CheckpointState {
  return map.get(id)?.status ?? 'pending';
}

/** Ids that are passed in `next` but were not in `previous`. */
export function newlyPassed(previous: StatusMap, next: readonly CheckpointStatus[]): string[] {
  return next.filter((s) => s.status === 'passed' && previous.get(s.id)?.status !== 'passed').map((s) => s.id);
}

/**
 * How a checkpoint's state shows besides its colour: a mark of its own shape and the words
 * (visible, or for a screen reader), so colour is never the only signal.
 */
export const CHECKPOINT_MARKS: Readonly<
  Record<CheckpointState, { icon: string; label: 'checkpoint.passed' | 'checkpoint.failed' | 'checkpoint.pending' | 'checkpoint.unavailable' }>
> = {
  passed: { icon: '✓', label: 'checkpoint.passed' },
  failed: { icon: '•', label: 'checkpoint.failed' },
  pending: { icon: '○', label: 'checkpoint.pending' },
  unavailable: { icon: '⊘', label: 'checkpoint.unavailable' },
};

/** A checkpoint whose state, or whose reason for not passing, changed: what the live region announces. */
export interface CheckpointChange {
  id: string;
  status: CheckpointState;
  reason?: Localized;
}

/**
 * The checkpoints of `next` that changed since `previous`, in `next`'s order (a checkpoint not in
 * `previous` was pending). Waiting → not yet is the lab's first look at a fresh lesson ("there is no
 * container named … yet"), not news: it is left out. A new reason for "not yet" is news: the learner
 * tried something, and it explains what is still missing.
 */
export function statusChanges(previous: StatusMap, next: readonly CheckpointStatus[]): CheckpointChange[] {
  return next
    .filter((s) => {
      const before = previous.get(s.id);
      const was = before?.status ?? 'pending';
      if (was === 'pending' && s.status === 'failed') return false;
      if (was !== s.status) return true;
      return s.status === 'failed' && JSON.stringify(before?.reason ?? null) !== JSON.stringify(s.reason ?? null);
    })
    .map((s) => ({ id: s.id, status: s.status, ...(s.reason ? { reason: s.reason } : {}) }));
}

/** A step is done when it has checkpoints and all of them passed (a step without any is never marked). */
export function isStepDone(step: LessonStep, map: StatusMap): boolean {
  return step.checkpointIds.length > 0 && step.checkpointIds.every((id) => statusOf(map, id) === 'passed');
}

export function isLessonComplete(lesson: Lesson, map: StatusMap): boolean {
  return lesson.checkpoints.length > 0 && lesson.checkpoints.every((c) => statusOf(map, c.id) === 'passed');
}

/** The saved step if it still exists, else the first. */
export function initialStepIndex(lesson: Lesson, stepId: string | undefined): number {
  const index = stepId ? lesson.steps.findIndex((s) => s.id === stepId) : -1;
  return index >= 0 ? index : 0;
}

/** Checkpoints of a step: the step's own list, plus any whose stepId names it. */
export function stepCheckpointIds(lesson: Lesson, step: LessonStep): string[] {
  const ids = new Set(step.checkpointIds);
  for (const c of lesson.checkpoints) if (c.stepId === step.id) ids.add(c.id);
  return [...ids];
}

/** Passed checkpoints for a lesson card, counting only ones the lesson still has. */
export function passedCount(progress: ProgressSnapshot | undefined, lessonId: string, total: number): number {
  const passed = progress?.lessons[lessonId]?.passed;
  if (!passed) return 0;
  return Math.min(Object.keys(passed).length, total);
}
