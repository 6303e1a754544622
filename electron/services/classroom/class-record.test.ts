import { describe, expect, it } from 'vitest';
import { applyProgress, checkpointSummary, newLearner, stuckSignals, type ClassRecord, type LearnerRecord } from './class-record';
import { Progress, type CheckpointState } from './protocol';

const MIN = 60_000;
const policy = { noProgressMs: 5 * MIN, repeatedFailures: 3 };

function msg(stepId: string, checkpoints: Partial<CheckpointState>[], lessonId = 'bridge'): Progress {
  return Progress.parse({ type: 'progress', lessonId, stepId, checkpoints, hintsRevealed: [], solutionsUsed: [], secondsOnStep: 0, coachHint: null });
}

describe('applyProgress and stuck detection', () => {
  it('counts a new step or a newly passed checkpoint as progress, a failure not', () => {
    let l = newLearner('l-1', 'Ada', 'k', 0);
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'failed', reason: 'no route' }]), 1 * MIN);
    expect(l.progressAt).toBe(1 * MIN);
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'failed', reason: 'no route' }]), 3 * MIN);
    expect(l.progressAt).toBe(1 * MIN);
    expect(stuckSignals(l, 5 * MIN + MIN - 1, policy).noProgress).toBe(false);
    expect(stuckSignals(l, 6 * MIN, policy)).toMatchObject({ noProgress: true, stuck: true });
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'passed' }]), 7 * MIN);
    expect(l.progressAt).toBe(7 * MIN);
    l = applyProgress(l, msg('s2', []), 8 * MIN);
    expect(l.progressAt).toBe(8 * MIN);
  });

  it('flags the same checkpoint failing repeatedly, and not once it passes', () => {
    let l = newLearner('l-1', 'Ada', 'k', 0);
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'failed', failedAttempts: 2 }]), 0);
    expect(stuckSignals(l, 0, policy).repeatedFailure).toBeNull();
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'failed', failedAttempts: 3 }]), 0);
    expect(stuckSignals(l, 0, policy)).toMatchObject({ repeatedFailure: 'a', stuck: true });
    // A restarted learner app reports a lower count: the hub keeps the higher one.
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'failed', failedAttempts: 0 }]), 0);
    expect(l.checkpoints.a!.failedAttempts).toBe(3);
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'passed', failedAttempts: 3 }]), 0);
    expect(stuckSignals(l, 0, policy).repeatedFailure).toBeNull();
  });

  it('treats a raised hand as stuck, and nothing of a learner who left', () => {
    const l: LearnerRecord = { ...newLearner('l-1', 'Ada', 'k', 0), handRaised: true, lessonId: 'bridge' };
    expect(stuckSignals(l, 0, policy)).toMatchObject({ handRaised: true, stuck: true });
    expect(stuckSignals({ ...l, left: true }, 60 * MIN, policy).stuck).toBe(false);
  });

  it('starts a new lesson with a clean slate of checkpoints', () => {
    let l = newLearner('l-1', 'Ada', 'k', 0);
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'failed', failedAttempts: 5 }]), 0);
    l = applyProgress(l, msg('s1', [{ id: 'a', status: 'pending' }], 'dns'), 0);
    expect(l.checkpoints.a!.failedAttempts).toBe(0);
  });
});

describe('checkpointSummary', () => {
  it('counts passes and finds the most common failure reason on the lesson', () => {
    const mk = (id: string, cps: Partial<CheckpointState>[], lessonId = 'bridge'): LearnerRecord => applyProgress(newLearner(id, id, 'k', 0), msg('s1', cps, lessonId), 0);
    const record: ClassRecord = {
      className: 'c',
      createdAt: 0,
      currentLesson: null,
      learners: [
        mk('a', [{ id: 'ping', status: 'passed' }, { id: 'dns', status: 'failed', reason: 'no DNS' }]),
        mk('b', [{ id: 'ping', status: 'failed', reason: 'no route' }, { id: 'dns', status: 'failed', reason: 'wrong name' }]),
        mk('c', [{ id: 'ping', status: 'failed', reason: 'no route' }, { id: 'dns', status: 'failed', reason: 'no DNS' }]),
        mk('d', [{ id: 'ping', status: 'failed', reason: 'firewall' }]),
        { ...mk('e', [{ id: 'ping', status: 'failed', reason: 'firewall' }]), left: true },
        mk('f', [{ id: 'ping', status: 'failed', reason: 'firewall' }], 'other-lesson'),
      ],
    };
    expect(checkpointSummary(record, 'bridge')).toEqual([
      { checkpointId: 'ping', passed: 1, failed: 3, reporting: 4, commonFailure: { reason: 'no route', count: 2 } },
      { checkpointId: 'dns', passed: 0, failed: 3, reporting: 3, commonFailure: { reason: 'no DNS', count: 2 } },
    ]);
    expect(checkpointSummary(record, 'nothing')).toEqual([]);
  });
});
