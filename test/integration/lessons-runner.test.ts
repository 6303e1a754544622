// `npm run lessons:test` against the real engine: the fixture lesson and the
// shipped DNS lesson pass end to end; with --shell /bin/sh (dash, no prompt
// hooks) the engine-kinds fixture passes too, the runner learning when each
// command ended, and how, from its own marker; a lesson whose solution is
// wrong and whose near-miss is no near-miss fails, with reasons; the command
// prints the table and `N passed, M failed` last and exits 1 on failure.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { counts, formatReport } from '../../scripts/lesson-runner/report';
import { runLessonTests } from '../../scripts/lesson-runner/runner';
import { containerNames, networkNames, removeByPrefix } from '../support/docker';

const REPO = resolve(__dirname, '..', '..');
const FIXTURES = resolve(__dirname, '../fixtures/courses/kinds-course');
const LR = 'itest-lr-';
/** The engine-kinds fixture's names. */
const EW = 'itest-ew-';

const lessonYaml = `id: itest-runner
order: 901
images: [busybox]
names:
  containers: [itest-lr-box]
  networks: [itest-lr-net, itest-lr-net2]
steps:
  - id: make-net
    # Wrong on purpose: the checkpoint wants itest-lr-net.
    solution: [docker network create itest-lr-net2]
    checkpoints:
      - id: net
        title: { en: "itest-lr-net exists", zh-CN: "itest-lr-net 已存在" }
        when: [{ kind: network, network: itest-lr-net }]
    nearMisses:
      # Not a near miss at all: it solves the step.
      - label: { en: "the right command", zh-CN: "正确的命令" }
        commands: [docker network create itest-lr-net]
        fails: [net]
  - id: shells
    solution:
      - docker run -di --name itest-lr-box busybox
      - { terminal: itest-lr-box, run: "echo lr-$((6*7))" }
      - { terminal: docker-host, run: "ls /sys/class/net/" }
    checkpoints:
      - id: box-said
        title: { en: "the box printed lr-42", zh-CN: "容器打印了 lr-42" }
        when: [{ kind: output, terminal: itest-lr-box, pattern: 'lr-42' }]
      - id: host-view-seen
        title: { en: "the host view listed docker0", zh-CN: "主机视图列出了 docker0" }
        when: [{ kind: output, terminal: docker-host, pattern: 'docker0' }]
    quizzes:
      - id: lr-quiz
        question: { en: "Which driver is the default?", zh-CN: "默认驱动是哪个?" }
        choices:
          - text: { en: host, zh-CN: host }
            explanation: { en: "host is a mode.", zh-CN: "host 是一种模式。" }
          - text: { en: bridge, zh-CN: bridge }
            correct: true
            explanation: { en: "bridge it is.", zh-CN: "就是 bridge。" }
`;

const markdown = (title: string): string => `---
title: ${title}
summary: ${title}
---

Intro.

## Make {#make-net}

Text.

## Shells {#shells}

Text.

::: quiz lr-quiz
:::
`;

let lessonsDir: string;

beforeAll(async () => {
  await removeByPrefix(LR);
  await removeByPrefix(EW);
  lessonsDir = await mkdtemp(join(tmpdir(), 'netlab-runner-lessons-'));
  const dir = join(lessonsDir, 'runner');
  await mkdir(dir);
  await writeFile(join(dir, 'lesson.yaml'), lessonYaml);
  await writeFile(join(dir, 'en.md'), markdown('Runner test'));
  await writeFile(join(dir, 'zh-CN.md'), markdown('运行器测试'));
});

afterAll(async () => {
  await removeByPrefix(LR);
  await removeByPrefix(EW);
  await rm(lessonsDir, { recursive: true, force: true });
});

