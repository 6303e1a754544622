import { describe, expect, it } from 'vitest';
import type { Lesson, QuizAnswer } from '../../../electron/api/types';
import { placedQuizIds, quizStatus, QuizState, unplacedQuizzes } from './quiz.svelte';

const explanation = { en: 'because', 'zh-CN': '因为' };

describe('quizStatus', () => {
  it('is passed when answered right now or passed before (after a reload)', () => {
    expect(quizStatus('pending', undefined)).toBe('unanswered');
    expect(quizStatus('failed', undefined)).toBe('unanswered');
    expect(quizStatus('pending', { choice: 1, correct: false, explanation })).toBe('wrong');
    expect(quizStatus('pending', { choice: 0, correct: true, explanation })).toBe('passed');
    expect(quizStatus('passed', undefined)).toBe('passed');
  });
});

describe('quiz placement', () => {
  const q = (id: string, stepId: string): Lesson['quizzes'][number] => ({ id, stepId, question: explanation, choices: [explanation, explanation] });
  const lesson = { quizzes: [q('a', 's1'), q('b', 's1'), q('c', 's2')] } as unknown as Lesson;
  const step = { id: 's1' } as unknown as Lesson['steps'][number];

  it('finds markers and lists the step quizzes the text does not place', () => {
    const body = 'Text\n\n::: quiz a\n:::\n\n:::  quiz   zz  \n:::\n';
    expect([...placedQuizIds(body)]).toEqual(['a', 'zz']);
    expect(unplacedQuizzes(lesson, step, body).map((x) => x.id)).toEqual(['b']);
    expect(unplacedQuizzes(lesson, step, 'no markers').map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('QuizState', () => {
  it('records the latest answer, and lets the learner try again after a wrong one', async () => {
    const calls: [string, number][] = [];
    const state = new QuizState(async (quizId, choice): Promise<QuizAnswer> => {
      calls.push([quizId, choice]);
      return { correct: choice === 2, explanation: { en: `choice ${choice}`, 'zh-CN': `选项 ${choice}` } };
    });
    await state.answer('q1', 0);
    expect(state.attempts.q1).toEqual({ choice: 0, correct: false, explanation: { en: 'choice 0', 'zh-CN': '选项 0' } });
    await state.answer('q1', 2);
    expect(state.attempts.q1?.correct).toBe(true);
    expect(state.attempts.q1?.choice).toBe(2);
    expect(calls).toEqual([
      ['q1', 0],
      ['q1', 2],
    ]);
  });

  it('ignores a second click while an answer is in flight, and keeps errors per quiz', async () => {
    let release: (answer: QuizAnswer) => void = () => {};
    let calls = 0;
    const state = new QuizState((quizId) => {
      calls++;
      if (quizId === 'broken') return Promise.reject(new Error('no such quiz'));
      return new Promise<QuizAnswer>((resolve) => (release = resolve));
    });
    const first = state.answer('q1', 1);
    expect(state.busy.q1).toBe(true);
    await state.answer('q1', 0);
    expect(calls).toBe(1);
    release({ correct: true, explanation });
    await first;
    expect(state.busy.q1).toBe(false);
    expect(state.attempts.q1?.choice).toBe(1);

    await state.answer('broken', 0);
    expect(state.errors.broken).toBe('no such quiz');
    expect(state.errors.q1).toBeUndefined();
    expect(state.attempts.broken).toBeUndefined();
  });
});
