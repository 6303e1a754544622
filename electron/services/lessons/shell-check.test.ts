import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkShellSnippet, lintLessonShell } from './shell-check';

describe('checkShellSnippet', () => {
  it('accepts whole commands', () => {
    for (const cmd of [
      'docker run -di --name a busybox',
      `docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' a`,
      'docker exec a ping -c 2 $(docker inspect -f "{{.Id}}" b)',
      'echo "it\'s fine" # don\'t count quotes in comments',
      "echo 'a' \\\n  'b'",
      'echo $(echo (x) ) `date`',
      'echo "$(echo "nested")"',
      'echo a#b',
    ]) {
      expect(checkShellSnippet(cmd), cmd).toBeUndefined();
    }
  });

  it('finds what does not close, with its line', () => {
    expect(checkShellSnippet("echo 'abc")).toEqual({ message: "unbalanced ' in shell command", line: 0 });
    expect(checkShellSnippet('ls\necho "abc')).toEqual({ message: 'unbalanced " in shell command', line: 1 });
    expect(checkShellSnippet('echo `date')?.message).toContain('unbalanced `');
    expect(checkShellSnippet('echo $(date')?.message).toContain('$( without its )');
    expect(checkShellSnippet('echo a#b "')?.line).toBe(0);
  });
});

describe('lintLessonShell', () => {
  it('reports sh blocks and yaml commands at their file lines, skipping output blocks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-shell-'));
    const lesson = join(dir, 'les');
    await mkdir(lesson);
    try {
      const md = '---\ntitle: T\nsummary: S\n---\n## S {#s}\n```sh\nls\necho "oops\n```\n```text\nit\'s output\n```\n';
      await writeFile(join(lesson, 'en.md'), md);
      await writeFile(join(lesson, 'zh-CN.md'), md.replace('```sh', '```sh terminal=box'));
      await writeFile(join(lesson, 'lesson.yaml'), 'steps:\n  - id: s\n    solution:\n      - ok\n      - "echo \'x"\n');
      const problems = await lintLessonShell(lesson);
      expect(problems).toEqual([
        { file: 'les/en.md', line: 8, message: 'unbalanced " in shell command' },
        { file: 'les/zh-CN.md', line: 8, message: 'unbalanced " in shell command' },
        { file: 'les/lesson.yaml', line: 5, column: 9, message: "unbalanced ' in shell command" },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
