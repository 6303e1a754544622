import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLessons, type LessonCache } from './loader';
import { parseLesson } from './parse-lesson';
import { prebuildLessons, prebuiltResult, readPrebuilt, type PrebuiltLessons } from './prebuilt-lessons';

const BUILTIN = resolve(__dirname, '../../../lessons');
const GOOD = join(__dirname, 'fixtures', 'good');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'netlab-prebuilt-'));
  await cp(GOOD, root, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A snapshot as the build writes it: through JSON. */
async function snapshotOf(dir: string, source: 'builtin' | 'extra'): Promise<PrebuiltLessons> {
  return JSON.parse(JSON.stringify(await prebuildLessons(dir, source))) as PrebuiltLessons;
}

describe('prebuilt lessons', () => {
  it('gives back, for every built-in lesson, exactly what parsing it gives', async () => {
    const snapshot = await snapshotOf(BUILTIN, 'builtin');
    const names = Object.keys(snapshot.folders);
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) {
      const dir = join(BUILTIN, name);
      const parsed = await parseLesson(dir, 'builtin');
      const revived = prebuiltResult(snapshot, dir, 'builtin');
      expect(revived, name).toBeDefined();
      const { idLine: parsedId, ...parsedRest } = parsed;
      const { idLine: revivedId, ...revivedRest } = revived!;
      expect(revivedRest, name).toEqual(parsedRest);
      expect(revivedId?.(), name).toBe(parsedId?.());
    }
  });

  it('keeps a broken lesson broken, with its problems', async () => {
    await writeFile(join(root, 'b-first', 'lesson.yaml'), 'id: first\norder: [\n');
    const snapshot = await snapshotOf(root, 'extra');
    const revived = prebuiltResult(snapshot, join(root, 'b-first'), 'extra');
    expect(revived?.lesson).toBeUndefined();
    expect(revived?.problems).toEqual((await parseLesson(join(root, 'b-first'), 'extra')).problems);
    expect(revived?.problems.length).toBeGreaterThan(0);
  });

  it('serves unchanged folders from the snapshot and parses a folder edited since', async () => {
    const snapshot = await snapshotOf(root, 'extra');
    // Mark the snapshot's copies: only a lesson served from the snapshot carries the mark.
    for (const entry of Object.values(snapshot.folders)) {
      if (entry.result.lesson) entry.result.lesson.lesson.title.en = `snapshot: ${entry.result.lesson.lesson.title.en}`;
    }
    const first = await loadLessons(root, 'extra', undefined, snapshot);
    expect(first.lessons.map((l) => l.lesson.title.en)).toEqual(['snapshot: First lesson', 'snapshot: Second lesson']);

    const en = join(root, 'b-first', 'en.md');
    await writeFile(en, (await readFile(en, 'utf8')).replace('title: First lesson', 'title: First lesson, edited'));
    const cache: LessonCache = new Map();
    const second = await loadLessons(root, 'extra', cache, snapshot);
    expect(second.lessons.map((l) => l.lesson.title.en)).toEqual(['First lesson, edited', 'snapshot: Second lesson']);
    expect(second.lessons[0]?.defs.size).toBeGreaterThan(0);
  });

  it('is not used for another source label', async () => {
    const snapshot = await snapshotOf(root, 'builtin');
    expect(prebuiltResult(snapshot, join(root, 'b-first'), 'builtin')).toBeDefined();
    expect(prebuiltResult(snapshot, join(root, 'b-first'), 'extra')).toBeUndefined();
  });

  it('reads nothing from a missing, malformed or other-format file', async () => {
    expect(readPrebuilt(join(root, 'missing.json'))).toBeUndefined();
    await writeFile(join(root, 'bad.json'), '{"format": 1, "folders"');
    expect(readPrebuilt(join(root, 'bad.json'))).toBeUndefined();
    await writeFile(join(root, 'old.json'), JSON.stringify({ format: 0, folders: {} }));
    expect(readPrebuilt(join(root, 'old.json'))).toBeUndefined();
    const file = join(root, 'good.json');
    await writeFile(file, JSON.stringify(await prebuildLessons(root, 'extra')));
    expect(Object.keys(readPrebuilt(file)?.folders ?? {})).toEqual(['a-second', 'b-first']);
  });
});
