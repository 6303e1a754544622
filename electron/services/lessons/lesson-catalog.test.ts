import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../settings/settings-store';
import { GOOD, useTempLessons } from './fixtures/temp-lessons';
import { LessonCatalog } from './lesson-catalog';

const tmp = useTempLessons();

async function settings(): Promise<SettingsStore> {
  const store = new SettingsStore(join(await mkdtemp(join(tmpdir(), 'netlab-catalog-')), 'settings.json'));
  await store.load();
  return store;
}

/** A course folder holding the second fixture lesson under another id. */
async function otherCourse(id: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'netlab-course-'));
  await cp(join(GOOD, 'a-second'), join(root, id), { recursive: true });
  const manifest = join(root, id, 'lesson.yaml');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('id: second', `id: ${id}`));
  return root;
}

describe('LessonCatalog', () => {
  it('lists every source in lesson order, each id once: a later folder reusing an id is left out and reported once', async () => {
    const catalog = new LessonCatalog(
      [
        { dir: GOOD, source: 'builtin' },
        { dir: tmp.root, source: 'extra' },
      ],
      await settings(),
    );
    await catalog.reload();
    expect(catalog.list().map((l) => l.lesson.id)).toEqual(['first', 'second']);
    expect(catalog.get('first').dir).toBe(join(GOOD, 'b-first'));
    expect(catalog.problems()).toEqual([
      { file: 'basics/lesson.yaml', line: 1, message: `duplicate lesson id "first" (also in ${join(GOOD, 'b-first')})` },
    ]);
    expect(catalog.folderOf('second')).toBe(GOOD);
    expect(catalog.images()).toEqual(['busybox']);
    expect(() => catalog.get('nope')).toThrow('There is no lesson "nope".');
  });

  it('opens a clean folder in the settings, lists it after the course, and opens it once', async () => {
    const store = await settings();
    const catalog = new LessonCatalog([{ dir: GOOD, source: 'builtin' }], store);
    await catalog.reload();
    const course = await otherCourse('third');
    expect(await catalog.addFolder(course)).toEqual({ folder: course, added: true, lessons: ['third'], problems: [] });
    expect(catalog.list().map((l) => [l.lesson.id, l.lesson.source])).toEqual([
      ['first', 'builtin'],
      ['second', 'builtin'],
      ['third', 'extra'],
    ]);
    expect(catalog.folderOf('third')).toBe(course);
    // Opening it again checks it against the other folders only.
    expect(await catalog.addFolder(course)).toMatchObject({ added: true, problems: [] });
    expect(store.get().lessonFolders).toEqual([course]);

    await catalog.removeFolder(course);
    expect(store.get().lessonFolders).toEqual([]);
    expect(catalog.list().map((l) => l.lesson.id)).toEqual(['first', 'second']);
    await expect(catalog.removeFolder(course)).rejects.toThrow('is not an opened lesson folder');
  });

  it('refuses a folder whose lesson takes an id in use, naming where, with the same message as any other duplicate', async () => {
    const store = await settings();
    const catalog = new LessonCatalog([{ dir: GOOD, source: 'builtin' }], store);
    await catalog.reload();
    expect(await catalog.addFolder(tmp.root)).toEqual({
      folder: tmp.root,
      added: false,
      lessons: ['first'],
      problems: [{ file: 'basics/lesson.yaml', line: 1, message: `duplicate lesson id "first" (also in ${join(GOOD, 'b-first')})` }],
    });
    expect(store.get().lessonFolders).toEqual([]);
  });

  it("says what to open instead of one lesson's folder", async () => {
    const catalog = new LessonCatalog([], await settings());
    const result = await catalog.addFolder(tmp.lessonDir);
    expect(result).toMatchObject({ added: false, lessons: [] });
    expect(result.problems[0]?.message).toBe(`no lessons found: this is one lesson's folder; open the folder that holds it (${tmp.root})`);
  });
});
