import { describe, expect, it } from 'vitest';
import type { LessonPart, LessonSummary } from '../../../electron/api/types';
import { groupByPart } from './lesson-parts';

function lesson(id: string, order: number, part?: LessonPart): LessonSummary {
  const text = { en: id, 'zh-CN': id };
  return { id, order, title: text, summary: text, images: [], stepCount: 1, checkpointCount: 1, source: 'builtin', ...(part ? { part } : {}) } as LessonSummary;
}

describe('Home groups the lessons by part', () => {
  it('core, then beyond the basics, then challenges, each in lesson order', () => {
    const groups = groupByPart([lesson('troubleshooting', 15, 'challenges'), lesson('ports', 9, 'beyond'), lesson('dns', 7, 'core'), lesson('bridge', 2, 'core')]);
    expect(groups.map((g) => [g.part, g.lessons.map((l) => l.id)])).toEqual([
      ['core', ['bridge', 'dns']],
      ['beyond', ['ports']],
      ['challenges', ['troubleshooting']],
    ]);
  });

  it('a lesson without a part is core, and an empty part is left out', () => {
    const groups = groupByPart([lesson('mine', 1), lesson('fix-it', 2, 'challenges')]);
    expect(groups.map((g) => g.part)).toEqual(['core', 'challenges']);
  });
});
