import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLessons, type LessonCache } from './loader';
import { findProblem, GOOD, useTempLessons } from './fixtures/temp-lessons';

const tmp = useTempLessons();

describe('loadLessons', () => {
  it('loads every lesson folder sorted by order, ignoring other folders', async () => {
    const { lessons, problems } = await loadLessons(GOOD, 'builtin');
    expect(problems).toEqual([]);
    // Folder names sort the other way round: order decides.
    expect(lessons.map((l) => l.lesson.id)).toEqual(['first', 'second']);
    expect(lessons.every((l) => l.lesson.source === 'builtin')).toBe(true);
  });

  it('leaves out a broken lesson and a duplicate id, reporting both', async () => {
    await cp(join(GOOD, 'b-first'), join(tmp.root, 'copy'), { recursive: true });
    await cp(join(GOOD, 'a-second'), join(tmp.root, 'broken'), { recursive: true });
    await rm(join(tmp.root, 'broken', 'en.md'));
    const { lessons, problems } = await loadLessons(tmp.root, 'extra');
    expect(lessons.map((l) => l.lesson.id)).toEqual(['first']);
    expect(findProblem(problems, 'missing en.md').file).toBe('broken/en.md');
    const dup = findProblem(problems, 'duplicate lesson id "first"');
    // basics/ sorts first and wins; the copy is reported at its id line.
    expect(dup).toMatchObject({ file: 'copy/lesson.yaml', line: 1 });
  });

  it('names the id line of a duplicate found on the fast path', async () => {
    await cp(join(GOOD, 'b-first'), join(tmp.root, 'copy'), { recursive: true });
    const copy = join(tmp.root, 'copy', 'lesson.yaml');
    await writeFile(copy, `# a copy\n${await readFile(copy, 'utf8')}`);
    const { problems } = await loadLessons(tmp.root, 'extra');
    expect(findProblem(problems, 'duplicate lesson id "first"')).toMatchObject({ file: 'copy/lesson.yaml', line: 2 });
  });

  it('with a cache, reuses unchanged lessons and reloads edited or removed ones', async () => {
    await cp(join(GOOD, 'a-second'), join(tmp.root, 'other'), { recursive: true });
    const cache: LessonCache = new Map();
    const first = await loadLessons(tmp.root, 'extra', cache);
    expect(first.lessons.map((l) => l.lesson.id)).toEqual(['first', 'second']);
    const again = await loadLessons(tmp.root, 'extra', cache);
    expect(again.lessons[0]).toBe(first.lessons[0]);
    expect(again.lessons[1]).toBe(first.lessons[1]);

    const en = join(tmp.lessonDir, 'en.md');
    await writeFile(en, (await readFile(en, 'utf8')).replace(/^title: .*$/m, 'title: Edited title'));
    const edited = await loadLessons(tmp.root, 'extra', cache);
    expect(edited.lessons[0]?.lesson.title.en).toBe('Edited title');
    expect(edited.lessons[1]).toBe(first.lessons[1]);

    await rm(join(tmp.root, 'other'), { recursive: true });
    expect((await loadLessons(tmp.root, 'extra', cache)).lessons.map((l) => l.lesson.id)).toEqual(['first']);
    expect([...cache.keys()]).toEqual([tmp.lessonDir]);
  });

  it('skips files and dot-folders beside the lesson folders', async () => {
    await writeFile(join(tmp.root, 'notes.txt'), 'not a lesson');
    await cp(join(GOOD, 'a-second'), join(tmp.root, '.hidden'), { recursive: true });
    const { lessons, problems } = await loadLessons(tmp.root, 'extra');
    expect(problems).toEqual([]);
    expect(lessons.map((l) => l.lesson.id)).toEqual(['first']);
  });

  it('reports a lessons folder that does not exist', async () => {
    const missing = join(tmp.root, 'nope');
    const { lessons, problems } = await loadLessons(missing, 'extra');
    expect(lessons).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain(missing);
  });
});
