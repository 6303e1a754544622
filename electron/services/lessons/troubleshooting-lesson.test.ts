// Lesson 15 (troubleshooting) without an engine: five challenges, each with a
// quiz in both languages whose choices all explain themselves, placed after the
// challenge's checkpoint so the text shows the task before any quiz
// (lessons:test proves the setups and fixes against the real engine).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLessons, type LoadedLesson } from './loader';

const ROOT = join(__dirname, '..', '..', '..', 'lessons');

async function troubleshooting(): Promise<LoadedLesson> {
  const { lessons } = await loadLessons(ROOT, 'builtin');
  const found = lessons.find((l) => l.lesson.id === 'troubleshooting');
  expect(found).toBeDefined();
  return found as LoadedLesson;
}

describe('lesson 15: troubleshooting', () => {
  it('has a quiz per challenge, in both languages, each with one right choice of three or four, every choice explained', async () => {
    const loaded = await troubleshooting();
    expect(loaded.lesson.order).toBe(15);
    expect(loaded.lesson.steps.map((s) => s.id)).toEqual(['name-lookup', 'wrong-port', 'no-network', 'stopped-partner', 'no-shared-network']);
    for (const step of loaded.lesson.steps) {
      const quizzes = loaded.lesson.quizzes.filter((q) => q.stepId === step.id);
      expect(quizzes.length, step.id).toBeGreaterThanOrEqual(1);
      for (const info of quizzes) {
        const def = loaded.quizzes.get(info.id);
        expect(def, info.id).toBeDefined();
        expect(info.question.en, info.id).not.toBe('');
        expect(info.question['zh-CN'], info.id).not.toBe('');
        expect(def!.choices.length, info.id).toBeGreaterThanOrEqual(3);
        expect(def!.choices.length, info.id).toBeLessThanOrEqual(4);
        expect(def!.choices.filter((c) => c.correct).length, info.id).toBe(1);
        for (const choice of def!.choices) {
          for (const text of [choice.text, choice.explanation]) {
            expect(text.en.length, info.id).toBeGreaterThan(0);
            expect(text['zh-CN'].length, info.id).toBeGreaterThan(0);
            // Written fresh in Chinese: full-width punctuation, never an ASCII comma or colon beside a Chinese character.
            expect(text['zh-CN'], info.id).not.toMatch(/[\u4e00-\u9fff][,:;?!]|[,:;?!][\u4e00-\u9fff]/);
          }
        }
        // A quiz is also a checkpoint of its step.
        expect(step.checkpointIds, info.id).toContain(info.id);
      }
    }
  });

  it('places each quiz after its challenge checkpoint, in both locales', async () => {
    const loaded = await troubleshooting();
    for (const step of loaded.lesson.steps) {
      const checkpoints = step.checkpointIds.filter((id) => !loaded.quizzes.has(id));
      const quizzes = step.checkpointIds.filter((id) => loaded.quizzes.has(id));
      for (const body of [step.body.en, step.body['zh-CN']]) {
        const lastCheckpoint = Math.max(...checkpoints.map((id) => body.indexOf(`::: checkpoint ${id}\n`)));
        expect(lastCheckpoint, step.id).toBeGreaterThanOrEqual(0);
        for (const id of quizzes) expect(body.indexOf(`::: quiz ${id}\n`), `${step.id}: ${id}`).toBeGreaterThan(lastCheckpoint);
      }
    }
  });
});
