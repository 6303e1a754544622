// Fuzzing the lesson parser and the checkpoint schema: whatever a lesson
// folder holds, loading returns problems (with a file and a line) or a lesson,
// and never throws or hangs.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointSchema, conditionSchema } from './checkpoint-schema';
import { parseLesson } from './parse-lesson';
import { parseLessonMarkdown } from './markdown-sections';

const GOOD_YAML = `id: fuzz
order: 1
images: [busybox]
names: { containers: [fx_box], networks: [fx_net] }
steps:
  - id: one
    solution: [docker network create fx_net]
    checkpoints:
      - id: net
        title: { en: a, zh-CN: b }
        when: [{ kind: network, network: fx_net }]
`;
const GOOD_MD = '---\ntitle: T\nsummary: S\n---\n\nIntro.\n\n## One {#one}\n\n```sh\ndocker network create fx_net\n```\n\n::: checkpoint net\n:::\n';

/** Text that looks like lessons: Markdown and YAML punctuation, fences, markers, unicode. */
const lessonish = fc
  .array(
    fc.oneof(
      fc.constantFrom('---', '## ', '{#one}', '```', '```sh', '::: hint', '::: checkpoint net', ':::', '> ', '- ', '<script>', '[x](javascript:1)', '\n', '\t', ': ', '{', '}', '[', ']', '"', "'", '&a', '*a', '!!', '中文', '\u0000', '\r\n'),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

/** A good lesson with one random slice cut out or spliced in: the mistakes people make. */
function mutate(text: string): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(text.length), fc.nat(40), lessonish).map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut));
}

describe('lesson loading under fuzz', () => {
  it('parses any Markdown into sections or problems, never throwing', () => {
    fc.assert(
      fc.property(fc.oneof(lessonish, mutate(GOOD_MD)), (text) => {
        const parsed = parseLessonMarkdown(text, 'x/en.md');
        for (const p of parsed.problems) {
          expect(p.file).toBe('x/en.md');
          expect(p.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('deep nesting does not blow the stack', () => {
    const deep = `${GOOD_MD}\n${'> '.repeat(5000)}x\n${'- '.repeat(3000)}y\n${'['.repeat(5000)}`;
    expect(() => parseLessonMarkdown(deep, 'x/en.md')).not.toThrow();
  });

  it('loads any mutated lesson folder into a lesson or file-and-line problems', async () => {
    const root = await mkdtemp(join(tmpdir(), 'netlab-fuzz-'));
    const dir = join(root, 'fuzz');
    await mkdir(dir);
    let runs = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutate(GOOD_YAML), lessonish), mutate(GOOD_MD), async (yaml, md) => {
          runs++;
          await Promise.all([writeFile(join(dir, 'lesson.yaml'), yaml), writeFile(join(dir, 'en.md'), md), writeFile(join(dir, 'zh-CN.md'), GOOD_MD)]);
          const { lesson, problems } = await parseLesson(dir, 'extra');
          expect(lesson !== undefined || problems.length > 0).toBe(true);
          if (lesson) expect(problems).toEqual([]);
          for (const p of problems) {
            expect(p.file).toMatch(/^fuzz\/(lesson\.yaml|en\.md|zh-CN\.md)$|fuzz$/);
            expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
          }
        }),
        { numRuns: 1500 },
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    expect(runs).toBeGreaterThanOrEqual(1500);
  }, 120_000);

  it('validates arbitrary objects as checkpoints without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), fc.jsonValue(), (a, b) => {
        for (const value of [a, b, { kind: 'probe', container: a, command: b }, { id: 'x', title: { en: a, 'zh-CN': b }, when: [b] }]) {
          checkpointSchema.safeParse(value);
          conditionSchema.safeParse(value);
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});
