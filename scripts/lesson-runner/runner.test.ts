import { describe, expect, it } from 'vitest';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { selectLessons } from './runner';

function loaded(id: string, folder: string): LoadedLesson {
  return { lesson: { id } as LoadedLesson['lesson'], defs: new Map(), quizzes: new Map(), nearMisses: [], runnable: new Map(), dir: `/l/${folder}` };
}

const lessons = [loaded('dns', '07-dns'), loaded('bridge', '02-bridge')];
const problems = [
  { file: '03-host/lesson.yaml', line: 2, message: 'order: expected a number' },
  { file: '03-host/en.md', line: 9, message: 'unknown step' },
];

describe('choosing the lessons to test', () => {
  it('takes every loaded lesson and reports every folder that does not load', () => {
    const { lessons: picked, broken } = selectLessons(lessons, problems, []);
    expect(picked.map((l) => l.lesson.id)).toEqual(['dns', 'bridge']);
    expect(broken).toEqual([{ name: '03-host', problems: ['03-host/lesson.yaml:2: order: expected a number', '03-host/en.md:9: unknown step'] }]);
  });

  it('picks by id or folder name, in the order asked, once each', () => {
    const { lessons: picked, broken } = selectLessons(lessons, problems, ['02-bridge', 'dns', 'bridge']);
    expect(picked.map((l) => l.lesson.id)).toEqual(['bridge', 'dns']);
    expect(broken).toEqual([]);
  });

  it('reports an asked-for lesson that does not load, or does not exist', () => {
    const { lessons: picked, broken } = selectLessons(lessons, problems, ['03-host', 'nope']);
    expect(picked).toEqual([]);
    expect(broken.map((b) => b.name)).toEqual(['03-host', 'nope']);
    expect(broken[1]?.problems).toEqual(['no lesson with the id or folder "nope"']);
  });

  it('reports a missing lessons folder by its path', () => {
    const { broken } = selectLessons([], [{ file: '/x/lessons', line: 1, message: 'lessons folder not found: /x/lessons' }], []);
    expect(broken).toEqual([{ name: '/x/lessons', problems: ['/x/lessons:1: lessons folder not found: /x/lessons'] }]);
  });
});
