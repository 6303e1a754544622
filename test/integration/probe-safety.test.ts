// What an instructor's lesson may do on the learner's machine, against the real
// engine and a real host shell: its probes run only after consent, only inside
// containers the lab created or the learner chose to use, by exact name; its
// commands reach a terminal only through lessons.run, from the lesson as shown
// and consented to. Consent covers the whole lesson, checkpoints included.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointStatus } from '../../electron/api/types';
import { allowLesson, runInShell, startTestServices, type TestServices } from '../support/services';
import { dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-pr-';
const LESSON = 'probe-consent';

let t: TestServices;
let course: string;
let host: string;

async function status(id: string): Promise<CheckpointStatus | undefined> {
  return (await t.api['lab.evaluate']({})).find((s) => s.id === id);
}

async function until(id: string, state: 'passed' | 'failed', reason?: RegExp): Promise<CheckpointStatus> {
  return waitFor(async () => {
    const s = await status(id);
    if (s?.status !== state || (reason && !reason.test(s.reason?.en ?? ''))) return undefined;
    return s;
  }, `${id} to be ${state}${reason ? ` (${String(reason)})` : ''}`);
}

function hostOutput(): string {
  return t.sink
    .of('terminal.data')
    .filter((d) => d.id === host)
    .map((d) => d.data)
    .join('');
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  // The learner's own db, there before the lesson: the lesson names it too.
  await dockerCli('run', '-d', '--name', `${PREFIX}db`, 'busybox', 'sleep', '600');
  course = join(await mkdtemp(join(tmpdir(), 'netlab-probe-course-')), 'course');
  await cp(resolve(__dirname, '../fixtures/courses/probe-course'), course, { recursive: true });
  t = await startTestServices('netlab-probe-', course);
  await t.api['lab.open']({ lessonId: LESSON });
  host = (await t.api['terminal.open']({ kind: 'host', cols: 120, rows: 30 })).id;
  await waitFor(() => t.sink.of('terminal.data').some((d) => d.id === host), 'the host prompt', 15_000);
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
});

describe("an instructor's lesson", () => {
  it('types nothing through lessons.run before consent', async () => {
    const lesson = await t.api['lessons.get']({ id: LESSON });
    const before = hostOutput().length;
    await expect(
      t.api['lessons.run']({ lessonId: LESSON, fingerprint: lesson.fingerprint, terminalId: host, target: { kind: 'solution', stepId: 'db', from: 0, count: 1 } }),
    ).rejects.toMatchObject({ code: 'consent-needed' });
    // The shell got nothing: a command of our own comes back, and no trace of the lesson's.
    await runInShell(t, host, 'echo after-refusal');
    expect(hostOutput().slice(before)).not.toContain('netlab-probe-consent-ran');
  });

  it("runs no probe before consent, even in a container the lab created", async () => {
    await runInShell(t, host, `docker run -di --name ${PREFIX}web busybox`);
    await until('web-probed', 'failed', /only after you allow it/);
    await allowLesson(t, LESSON);
    await until('web-probed', 'passed');
  });

  it("runs no probe in the learner's own container of the same name, until they choose to use it", async () => {
    await until('db-probed', 'failed', /was not created in this lab/);
    const [conflict] = (await t.api['lab.conflicts']({ lessonId: LESSON })).filter((c) => c.name === `${PREFIX}db`);
    expect(conflict).toBeDefined();
    await t.api['lab.resolveConflict']({ lessonId: LESSON, kind: 'container', name: `${PREFIX}db`, id: conflict!.id, action: 'use' });
    await until('db-probed', 'passed');
  });

  it('types exactly the block it names into the matching terminal, and refuses another terminal', async () => {
    const lesson = await t.api['lessons.get']({ id: LESSON });
    const block = /block=(\S+)/.exec(lesson.steps[1]!.body.en)?.[1];
    expect(block).toBe('en.1');
    const seen = t.sink.of('terminal.command').length;
    await t.api['lessons.run']({ lessonId: LESSON, fingerprint: lesson.fingerprint, terminalId: host, target: { kind: 'block', block: block! } });
    const done = await waitFor(() => t.sink.of('terminal.command').slice(seen).find((c) => c.terminalId === host), 'the block to run');
    expect(done.command).toBe('echo netlab-probe-consent-ran');

    const view = await t.api['terminal.open']({ kind: 'container', container: `${PREFIX}web`, cols: 80, rows: 24 });
    await expect(
      t.api['lessons.run']({ lessonId: LESSON, fingerprint: lesson.fingerprint, terminalId: view.id, target: { kind: 'block', block: block! } }),
    ).rejects.toThrow(/go to the host terminal, not to itest-pr-web/);
    await expect(
      t.api['lessons.run']({ lessonId: LESSON, fingerprint: lesson.fingerprint, terminalId: host, target: { kind: 'block', block: 'en.99' } }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await t.api['terminal.close']({ id: view.id });
  });

  it('asks again when only a checkpoint probe changed, and runs nothing from a lesson changed since it was shown', async () => {
    const shown = await t.api['lessons.get']({ id: LESSON });
    expect((await t.api['lessons.consent']({ lessonId: LESSON })).granted).toBe(true);
    const yaml = join(course, LESSON, 'lesson.yaml');
    // Text, solutions and blocks stay the same: only what a probe runs changes.
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('command: [ls, /bin/sh] }]\n  - id: db', 'command: [ls, /] }]\n  - id: db'));
    await t.api['lessons.list']({});
    const consent = await t.api['lessons.consent']({ lessonId: LESSON });
    expect(consent).toMatchObject({ needed: true, granted: false });
    expect(consent.probes).toContainEqual({ container: `${PREFIX}web`, command: ['ls', '/'] });
    await expect(
      t.api['lessons.run']({ lessonId: LESSON, fingerprint: shown.fingerprint, terminalId: host, target: { kind: 'block', block: 'en.1' } }),
    ).rejects.toMatchObject({ code: 'lesson-changed' });
    await expect(t.api['lessons.allow']({ lessonId: LESSON, fingerprint: shown.fingerprint })).rejects.toMatchObject({ code: 'lesson-changed' });
    // Consent lapsed with the change: opened afresh, the changed lesson's probe waits again.
    await t.api['progress.reset']({});
    await t.api['lab.open']({ lessonId: LESSON });
    await until('web-probed', 'failed', /only after you allow it/);
  });
});
