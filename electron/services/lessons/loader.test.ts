import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LessonProblem } from '../../api/types';
import { loadLessons, type LessonCache } from './loader';

const GOOD = join(__dirname, 'fixtures', 'good');

let root: string;
let lessonDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'netlab-lessons-'));
  lessonDir = join(root, 'basics');
  await cp(join(GOOD, 'b-first'), lessonDir, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The problem whose message contains `text`; fails the test when absent. */
function find(problems: LessonProblem[], text: string): LessonProblem {
  const p = problems.find((x) => x.message.includes(text));
  expect(p, `no problem mentioning "${text}" in ${JSON.stringify(problems, null, 1)}`).toBeDefined();
  return p as LessonProblem;
}

describe('loadLessons', () => {
  it('loads every lesson folder sorted by order, ignoring other folders', async () => {
    const { lessons, problems } = await loadLessons(GOOD, 'builtin');
    expect(problems).toEqual([]);
    // Folder names sort the other way round: order decides.
    expect(lessons.map((l) => l.lesson.id)).toEqual(['first', 'second']);
    expect(lessons.every((l) => l.lesson.source === 'builtin')).toBe(true);
  });

  it('leaves out a broken lesson and a duplicate id, reporting both', async () => {
    await cp(join(GOOD, 'b-first'), join(root, 'copy'), { recursive: true });
    await cp(join(GOOD, 'a-second'), join(root, 'broken'), { recursive: true });
    await rm(join(root, 'broken', 'en.md'));
    const { lessons, problems } = await loadLessons(root, 'extra');
    expect(lessons.map((l) => l.lesson.id)).toEqual(['first']);
    expect(find(problems, 'missing en.md').file).toBe('broken/en.md');
    const dup = find(problems, 'duplicate lesson id "first"');
    // basics/ sorts first and wins; the copy is reported at its id line.
    expect(dup).toMatchObject({ file: 'copy/lesson.yaml', line: 1 });
  });

  it('names the id line of a duplicate found on the fast path', async () => {
    await cp(join(GOOD, 'b-first'), join(root, 'copy'), { recursive: true });
    const copy = join(root, 'copy', 'lesson.yaml');
    await writeFile(copy, `# a copy\n${await readFile(copy, 'utf8')}`);
    const { problems } = await loadLessons(root, 'extra');
    expect(find(problems, 'duplicate lesson id "first"')).toMatchObject({ file: 'copy/lesson.yaml', line: 2 });
  });

  it('with a cache, reuses unchanged lessons and reloads edited or removed ones', async () => {
    await cp(join(GOOD, 'a-second'), join(root, 'other'), { recursive: true });
    const cache: LessonCache = new Map();
    const first = await loadLessons(root, 'extra', cache);
    expect(first.lessons.map((l) => l.lesson.id)).toEqual(['first', 'second']);
    const again = await loadLessons(root, 'extra', cache);
    expect(again.lessons[0]).toBe(first.lessons[0]);
    expect(again.lessons[1]).toBe(first.lessons[1]);

    const en = join(lessonDir, 'en.md');
    await writeFile(en, (await readFile(en, 'utf8')).replace(/^title: .*$/m, 'title: Edited title'));
    const edited = await loadLessons(root, 'extra', cache);
    expect(edited.lessons[0]?.lesson.title.en).toBe('Edited title');
    expect(edited.lessons[1]).toBe(first.lessons[1]);

    await rm(join(root, 'other'), { recursive: true });
    expect((await loadLessons(root, 'extra', cache)).lessons.map((l) => l.lesson.id)).toEqual(['first']);
    expect([...cache.keys()]).toEqual([lessonDir]);
  });

  it('skips files and dot-folders beside the lesson folders', async () => {
    await writeFile(join(root, 'notes.txt'), 'not a lesson');
    await cp(join(GOOD, 'a-second'), join(root, '.hidden'), { recursive: true });
    const { lessons, problems } = await loadLessons(root, 'extra');
    expect(problems).toEqual([]);
    expect(lessons.map((l) => l.lesson.id)).toEqual(['first']);
  });

  it('reports a lessons folder that does not exist', async () => {
    const missing = join(root, 'nope');
    const { lessons, problems } = await loadLessons(missing, 'extra');
    expect(lessons).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain(missing);
  });
});
