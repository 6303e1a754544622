// Settings, instructor folders, consent and progress export through the real
// services (real engine for the lab; no terminal is opened).
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServices, type TestServices } from '../support/services';
import { waitFor } from '../support/docker';

const COURSE = resolve(__dirname, '../fixtures/courses/instructor-course');
const BROKEN = resolve(__dirname, '../fixtures/courses/broken-course');

let t: TestServices;
let course: string;

beforeAll(async () => {
  t = await startTestServices('netlab-settings-');
  // A copy, so the test can change the instructor's lesson under the services.
  course = join(await mkdtemp(join(tmpdir(), 'netlab-course-')), 'course');
  await cp(COURSE, course, { recursive: true });
});

afterAll(async () => {
  await t?.services.dispose();
});

describe('settings', () => {
  it('shows what this run uses and keeps a choice for the next start', async () => {
    const before = await t.api['settings.get']({});
    expect(before.dataDir).toEqual({ current: t.dataDir });
    expect(before.dockerEndpoint.current).toMatch(/^(unix|tcp|ssh|npipe):\/\//);
    expect(before.restartNeeded).toBe(false);

    const chosenDir = join(t.dataDir, 'elsewhere');
    const after = await t.api['settings.set']({ dataDir: chosenDir, dockerEndpoint: '/var/run/docker.sock' });
    expect(after.dataDir).toEqual({ current: t.dataDir, chosen: chosenDir });
    expect(after.dockerEndpoint.chosen).toBe('/var/run/docker.sock');
    expect(after.restartNeeded).toBe(true);
    const onDisk = JSON.parse(await readFile(join(t.dataDir, 'settings.json'), 'utf8'));
    expect(onDisk).toMatchObject({ dataDir: chosenDir, dockerEndpoint: '/var/run/docker.sock' });

    const cleared = await t.api['settings.set']({ dataDir: null, dockerEndpoint: null });
    expect(cleared.dataDir.chosen).toBeUndefined();
    expect(cleared.dockerEndpoint.chosen).toBeUndefined();
  });

  it('refuses an endpoint that cannot work, with a clear reason', async () => {
    await expect(t.api['settings.set']({ dockerEndpoint: 'ftp://example' })).rejects.toThrow(/unsupported scheme "ftp"/);
    await expect(t.api['settings.set']({ dockerEndpoint: 'no-such-context-xyz' })).rejects.toThrow(/no docker context named/);
    expect((await t.api['settings.get']({})).dockerEndpoint.chosen).toBeUndefined();
  });
});

describe('instructor folders', () => {
  it('refuses a broken folder and names file and line', async () => {
    const result = await t.api['lessons.addFolder']({ path: BROKEN });
    expect(result.added).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ file: 'bad-lesson/lesson.yaml', line: 12, message: expect.stringMatching(/unknown condition kind "no-such-kind"/) }),
    );
    expect((await t.api['settings.get']({})).lessonFolders).toEqual([]);
    expect((await t.api['lessons.list']({})).lessons.map((l) => l.id)).not.toContain('bad-lesson');
  });

  it('refuses a path that is not a folder', async () => {
    const result = await t.api['lessons.addFolder']({ path: join(t.dataDir, 'nope') });
    expect(result).toMatchObject({ added: false, problems: [{ line: 1, message: expect.stringMatching(/not a folder/) }] });
  });

  it('adds a clean folder beside the course, persisted, marked extra', async () => {
    const result = await t.api['lessons.addFolder']({ path: course });
    expect(result).toEqual({ folder: course, added: true, lessons: ['instructor-quiz'], problems: [] });
    const list = await t.api['lessons.list']({});
    expect(list.lessons.find((l) => l.id === 'instructor-quiz')).toMatchObject({ source: 'extra' });
    expect((await t.api['settings.get']({})).lessonFolders).toEqual([course]);
    // Adding it twice does not list it twice.
    await t.api['lessons.addFolder']({ path: course });
    expect((await t.api['settings.get']({})).lessonFolders).toEqual([course]);
  });

  it('asks consent per lesson, with everything it covers, remembers it, and asks again when the lesson changes', async () => {
    const consent = await t.api['lessons.consent']({ lessonId: 'instructor-quiz' });
    expect(consent).toEqual({
      needed: true,
      granted: false,
      folder: course,
      askedBy: 'page',
      commands: [{ terminal: 'host', command: 'echo netlab-consent-ran' }],
      probes: [],
    });
    const { fingerprint } = await t.api['lessons.get']({ id: 'instructor-quiz' });
    expect(await t.api['lessons.allow']({ lessonId: 'instructor-quiz', fingerprint })).toMatchObject({ needed: true, granted: true, folder: course });
    expect(await t.api['lessons.consent']({ lessonId: 'instructor-quiz' })).toMatchObject({ needed: true, granted: true });

    const yaml = join(course, 'instructor-quiz', 'lesson.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('echo netlab-consent-ran', 'echo something-else'));
    await t.api['lessons.list']({});
    expect(await t.api['lessons.consent']({ lessonId: 'instructor-quiz' })).toMatchObject({ needed: true, granted: false });
  });

  it('asks again when only the text of a lesson changed', async () => {
    const { fingerprint } = await t.api['lessons.get']({ id: 'instructor-quiz' });
    await t.api['lessons.allow']({ lessonId: 'instructor-quiz', fingerprint });
    const md = join(course, 'instructor-quiz', 'zh-CN.md');
    await writeFile(md, `${await readFile(md, 'utf8')}\n多一句话。\n`);
    await t.api['lessons.list']({});
    expect(await t.api['lessons.consent']({ lessonId: 'instructor-quiz' })).toMatchObject({ needed: true, granted: false });
  });
});

describe('progress', () => {
  it('exports a passed checkpoint with its time, as JSON and a report, then resets', async () => {
    await t.api['lab.open']({ lessonId: 'instructor-quiz' });
    expect((await t.api['quiz.answer']({ lessonId: 'instructor-quiz', quizId: 'bridge-quiz', choice: 1 })).correct).toBe(true);
    await waitFor(async () => (await t.api['progress.get']({})).lessons['instructor-quiz']?.passed['bridge-quiz'], 'the quiz to be saved');

    const files = await t.api['progress.export']({ locale: 'en' });
    const data = JSON.parse(files.json);
    const lesson = data.lessons.find((l: { id: string }) => l.id === 'instructor-quiz');
    expect(lesson).toMatchObject({ source: 'extra', passed: 1, total: 1, complete: true });
    expect(lesson.checkpoints[0]).toMatchObject({ id: 'bridge-quiz', kind: 'quiz', passedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(files.html).toContain('Instructor quiz (test fixture)');
    const zh = await t.api['progress.export']({ locale: 'zh-CN' });
    expect(zh.html).toContain('讲师测验');

    await t.api['lab.close']({});
    await t.api['progress.reset']({});
    expect((await t.api['progress.get']({})).lessons).toEqual({});
    const stored = JSON.parse(await readFile(join(t.dataDir, 'progress.json'), 'utf8'));
    expect(stored.lessons).toEqual({});
  });

  it('removes a folder it added, and only those', async () => {
    const after = await t.api['lessons.removeFolder']({ path: course });
    expect(after.lessonFolders).toEqual([]);
    expect((await t.api['lessons.list']({})).lessons.map((l) => l.id)).not.toContain('instructor-quiz');
    await expect(t.api['lessons.removeFolder']({ path: course })).rejects.toThrow(/not an opened lesson folder/);
  });
});
