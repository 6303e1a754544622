// A Challenges lesson's coach, through the real services, relay and engine, in a
// hook-less shell (sh): a refused call says nothing until the learner reveals a
// hint (or the solution) of the step they are on; then it is explained as in any
// lesson. Another step, or help asked for in another lesson, does not count.
// The coach explains calls in the order they came, so a held call is proved silent
// by the hint of a later one arriving alone: no waiting for something not to happen.
// Names are prefixed itest-chal-.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowLesson, runMarked, startTestServices, type TestServices } from '../support/services';
import { removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-chal-';
const LESSON = 'challenge-kinds';
const COURSE = resolve(__dirname, '../fixtures/courses/challenge-course');

let t: TestServices;
let host: string;

/** The names the coach's hints since `from` were about, once one about `name` has come. */
async function hintedUntil(from: number, name: string): Promise<string[]> {
  const about = (): string[] => t.sink.of('coach.hint').slice(from).map((h) => /itest-chal-\w+/.exec(h.command ?? '')?.[0] ?? h.rule);
  await waitFor(() => about().includes(name), `a coach hint about ${name}`, 30_000);
  return about();
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
  it('holds its hints until help is asked for on the current step, and again in a lab opened anew', async () => {
    const start = t.sink.of('coach.hint').length;
    // No help asked for: the engine's refusal is not explained (the symptom must not bring its fix).
    await runMarked(t, host, `docker rm ${PREFIX}missing1`);
    // Help asked for in another lesson, or on another step, does not unlock this one.
    await t.api['lab.helpUsed']({ lessonId: 'engine-kinds', stepId: 'first', kind: 'hint', n: 1 });
    await t.api['lab.helpUsed']({ lessonId: LESSON, stepId: 'second', kind: 'hint', n: 1 });
    await runMarked(t, host, `docker rm ${PREFIX}missing2`);
    // The first hint of the step the learner is on: the coach speaks, and only about what came after.
    await t.api['lab.helpUsed']({ lessonId: LESSON, stepId: 'first', kind: 'hint', n: 1 });
    await runMarked(t, host, `docker rm ${PREFIX}missing3`);
    expect(await hintedUntil(start, `${PREFIX}missing3`)).toEqual([`${PREFIX}missing3`]);
    expect(t.sink.of('coach.hint').at(-1)?.rule).toBe('container-missing');

    // Step two, helped above, speaks too.
    await t.api['progress.setStep']({ lessonId: LESSON, stepId: 'second' });
    await runMarked(t, host, `docker rm ${PREFIX}missing4`);
    expect(await hintedUntil(start, `${PREFIX}missing4`)).toEqual([`${PREFIX}missing3`, `${PREFIX}missing4`]);

    // A lab opened again starts with no help asked for; the solution seen counts as help.
    const reopened = t.sink.of('coach.hint').length;
    await t.api['lab.open']({ lessonId: LESSON });
    await runMarked(t, host, `docker rm ${PREFIX}missing5`);
    await t.api['lab.helpUsed']({ lessonId: LESSON, stepId: 'second', kind: 'solution' });
    await runMarked(t, host, `docker rm ${PREFIX}missing6`);
    expect(await hintedUntil(reopened, `${PREFIX}missing6`)).toEqual([`${PREFIX}missing6`]);
  });
});
