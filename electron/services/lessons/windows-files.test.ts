// Lessons written on Windows: CRLF line endings and a UTF-8 byte-order mark
// (Notepad's "UTF-8 with BOM"), in folders whose names have spaces and
// non-ASCII letters, with problems named in Windows' own path style.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstOfEachId, loadLessons } from './loader';
import { parseLesson } from './parse-lesson';
import { findProblem, GOOD } from './fixtures/temp-lessons';

let root = '';
let lessonDir = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'netlab-win-lessons-'));
  // As under C:\Users\张三\Documents\My Lessons.
  lessonDir = join(root, '张三 的课', 'basics');
  await cp(join(GOOD, 'b-first'), lessonDir, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Rewrites every file of the lesson as Notepad saves it: BOM first, CRLF line ends. */
async function saveAsWindows(dir: string, edit: (name: string, text: string) => string = (_n, t) => t): Promise<void> {
  for (const name of await readdir(dir)) {
    const text = edit(name, await readFile(join(dir, name), 'utf8'));
    await writeFile(join(dir, name), `\uFEFF${text.replace(/\n/g, '\r\n')}`);
  }
}

describe('lesson files saved on Windows', () => {
  it('load as the same lesson as their LF originals, with no CR in any command', async () => {
    const original = await parseLesson(lessonDir, 'extra');
    expect(original.problems).toEqual([]);
    await saveAsWindows(lessonDir);
    expect((await readFile(join(lessonDir, 'lesson.yaml'))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    const windows = await parseLesson(lessonDir, 'extra');
    expect(windows.problems).toEqual([]);
    // Same text, same checks, same runnable commands: the fingerprint covers them all.
    expect(windows.lesson?.lesson.fingerprint).toBe(original.lesson?.lesson.fingerprint);
    const commands = JSON.stringify([...(windows.lesson?.runnable.values() ?? [])]);
    expect(commands).not.toContain('\\r');
    expect(windows.lesson?.lesson.id).toBe('first');
    expect(windows.lesson?.dir).toBe(lessonDir);
  });

  it('report a YAML error at the same line and column as in the LF file', async () => {
    await writeFile(join(lessonDir, 'lesson.yaml'), 'id: first\norder: 1\nimages: busybox: x\n');
    const lf = (await parseLesson(lessonDir, 'extra', 'linux')).problems;
    expect(lf[0]).toMatchObject({ file: 'basics/lesson.yaml', line: 3, column: 9 });
    await saveAsWindows(lessonDir);
    const crlf = (await parseLesson(lessonDir, 'extra', 'linux')).problems;
    expect(crlf).toEqual(lf);
  });

  it('report a schema error and a hidden character in the markdown at their lines', async () => {
    await saveAsWindows(lessonDir, (name, text) => {
      if (name === 'lesson.yaml') return text.replace('order: 1', 'order: first');
      if (name === 'en.md') return text.replace('ip addr\n', 'ip addr\nrm -rf ~/netlab-tmp\u007f\u007f\u007f\n');
      return text;
    });
    const { problems } = await parseLesson(lessonDir, 'extra', 'linux');
    expect(findProblem(problems, 'order')).toMatchObject({ file: 'basics/lesson.yaml', line: 2 });
    expect(findProblem(problems, 'U+007F DELETE')).toMatchObject({ file: 'basics/en.md', line: 29 });
    // The CR of each line end is not a hidden character: only the DEL is reported.
    expect(problems.filter((p) => p.message.includes('CARRIAGE RETURN'))).toEqual([]);
  });
});

describe("problems name files in the platform's path style", () => {
  it('with a backslash on Windows and a slash elsewhere', async () => {
    await writeFile(join(lessonDir, 'lesson.yaml'), 'id: first\norder: 1\nimages: busybox: x\n');
    expect((await parseLesson(lessonDir, 'extra', 'win32')).problems[0]).toMatchObject({ file: 'basics\\lesson.yaml', line: 3 });
    expect((await parseLesson(lessonDir, 'extra', 'darwin')).problems[0]).toMatchObject({ file: 'basics/lesson.yaml', line: 3 });
  });

  it('for a duplicate lesson id too', async () => {
    await cp(lessonDir, join(root, '张三 的课', 'copy'), { recursive: true });
    const { lessons } = await loadLessons(join(root, '张三 的课'), 'extra');
    expect(lessons).toHaveLength(1);
    const found = await Promise.all(
      ['basics', 'copy'].map(async (name) => ({ lesson: (await parseLesson(join(root, '张三 的课', name), 'extra')).lesson! })),
    );
    const windows = firstOfEachId(found, new Map(), 'win32');
    expect(windows.problems).toEqual([{ file: 'copy\\lesson.yaml', line: 1, message: 'duplicate lesson id "first" (also in basics\\)' }]);
    expect(firstOfEachId(found, new Map(), 'linux').problems[0]).toMatchObject({ file: 'copy/lesson.yaml', message: 'duplicate lesson id "first" (also in basics/)' });
  });
});
