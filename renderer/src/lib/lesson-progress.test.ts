import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../electron/api/types';
import {
  initialStepIndex,
  isLessonComplete,
  isStepDone,
  newlyPassed,
  CHECKPOINT_MARKS,
  statusChanges,
  passedCount,
  stepCheckpointIds,
  toStatusMap,
} from './lesson-progress';

const t = (s: string): { en: string; 'zh-CN': string } => ({ en: s, 'zh-CN': s });
const lesson: Lesson = {
  id: 'bridge',
  order: 1,
  title: t('Bridge'),
  summary: t('s'),
  intro: t('i'),
  images: [],
  names: { containers: [], networks: [] },
  steps: [
    { id: 'one', title: t('One'), body: t(''), hints: [], solution: [], checkpointIds: ['a', 'b'] },
    { id: 'two', title: t('Two'), body: t(''), hints: [], solution: [], checkpointIds: [] },
  ],
  checkpoints: [
    { id: 'a', stepId: 'one', title: t('A'), live: false, kind: 'lab' },
    { id: 'b', stepId: 'one', title: t('B'), live: true, kind: 'lab' },
    { id: 'c', stepId: 'two', title: t('C'), live: false, kind: 'lab' },
  ],
  quizzes: [],
  source: 'builtin',
  fingerprint: '0'.repeat(64),
};

describe('lesson progress helpers', () => {
  it('detects newly passed checkpoints only', () => {
    const before = toStatusMap([
      { id: 'a', status: 'passed' },
      { id: 'b', status: 'failed' },
    ]);
    const after = [
      { id: 'a', status: 'passed' as const },
      { id: 'b', status: 'passed' as const },
      { id: 'c', status: 'pending' as const },
    ];
    expect(newlyPassed(before, after)).toEqual(['b']);
  });

  it('gives every checkpoint state its own mark and its own words', () => {
    const marks = Object.values(CHECKPOINT_MARKS);
    expect(marks).toHaveLength(4);
    expect(new Set(marks.map((m) => m.icon)).size).toBe(4);
    expect(new Set(marks.map((m) => m.label)).size).toBe(4);
  });

  it('lists every checkpoint whose state or reason changed, for the live region', () => {
    const why = { en: 'custom_bbox02 is on bridge', 'zh-CN': 'custom_bbox02 在 bridge 上' };
    const before = toStatusMap([
      { id: 'a', status: 'passed' },
      { id: 'b', status: 'failed', reason: why },
      { id: 'c', status: 'pending' },
      { id: 'd', status: 'failed', reason: why },
      { id: 'e', status: 'passed' },
    ]);
    const changes = statusChanges(before, [
      { id: 'a', status: 'passed' },
      { id: 'b', status: 'passed' },
      { id: 'c', status: 'failed', reason: why },
      { id: 'd', status: 'failed', reason: { en: 'custom_bbox02 is not running', 'zh-CN': 'custom_bbox02 没有运行' } },
      { id: 'e', status: 'pending' },
      { id: 'f', status: 'pending' },
    ]);
    // c: waiting → not yet is the first evaluation of a fresh lesson, not news.
    expect(changes.map((c) => [c.id, c.status])).toEqual([
      ['b', 'passed'],
      ['d', 'failed'],
      ['e', 'pending'],
    ]);
    expect(changes[1]?.reason?.en).toBe('custom_bbox02 is not running');
    // Passed → not yet is news too, with its reason.
    expect(statusChanges(before, [{ id: 'a', status: 'failed', reason: why }])).toEqual([{ id: 'a', status: 'failed', reason: why }]);
    // Nothing changed, nothing to say.
    expect(statusChanges(before, [...before.values()])).toEqual([]);
  });

  it('marks a step done only when all its checkpoints passed', () => {
    const step = lesson.steps[0]!;
    expect(isStepDone(step, toStatusMap([{ id: 'a', status: 'passed' }]))).toBe(false);
    expect(
      isStepDone(step, toStatusMap([{ id: 'a', status: 'passed' }, { id: 'b', status: 'passed' }])),
    ).toBe(true);
    expect(isStepDone(lesson.steps[1]!, toStatusMap([]))).toBe(false);
  });

  it('knows when the lesson is complete', () => {
    const some = toStatusMap([{ id: 'a', status: 'passed' }, { id: 'b', status: 'passed' }]);
    expect(isLessonComplete(lesson, some)).toBe(false);
    const all = toStatusMap(['a', 'b', 'c'].map((id) => ({ id, status: 'passed' as const })));
    expect(isLessonComplete(lesson, all)).toBe(true);
  });

  it('resumes at the saved step, else the first', () => {
    expect(initialStepIndex(lesson, 'two')).toBe(1);
    expect(initialStepIndex(lesson, 'gone')).toBe(0);
    expect(initialStepIndex(lesson, undefined)).toBe(0);
  });

  it('collects a step checkpoints from both sides', () => {
    expect(stepCheckpointIds(lesson, lesson.steps[1]!)).toEqual(['c']);
    expect(stepCheckpointIds(lesson, lesson.steps[0]!)).toEqual(['a', 'b']);
  });

  it('counts passed checkpoints for a card, capped by the total', () => {
    const progress = { lessons: { bridge: { passed: { a: 'x', b: 'y', old: 'z' } } } };
    expect(passedCount(progress, 'bridge', 2)).toBe(2);
    expect(passedCount(progress, 'other', 3)).toBe(0);
    expect(passedCount(undefined, 'bridge', 3)).toBe(0);
  });
});
