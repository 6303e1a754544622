import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lint } from './lessons-lint';

const REPO = join(__dirname, '..');
const GOOD = join(REPO, 'electron', 'services', 'lessons', 'fixtures', 'good');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'netlab-lint-'));
  await cp(GOOD, root, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(dir: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await lint(dir, (l) => lines.push(l));
  return { code, lines };
}

describe('lessons lint', () => {
  it('passes the shipped lessons', async () => {
    const { code, lines } = await run(join(REPO, 'lessons'));
    expect(lines.slice(0, -1)).toEqual([]);
    expect(lines.at(-1)).toMatch(/^lessons: [1-9]\d* ok, 0 with problems$/);
    expect(code).toBe(0);
  });

  it('prints file:line: message per problem and counts broken lessons', async () => {
    const en = join(root, 'b-first', 'en.md');
    await writeFile(en, '---\ntitle: T\nsummary: S\n---\n## A {#make-net}\n```sh\necho "x\n```\n## B {#run-box}\n```perl\n```\n');
    const { code, lines } = await run(root);
    const file = relative(process.cwd(), en);
    expect(lines).toContain(`${file}:7: unbalanced " in shell command`);
    expect(lines.some((l) => l.startsWith(`${file}:10: unknown code block info "perl"`))).toBe(true);
    expect(lines.at(-1)).toBe('lessons: 1 ok, 1 with problems');
    expect(code).toBe(1);
  });

  it('names an unknown need at its line, and takes the known ones', async () => {
    const manifest = join(root, 'b-first', 'lesson.yaml');
    const text = await readFile(manifest, 'utf8');
    const lines0 = text.split('\n');
    const stepLine = lines0.findIndex((l) => /^  - id: /.test(l));
    lines0.splice(stepLine + 1, 0, '    requires: [host-network, host-networking]');
    await writeFile(manifest, lines0.join('\n'));
    const { code, lines } = await run(root);
    const file = relative(process.cwd(), manifest);
    expect(lines).toContain(`${file}:${stepLine + 2}: steps[0].requires[1]: unknown need "host-networking" (known: host-network, ipv6, iptables, macvlan, ipvlan)`);
    expect(code).toBe(1);

    lines0[stepLine + 1] = '    requires: [host-network, ipv6]';
    await writeFile(manifest, lines0.join('\n'));
    expect((await run(root)).code).toBe(0);
  });

  it('fails for a missing folder', async () => {
    const { code, lines } = await run(join(root, 'missing'));
    expect(lines[0]).toContain('lessons folder not found');
    expect(code).toBe(1);
  });

  it('runs as a command with --lessons and exits 1 on problems', async () => {
    await writeFile(join(root, 'a-second', 'lesson.yaml'), 'id: second\norder: x\n');
    const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
    const result = await promisify(execFile)(tsx, ['scripts/lessons-lint.ts', '--lessons', root], { cwd: REPO }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/a-second\/lesson\.yaml:2: order: /);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('lessons: 1 ok, 1 with problems');
  }, 30_000);
});
