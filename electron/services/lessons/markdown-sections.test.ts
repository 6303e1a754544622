import { describe, expect, it } from 'vitest';
import { classifyInfo, parseLessonMarkdown } from './markdown-sections';

const FM = '---\ntitle: T\nsummary: S\n---\n'; // 4 lines

function parse(body: string): ReturnType<typeof parseLessonMarkdown> {
  return parseLessonMarkdown(FM + body, 'x/en.md');
}

describe('classifyInfo', () => {
  it('knows the runnable and output block kinds', () => {
    expect(classifyInfo('sh')).toEqual({ role: 'host' });
    expect(classifyInfo('bash')).toEqual({ role: 'host' });
    expect(classifyInfo('shell')).toEqual({ role: 'host' });
    expect(classifyInfo('sh terminal=box1')).toEqual({ role: 'container', terminal: 'box1' });
    expect(classifyInfo('text')).toEqual({ role: 'output' });
    expect(classifyInfo('output')).toEqual({ role: 'output' });
  });

  it('rejects everything else', () => {
    for (const info of ['', 'python', 'sh foo', 'sh terminal=', 'text terminal=x', 'sh terminal=a terminal=b']) {
      expect(classifyInfo(info), info).toBeUndefined();
    }
  });
});

describe('parseLessonMarkdown', () => {
  it('splits intro and sections; lines inside fences are not structure', () => {
    const r = parse(
      [
        'Intro.', // 5
        '', // 6
        '## First {#one}', // 7
        '', // 8
        '```text', // 9
        '## not a heading {#nope}', // 10
        '::: hint', // 11
        '```', // 12
        '', // 13
        '::: hint', // 14
        'Try harder.', // 15
        ':::', // 16
        '', // 17
        '## Second {#two}', // 18
        'Body two.', // 19
      ].join('\n'),
    );
    expect(r.problems).toEqual([]);
    expect(r.frontMatter).toEqual({ title: 'T', summary: 'S' });
    expect(r.intro).toBe('Intro.');
    expect(r.sections.map((s) => [s.stepId, s.title, s.line])).toEqual([
      ['one', 'First', 7],
      ['two', 'Second', 18],
    ]);
    expect(r.sections[0]!.hints).toEqual([{ text: 'Try harder.', line: 14 }]);
    expect(r.sections[0]!.body).toBe('```text\n## not a heading {#nope}\n::: hint\n```');
    expect(r.sections[0]!.codeBlocks).toEqual([{ role: 'output', info: 'text', content: '## not a heading {#nope}\n::: hint\n', line: 9 }]);
    expect(r.sections[1]!.body).toBe('Body two.');
  });

  it('keeps checkpoint markers in the body and records them', () => {
    const r = parse('## S {#s}\n\n::: checkpoint cp-1\n:::\n');
    expect(r.problems).toEqual([]);
    expect(r.sections[0]!.checkpoints).toEqual([{ id: 'cp-1', line: 7, kind: 'checkpoint' }]);
    expect(r.sections[0]!.body).toBe('::: checkpoint cp-1\n:::');
  });

  it('reads CRLF files with the same lines', () => {
    const r = parseLessonMarkdown(FM.replace(/\n/g, '\r\n') + '## S {#s}\r\n```python\r\nx\r\n```\r\n', 'x/en.md');
    expect(r.sections[0]?.stepId).toBe('s');
    expect(r.problems).toEqual([expect.objectContaining({ line: 6, message: expect.stringContaining('"python"') })]);
  });

  it('reports format problems at their lines', () => {
    const r = parse(
      [
        '::: hint', // 5
        'Too early.', // 6
        ':::', // 7
        '## No id here', // 8
        '## Bad id {#Bad_Id}', // 9
        '## Good {#good}', // 10
        '::: warning', // 11
        'x', // 12
        ':::', // 13
        '::: checkpoint', // 14
        ':::', // 15
        '::: checkpoint a b', // 16
        ':::', // 17
        '::: checkpoint cp', // 18
        'text inside', // 19
        ':::', // 20
        '', // 21
        '    indented code', // 22
        '', // 23
        '::: hint', // 24
        'never closed', // 25
      ].join('\n'),
    );
    const at = (line: number): string[] => r.problems.filter((p) => p.line === line).map((p) => p.message);
    expect(at(5)).toEqual(['a hint must be inside a step section']);
    expect(at(8)[0]).toContain('must end with {#step-id}');
    expect(at(9)[0]).toContain('"Bad_Id"');
    expect(at(11)[0]).toContain('unknown block "::: warning"');
    expect(at(14)[0]).toContain('::: checkpoint CHECKPOINT-ID');
    expect(at(16)[0]).toContain('::: checkpoint CHECKPOINT-ID');
    expect(at(19)).toEqual(['a checkpoint marker holds no text']);
    expect(at(22)[0]).toContain('indented code block');
    expect(at(24)[0]).toContain('never closed');
    expect(r.problems.every((p) => p.file === 'x/en.md')).toBe(true);
  });

  it('reports nested blocks', () => {
    const r = parse('## S {#s}\n- item\n\n  ::: hint\n  nested\n  :::\n');
    expect(r.problems).toEqual([expect.objectContaining({ line: 8, message: expect.stringContaining('cannot be nested') })]);
  });

  it('reports an unclosed front matter', () => {
    const r = parseLessonMarkdown('---\ntitle: T\n## S {#s}\n', 'x/en.md');
    expect(r.problems[0]).toMatchObject({ line: 1, message: expect.stringContaining('never closed') });
  });

  it('reports a front matter that is not a map', () => {
    const r = parseLessonMarkdown('---\n- a\n---\n', 'x/en.md');
    expect(r.frontMatter).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ line: 2 });
  });
});
