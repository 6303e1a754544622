// Quiz state for one lesson view: the learner's latest answer per quiz, kept
// apart from components so it survives re-rendering the Markdown around a quiz.
import type { CheckpointState, Lesson, LessonStep, Localized, QuizAnswer, QuizInfo } from '../../../electron/api/types';
import { errorMessage } from './errors';

/** unanswered: no answer yet; wrong: the last answer was wrong; passed: answered correctly (now or before). */
export type QuizStatus = 'unanswered' | 'wrong' | 'passed';

export interface QuizAttempt {
  choice: number;
  correct: boolean;
  explanation: Localized;
}

/**
 * A quiz's status from its checkpoint and the learner's latest answer in this
 * view. After a reload only the checkpoint knows it was answered correctly.
 */
export function quizStatus(checkpoint: CheckpointState, attempt: QuizAttempt | undefined): QuizStatus {
  if (attempt?.correct || checkpoint === 'passed') return 'passed';
  return attempt ? 'wrong' : 'unanswered';
}

const QUIZ_MARKER = /^\s*:::\s*quiz\s+([a-z0-9][a-z0-9-]{0,63})\s*$/gm;

/** Quiz ids placed in a Markdown source with `::: quiz ID`. */
export function placedQuizIds(source: string): Set<string> {
  return new Set([...source.matchAll(QUIZ_MARKER)].flatMap((m) => (m[1] ? [m[1]] : [])));
}

/** The step's quizzes its text does not place: shown after the text so they can still be answered. */
export function unplacedQuizzes(lesson: Lesson, step: LessonStep, body: string): QuizInfo[] {
  const placed = placedQuizIds(body);
  return lesson.quizzes.filter((q) => q.stepId === step.id && !placed.has(q.id));
}

export type AnswerFn = (quizId: string, choice: number) => Promise<QuizAnswer>;

export class QuizState {
  attempts = $state<Record<string, QuizAttempt>>({});
  busy = $state<Record<string, boolean>>({});
  errors = $state<Record<string, string>>({});
  readonly #answer: AnswerFn;

  constructor(answer: AnswerFn) {
    this.#answer = answer;
  }

  /** Sends one answer; a second click while one is in flight is ignored. */
  async answer(quizId: string, choice: number): Promise<void> {
    if (this.busy[quizId]) return;
    this.busy[quizId] = true;
    delete this.errors[quizId];
    try {
      const result = await this.#answer(quizId, choice);
      this.attempts[quizId] = { choice, correct: result.correct, explanation: result.explanation };
    } catch (err) {
      this.errors[quizId] = errorMessage(err);
    } finally {
      this.busy[quizId] = false;
    }
  }
}

/** What a rendered `::: quiz ID` needs from the lesson view. */
export interface QuizContext {
  quiz(id: string): QuizInfo | undefined;
  /** The quiz's checkpoint state (read reactively). */
  checkpoint(id: string): CheckpointState;
  state: QuizState;
}
