import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../api/types';
import type { CheckpointDef } from '../lessons/checkpoint-schema';
import type { LoadedLesson } from '../lessons/lesson-files';
import { LessonConsents, type ConsentQuestion } from './lesson-consent';
import { SettingsStore } from './settings-store';

function lesson(source: 'builtin' | 'extra', fingerprint = 'a'.repeat(64)): LoadedLesson {
  const probe: CheckpointDef = {
    id: 'pinged',
    title: { en: 'p', 'zh-CN': 'p' },
    live: false,
    when: [{ kind: 'probe', container: 'web1', command: ['ping', '-c1', 'db'], exitCode: 0, timeoutMs: 2000 }],
  };
  return {
    lesson: {
      id: 'lab',
      title: { en: 'Lab', 'zh-CN': '实验' },
      steps: [{ id: 's', solution: [{ terminal: 'host', command: 'docker network create n' }] }],
      source,
      fingerprint,
    } as unknown as Lesson,
    defs: new Map([['pinged', probe]]),
    quizzes: new Map(),
    nearMisses: [],
    runnable: new Map([
      ['en.0', { terminal: 'host', command: 'docker network create n\n' }],
      ['zh-CN.0', { terminal: 'web1', command: 'ip addr\n' }],
    ]),
    dir: '/courses/one/lab',
  };
}

async function store(): Promise<SettingsStore> {
  const s = new SettingsStore(join(await mkdtemp(join(tmpdir(), 'netlab-consent-')), 'settings.json'));
  await s.load();
  return s;
}

describe('LessonConsents', () => {
  it('asks nothing for the built-in course', async () => {
    const consents = new LessonConsents(await store(), () => undefined);
    expect(consents.granted(lesson('builtin'))).toBe(true);
    expect(consents.state(lesson('builtin'))).toEqual({ needed: false, granted: true, askedBy: 'page', commands: [], probes: [] });
  });

  it('lists every command once and every probe, and grants only the lesson as shown', async () => {
    const consents = new LessonConsents(await store(), () => '/courses/one');
    const l = lesson('extra');
    expect(consents.state(l)).toEqual({
      needed: true,
      granted: false,
      folder: '/courses/one',
      askedBy: 'page',
      commands: [
        { terminal: 'host', command: 'docker network create n' },
        { terminal: 'web1', command: 'ip addr' },
      ],
      probes: [{ container: 'web1', command: ['ping', '-c1', 'db'] }],
    });
    await expect(consents.allow(l, 'b'.repeat(64))).rejects.toMatchObject({ code: 'lesson-changed' });
    expect(consents.granted(l)).toBe(false);
    expect((await consents.allow(l, l.lesson.fingerprint)).granted).toBe(true);
    // A changed lesson (another fingerprint) is another question.
    expect(consents.granted(lesson('extra', 'c'.repeat(64)))).toBe(false);
  });

  it("in the desktop app, records consent only when the app's own dialog says Allow", async () => {
    const asked: ConsentQuestion[] = [];
    let answer = false;
    const consents = new LessonConsents(await store(), () => '/courses/one', async (q) => {
      asked.push(q);
      return answer;
    });
    const l = lesson('extra');
    expect(consents.state(l).askedBy).toBe('app');
    expect((await consents.allow(l, l.lesson.fingerprint)).granted).toBe(false);
    expect(asked[0]).toMatchObject({ lessonId: 'lab', folder: '/courses/one', probes: [{ container: 'web1', command: ['ping', '-c1', 'db'] }] });
    answer = true;
    expect((await consents.allow(l, l.lesson.fingerprint)).granted).toBe(true);
    expect(asked).toHaveLength(2);
  });
});
