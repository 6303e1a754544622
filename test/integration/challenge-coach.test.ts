// A Challenges lesson's coach, through the real services, relay and engine, in a
// hook-less shell (dash): a refused call says nothing until the learner reveals a
// hint (or the solution) of the step they are on; then it is explained as in any
// lesson. Another step, or help asked for in another lesson, does not count.
// Names are prefixed itest-chal-.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoachHint } from '../../electron/api/types';
import { allowLesson, runMarked, startTestServices, type TestServices } from '../support/services';
import { removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-chal-';
const LESSON = 'challenge-kinds';
const COURSE = resolve(__dirname, '../fixtures/courses/challenge-course');
/** Longer than the coach's burst and settle waits: a hint that has not come by then will not. */
const QUIET_MS = 1_500;

let t: TestServices;
let host: string;

async function run(command: string): Promise<CoachHint[]> {
  const before = t.sink.of('coach.hint').length;
  await runMarked(t, host, command);
  await new Promise((r) => setTimeout(r, QUIET_MS));
  return t.sink.of('coach.hint').slice(before);
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  t = await startTestServices('netlab-chal-', COURSE, {}, { shell: '/bin/sh' });
  await allowLesson(t, LESSON);
  await t.api['lab.open']({ lessonId: LESSON });
  host = (await t.api['terminal.open']({ kind: 'host', cols: 160, rows: 30 })).id;
  await waitFor(() => t.sink.output(host).length > 0, 'the sh prompt', 15_000);
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
});

describe('the coach in a Challenges lesson', () => {
  it('holds its hints until a hint of the current step is revealed, and again on a step without help', async () => {
    // No help asked for: the engine's refusal is not explained (the symptom must not bring its fix).
    expect(await run(`docker rm ${PREFIX}missing1`)).toEqual([]);
    // Help asked for in another lesson, or on another step, does not unlock this one.
    await t.api['lab.helpUsed']({ lessonId: 'engine-kinds', stepId: 'first', kind: 'hint', n: 1 });
    await t.api['lab.helpUsed']({ lessonId: LESSON, stepId: 'second', kind: 'hint', n: 1 });
    expect(await run(`docker rm ${PREFIX}missing2`)).toEqual([]);

    // The first hint of the step the learner is on: the coach speaks.
    await t.api['lab.helpUsed']({ lessonId: LESSON, stepId: 'first', kind: 'hint', n: 1 });
    const hints = await run(`docker rm ${PREFIX}missing3`);
    expect(hints.map((h) => h.rule)).toEqual(['container-missing']);

    // Step two, helped above, speaks too; a lab opened again starts with no help asked for.
    await t.api['progress.setStep']({ lessonId: LESSON, stepId: 'second' });
    expect((await run(`docker rm ${PREFIX}missing4`)).map((h) => h.rule)).toEqual(['container-missing']);
    await t.api['lab.open']({ lessonId: LESSON });
    expect(await run(`docker rm ${PREFIX}missing5`)).toEqual([]);
    // The solution seen counts as help too.
    await t.api['lab.helpUsed']({ lessonId: LESSON, stepId: 'second', kind: 'solution' });
    expect((await run(`docker rm ${PREFIX}missing6`)).map((h) => h.rule)).toEqual(['container-missing']);
  });
});
