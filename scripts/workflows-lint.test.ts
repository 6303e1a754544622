import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lintWorkflow, lintWorkflowDir, main } from './workflows-lint';

const workflows = resolve(__dirname, '../.github/workflows');
const ci = readFileSync(join(workflows, 'ci.yml'), 'utf8');
const release = readFileSync(join(workflows, 'release.yml'), 'utf8');

/** `text` with `from` replaced once, failing loudly if the workflow no longer has it. */
function breakIt(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('workflows:lint', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    vi.restoreAllMocks();
  });

  it('passes the repository\'s CI and release workflows', () => {
    const { files, problems } = lintWorkflowDir(workflows);
    expect(files.map((file) => file.slice(workflows.length + 1))).toEqual(['ci.yml', 'release.yml']);
    expect(problems).toEqual([]);
  });

  it('finds a misspelt key', () => {
    const problems = lintWorkflow('ci.yml', breakIt(ci, '    runs-on: ubuntu-latest\n    container:', '    run-on: ubuntu-latest\n    container:'));
    expect(problems.some((p) => p.where === '/jobs/linux' && p.message.includes("'run-on'"))).toBe(true);
  });

  it('finds a job that needs a job which does not exist', () => {
    const problems = lintWorkflow('release.yml', breakIt(release, 'needs: installers', 'needs: installer'));
    expect(problems).toEqual([{ file: 'release.yml', where: '/jobs/release/needs', message: 'Unresolved job: unresolved job installer' }]);
  });

  it('finds an action pinned to a tag instead of a commit', () => {
    const problems = lintWorkflow('ci.yml', breakIt(ci, 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', 'actions/checkout@v4'));
    expect(problems).toEqual([
      { file: 'ci.yml', where: '/jobs/linux/steps/1/uses', message: 'actions/checkout@v4 is not pinned: use owner/repo@<full commit SHA> # <version>' },
    ]);
  });

  it('finds a YAML error, with its line', () => {
    // The mistake this linter caught while ci.yml was written: an unquoted ": " in a step name.
    const problems = lintWorkflow('ci.yml', breakIt(ci, '- name: "Linux: a display, zsh, busybox-static for the lab images"', '- name: Linux: a display'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toMatch(/^\d+:\d+$/);
    expect(problems[0]!.message).toContain('mapping values are not allowed');
  });

  it('exits 1 on a broken workflow in another folder, 0 on good ones, and 1 on a folder without any', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'netlab-workflows-'));
    expect(main([dir])).toBe(1);
    writeFileSync(join(dir, 'ci.yml'), ci);
    expect(main([dir])).toBe(0);
    writeFileSync(join(dir, 'release.yml'), breakIt(release, 'contents: write', 'contents: writable'));
    expect(main([dir])).toBe(1);
    expect(vi.mocked(console.error).mock.calls.flat().join('\n')).toContain('release.yml: /jobs/release/permissions');
  });
});