describe('lessons:test', () => {
  it('passes the checkpoint-kinds fixture: every checkpoint, every near-miss, the reset', async () => {
    const lines: string[] = [];
    const report = await runLessonTests({ lessonsDir: FIXTURES, source: 'extra', lessonIds: ['checkpoint-kinds'], print: (l) => lines.push(l) });
    const text = formatReport(report);
    expect(report.checkpoints.map((c) => c.checkpointId)).toEqual(['net', 'driver-quiz', 'on-net', 'mode-none', 'mode-host', 'mode-joined', 'probe-name', 'cmd', 'output']);
    expect(report.checkpoints.filter((c) => !c.ok), text).toEqual([]);
    expect(report.checkpoints.every((c) => c.atStart !== 'passed' && c.after === 'passed')).toBe(true);
    expect(report.nearMisses.map((n) => [n.checkpointId, n.ok])).toEqual([['net', true], ['on-net', true], ['probe-name', true]]);
    // Held because the lab saw the mistake, not merely "not evaluated".
    expect(report.nearMisses.find((n) => n.checkpointId === 'on-net')?.reason).toBe('itest-ck-a is on network bridge, not itest-ck-net.');
    expect(report.lessonChecks).toEqual([{ lessonId: 'checkpoint-kinds', what: 'reset', ok: true }]);
    expect(counts(report)).toEqual({ passed: 13, failed: 0 });
    expect(text.split('\n').at(-1)).toBe('13 passed, 0 failed');
    expect(text).toMatch(/checkpoint-kinds\s+network\s+net\s+failed\s+passed\s+1\/1 held\s+ok/);
    expect(lines).toContainEqual(expect.stringMatching(/^  step containers: 4 command\(s\), 4 checkpoint\(s\) passed \(\d+\.\d s\)$/));
    expect(await containerNames('itest-ck-')).toEqual([]);
    expect(await networkNames('itest-ck-')).toEqual([]);
  }, 180_000);

  it('with --shell /bin/sh: the engine-kinds fixture passes in a shell that reports no commands, exit codes known', async () => {
    const lines: string[] = [];
    const report = await runLessonTests({ lessonsDir: FIXTURES, source: 'extra', lessonIds: ['engine-kinds'], shell: '/bin/sh', print: (l) => lines.push(l) });
    const text = formatReport(report);
    // dash really ran, without the app's prompt hooks: the runner said how it waited.
    expect(lines).toContain('host shell: /bin/sh (no prompt hooks: each command is followed on its line by a printf of a marker and its exit status)');
    expect(report.checkpoints.map((c) => c.checkpointId)).toEqual(['ran-ip', 'listed', 'made-net', 'joined']);
    expect(report.checkpoints.filter((c) => !c.ok), text).toEqual([]);
    expect(report.checkpoints.every((c) => c.atStart !== 'passed' && c.after === 'passed')).toBe(true);
    // The echo and the failed exec hold ran-ip; the failed exec's exit code came through the marker.
    expect(report.nearMisses.map((n) => [n.checkpointId, n.ok])).toEqual([['ran-ip', true]]);
    expect(lines).toContain('    (exit 1) docker exec itest-ew-a false');
    expect(lines).not.toContainEqual(expect.stringContaining('(exit 1) echo docker exec'));
    expect(report.lessonChecks).toEqual([{ lessonId: 'engine-kinds', what: 'reset', ok: true }]);
    expect(counts(report)).toEqual({ passed: 6, failed: 0 });
    expect(await containerNames(EW)).toEqual([]);
    expect(await networkNames(EW)).toEqual([]);
  }, 180_000);

  it('passes lessons/07-dns', async () => {
    const { lesson } = await parseLesson(join(REPO, 'lessons', '07-dns'), 'builtin');
    if (!lesson) throw new Error('lessons/07-dns does not load');
    const report = await runLessonTests({ lessonsDir: join(REPO, 'lessons'), source: 'builtin', lessonIds: ['dns'], print: () => undefined });
    const text = formatReport(report);
    expect(report.checkpoints.map((c) => c.checkpointId)).toEqual(lesson.lesson.checkpoints.map((c) => c.id));
    expect(report.nearMisses.length).toBe(lesson.nearMisses.reduce((n, nm) => n + nm.fails.length, 0));
    expect(counts(report), text).toEqual({ passed: report.checkpoints.length + report.nearMisses.length + 1, failed: 0 });
  }, 400_000);

  it('fails a wrong solution and a near-miss that passes, with the reasons; other terminals work', async () => {
    const report = await runLessonTests({ lessonsDir, source: 'extra', checkpointTimeoutMs: 3_000, holdMs: 1_500, print: () => undefined });
    const by = Object.fromEntries(report.checkpoints.map((c) => [c.checkpointId, c]));
    expect(by.net).toMatchObject({ ok: false, after: 'failed' });
    expect(by.net?.problem).toBe("not passed 3.0 s after its step's solution: Network itest-lr-net does not exist yet.");
    // Commands typed into a container shell and the Docker host view, then checked on their output.
    expect(by['box-said']).toMatchObject({ ok: true, after: 'passed' });
    expect(by['host-view-seen']).toMatchObject({ ok: true, after: 'passed' });
    expect(by['lr-quiz']).toMatchObject({ ok: true, atStart: 'failed', after: 'passed' });
    expect(report.nearMisses).toEqual([
      { lessonId: 'itest-runner', stepId: 'make-net', label: 'the right command', checkpointId: 'net', ok: false, reason: 'passed, but this near-miss must not pass it' },
    ]);
    expect(report.lessonChecks).toEqual([{ lessonId: 'itest-runner', what: 'reset', ok: true }]);
    expect(counts(report)).toEqual({ passed: 4, failed: 2 });
    const text = formatReport(report);
    expect(text).toContain('FAIL itest-runner / make-net / near-miss "the right command": net passed, but this near-miss must not pass it');
    expect(text.split('\n').at(-1)).toBe('4 passed, 2 failed');
    expect(await containerNames(LR)).toEqual([]);
    expect(await networkNames(LR)).toEqual([]);
  }, 180_000);

  it('as a command: an unknown lesson id fails fast with exit 1 and the summary last', async () => {
    const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
    const result = await promisify(execFile)(tsx, ['scripts/lessons-test.ts', 'no-such-lesson', '--lessons', FIXTURES], { cwd: REPO }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL no-such-lesson (loads): no lesson with the id or folder "no-such-lesson"');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  }, 60_000);
});
