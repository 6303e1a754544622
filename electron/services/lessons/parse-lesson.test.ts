import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LessonProblem } from '../../api/types';
import { MAX_LESSON_BYTES } from './lesson-files';
import { createdNames, parseLesson } from './parse-lesson';
import { findProblem, useTempLessons } from './fixtures/temp-lessons';

const tmp = useTempLessons();

async function write(name: string, text: string): Promise<void> {
  await writeFile(join(tmp.lessonDir, name), text);
}

async function problemsOf(): Promise<LessonProblem[]> {
  const { lesson, problems } = await parseLesson(tmp.lessonDir, 'extra');
  // Any problem keeps the lesson out.
  expect(lesson).toBeUndefined();
  return problems;
}


/** lesson.yaml with a replaceable condition list for step 2 (line numbers noted). */
function manifest(conditions: string): string {
  return [
    'id: first', // 1
    'order: 1', // 2
    'images: [busybox]', // 3
    'names:', // 4
    '  containers: [fx_box]', // 5
    '  networks: [fx_net]', // 6
    'steps:', // 7
    '  - id: make-net', // 9
    '    checkpoints:', // 9
    '      - id: net-exists', // 10
    '        title: { en: "fx_net exists", zh-CN: "fx_net 已存在" }', // 11
    '        when:', // 12
    '          - { kind: network, network: fx_net }', // 13
    '  - id: run-box', // 14
    '    checkpoints:', // 15
    '      - id: box-running', // 16
    '        title: { en: "runs", zh-CN: "运行" }', // 17
    '        when:', // 18
    conditions, // 19..
    '',
  ].join('\n');
}

describe('parseLesson: a good lesson', () => {
  it('builds the contract Lesson from yaml and both locales', async () => {
    const { lesson, problems } = await parseLesson(tmp.lessonDir, 'extra');
    expect(problems).toEqual([]);
    expect(lesson).toBeDefined();
    const l = lesson!.lesson;
    expect(l.id).toBe('first');
    expect(l.source).toBe('extra');
    expect(l.title).toEqual({ en: 'First lesson', 'zh-CN': '第一课' });
    expect(l.summary['zh-CN']).toBe('一个小样例。');
    expect(l.intro).toEqual({ en: 'Intro text.', 'zh-CN': '简介。' });
    expect(l.images).toEqual(['busybox']);
    expect(l.names).toEqual({ containers: ['fx_box'], networks: ['fx_net', 'fx-net'] });
    expect(l.steps.map((s) => s.id)).toEqual(['make-net', 'run-box']);

    const run = l.steps[1]!;
    expect(run.title).toEqual({ en: 'Run a box', 'zh-CN': '运行容器' });
    expect(run.hints).toEqual([
      { en: 'First hint.', 'zh-CN': '第一条提示。' },
      { en: 'Second hint.', 'zh-CN': '第二条提示。' },
    ]);
    // Hints are lifted out; checkpoint markers and other text stay.
    expect(run.body.en).not.toContain('::: hint');
    expect(run.body.en).not.toContain('First hint.');
    expect(run.body.en).toContain('Some text after the hints.');
    expect(run.body.en).toContain('::: checkpoint box-running');
    expect(run.body.en).not.toMatch(/\n{3,}/);
    expect(run.body.en.startsWith('```sh')).toBe(true);
    expect(run.solution).toEqual([{ terminal: 'host', command: 'docker run -di --name fx_box --net fx_net busybox' }]);
    expect(run.checkpointIds).toEqual(['box-running']);

    expect(l.checkpoints).toEqual([
      { id: 'net-exists', stepId: 'make-net', title: { en: 'fx_net exists', 'zh-CN': 'fx_net 已存在' }, live: true, kind: 'lab' },
      { id: 'box-running', stepId: 'run-box', title: { en: 'fx_box runs on fx_net', 'zh-CN': 'fx_box 在 fx_net 上运行' }, live: false, kind: 'lab' },
    ]);
    // Defaults from the checkpoint schema are applied for the engine.
    const probe = lesson!.defs.get('box-running')!.when[1]!;
    expect(probe).toMatchObject({ kind: 'probe', exitCode: 0, timeoutMs: 2000 });
    expect(lesson!.nearMisses).toEqual([
      { stepId: 'make-net', label: { en: 'Wrong name', 'zh-CN': '名字错了' }, commands: [{ terminal: 'host', command: 'docker network create fx-net' }], fails: ['net-exists'] },
    ]);
    expect(lesson!.dir).toBe(tmp.lessonDir);
  });

  it('names each runnable block in the served text, and keeps what it runs on the main side', async () => {
    const { lesson } = await parseLesson(tmp.lessonDir, 'extra');
    const run = lesson!.lesson.steps[1]!;
    expect(run.body.en).toContain('```sh block=en.1\ndocker run -di --name fx_box --net fx_net busybox\n```');
    expect(run.body.en).toContain('```sh terminal=fx_box block=en.2\nip addr\n```');
    // Output samples are not runnable and get no id.
    expect(run.body.en).toContain('```text\ninet 172.18.0.2/16');
    expect(lesson!.runnable.get('en.2')).toEqual({ terminal: 'fx_box', command: 'ip addr\n' });
    expect(lesson!.runnable.get('zh-CN.0')).toEqual({ terminal: 'host', command: 'docker network create fx_net\n' });
    expect(lesson!.lesson.fingerprint).toMatch(/^[a-f0-9]{64}$/);
  });

  it('fingerprints the whole lesson: a probe that changes alone changes it', async () => {
    const before = (await parseLesson(tmp.lessonDir, 'extra')).lesson!.lesson.fingerprint;
    expect((await parseLesson(tmp.lessonDir, 'extra')).lesson!.lesson.fingerprint).toBe(before);
    const yaml = join(tmp.lessonDir, 'lesson.yaml');
    await write('lesson.yaml', (await readFile(yaml, 'utf8')).replace('command: [ping, -c1,', 'command: [ping, -c2,'));
    expect((await parseLesson(tmp.lessonDir, 'extra')).lesson!.lesson.fingerprint).not.toBe(before);
  });
});

describe('parseLesson: commands that run differently from how they read', () => {
  it('refuses a control character in a runnable block, at its line', async () => {
    const md = join(tmp.lessonDir, 'en.md');
    // DEL characters after a visible suffix would rub it out in the terminal.
    await write('en.md', (await readFile(md, 'utf8')).replace('ip addr\n', 'ip addr\nrm -rf ~/netlab-tmp\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\n'));
    expect(findProblem(await problemsOf(), 'U+007F DELETE')).toMatchObject({ file: 'basics/en.md', line: 29 });
  });

  it('refuses a bidi override in a runnable block of the other locale', async () => {
    const md = join(tmp.lessonDir, 'zh-CN.md');
    await write('zh-CN.md', (await readFile(md, 'utf8')).replace('docker network create fx_net', 'docker network create \u202Eten_xf'));
    expect(findProblem(await problemsOf(), 'U+202E RIGHT-TO-LEFT OVERRIDE')).toMatchObject({ file: 'basics/zh-CN.md' });
  });

  it('leaves output samples alone', async () => {
    const md = join(tmp.lessonDir, 'en.md');
    await write('en.md', (await readFile(md, 'utf8')).replace('inet 172.18.0.2/16', 'inet 172.18.0.2/16\u200b'));
    expect((await parseLesson(tmp.lessonDir, 'extra')).problems).toEqual([]);
  });

  it('refuses ^U in a solution and a zero-width space in a near-miss, at their lines', async () => {
    const yaml = join(tmp.lessonDir, 'lesson.yaml');
    const text = (await readFile(yaml, 'utf8'))
      .replace('      - docker network create fx_net', '      - "docker network create fx_net\\u0015rm -rf ~"')
      .replace('commands: [docker network create fx-net]', 'commands: ["docker network\\u200bcreate fx-net"]');
    await write('lesson.yaml', text);
    const problems = await problemsOf();
    expect(findProblem(problems, 'U+0015')).toMatchObject({ file: 'basics/lesson.yaml', line: 10 });
    expect(findProblem(problems, 'U+200B ZERO WIDTH SPACE')).toMatchObject({ file: 'basics/lesson.yaml', line: 19 });
  });
});

describe('parseLesson: probes', () => {
  it('refuses a probe that is not read-only, at its command', async () => {
    await write('lesson.yaml', manifest("          - { kind: probe, container: fx_box, command: [sh, -c, 'cat /etc/shadow'] }"));
    expect(findProblem(await problemsOf(), 'probe: "sh" is not a command a probe may run')).toMatchObject({ file: 'basics/lesson.yaml', line: 19 });
  });

  it('refuses a probe that would change the container', async () => {
    await write('lesson.yaml', manifest('          - { kind: probe, container: fx_box, command: [ip, link, set, eth0, down] }'));
    expect(findProblem(await problemsOf(), 'a probe may only show')).toMatchObject({ file: 'basics/lesson.yaml', line: 19 });
  });
});

describe('parseLesson: problems with file and line', () => {
  it('reports a YAML syntax error at its own line', async () => {
    await write('lesson.yaml', 'id: first\norder: 1\nimages: busybox: x\n');
    const problems = await problemsOf();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'basics/lesson.yaml', line: 3, column: 9 });
  });

  it('reports a duplicate key as a YAML error', async () => {
    await write('lesson.yaml', 'id: first\nid: again\n');
    const p = findProblem(await problemsOf(), 'unique');
    expect(p).toMatchObject({ file: 'basics/lesson.yaml', line: 2 });
  });

  it('reports a schema error deep in a condition at the offending value', async () => {
    await write(
      'lesson.yaml',
      manifest(
        [
          '          - kind: probe', // 19
          '            container: fx_box', // 20
          '            command: [ping, -c1, fx_box]', // 21
          '            exitCode: one', // 22
        ].join('\n'),
      ),
    );
    const p = findProblem(await problemsOf(), 'exitCode');
    expect(p).toMatchObject({ file: 'basics/lesson.yaml', line: 22, column: 23 });
    expect(p.message).toContain('steps[1].checkpoints[0].when[0].exitCode');
  });

  it('names an unknown condition kind and points at it', async () => {
    await write('lesson.yaml', manifest('          - { kind: pingg, container: fx_box }'));
    const p = findProblem(await problemsOf(), 'unknown condition kind "pingg"');
    expect(p).toMatchObject({ file: 'basics/lesson.yaml', line: 19 });
    expect(p.message).toContain('network, container, probe, command, engine, output');
  });

  it('reads what a lesson and a step need, the step with the lesson\'s needs', async () => {
    const text = manifest('          - { kind: network, network: fx_net }')
      .replace('images: [busybox]', 'images: [busybox]\nrequires: [ipv6]')
      .replace('  - id: run-box', '  - id: run-box\n    requires: [host-network, ipv6]');
    await write('lesson.yaml', text);
    const { lesson, problems } = await parseLesson(tmp.lessonDir, 'extra');
    expect(problems).toEqual([]);
    expect(lesson!.lesson.requires).toEqual(['ipv6']);
    expect(lesson!.lesson.steps.map((s) => s.requires)).toEqual([['ipv6'], ['ipv6', 'host-network']]);
  });

  it('a lesson without needs carries none (its fingerprint stays as it was)', async () => {
    await write('lesson.yaml', manifest('          - { kind: network, network: fx_net }'));
    const { lesson } = await parseLesson(tmp.lessonDir, 'extra');
    expect(lesson!.lesson).not.toHaveProperty('requires');
    expect(lesson!.lesson.steps[0]).not.toHaveProperty('requires');
  });

  it('names an unknown need at its line, with the known ones', async () => {
    const text = manifest('          - { kind: network, network: fx_net }').replace('  - id: run-box', '  - id: run-box\n    requires: [host-network, hostnet]');
    await write('lesson.yaml', text);
    const p = findProblem(await problemsOf(), 'unknown need "hostnet"');
    expect(p).toMatchObject({ file: 'basics/lesson.yaml', line: 15 });
    expect(p.message).toContain('steps[1].requires[1]');
    expect(p.message).toContain('known: host-network, ipv6, iptables');
  });

  it('points an unknown field at its key', async () => {
    await write('lesson.yaml', manifest('          - { kind: network, network: fx_net }\n    colour: blue'));
    const p = findProblem(await problemsOf(), 'unknown field "colour"');
    expect(p).toMatchObject({ line: 20, column: 5 });
  });

  it('reports a missing field at the map that lacks it', async () => {
    await write('lesson.yaml', manifest('          - kind: command\n            exitCode: 0'));
    const p = findProblem(await problemsOf(), 'pattern');
    expect(p.line).toBe(19);
  });

  it('reports undeclared container and network names, including ${ip:} references', async () => {
    await write(
      'lesson.yaml',
      manifest(
        [
          '          - { kind: container, container: other_box, networks: [bridge, other_net] }', // 19
          '          - { kind: command, pattern: "ping ${ip:fx_box@nowhere}" }', // 20
        ].join('\n'),
      ),
    );
    const problems = await problemsOf();
    expect(findProblem(problems, 'container "other_box" is not declared').line).toBe(19);
    expect(findProblem(problems, 'network "other_net" is not declared').line).toBe(19);
    expect(findProblem(problems, 'network "nowhere" is not declared').line).toBe(20);
    // bridge is built in and never needs declaring.
    expect(problems.some((p) => p.message.includes('"bridge"'))).toBe(false);
  });

  it('reports duplicate checkpoint ids, unknown near-miss targets and undeclared created names', async () => {
    await write(
      'lesson.yaml',
      manifest(
        [
          '          - { kind: network, network: fx_net }', // 19
          '      - id: net-exists', // 20
          '        title: { en: "again", zh-CN: "再来" }', // 21
          '        when: [{ kind: network, network: fx_net }]', // 22
          '    nearMisses:', // 23
          '      - label: { en: "x", zh-CN: "x" }', // 24
          '        commands: [docker run -di --name stray busybox]', // 25
          '        fails: [nope]', // 26
        ].join('\n'),
      ),
    );
    const problems = await problemsOf();
    expect(findProblem(problems, 'duplicate checkpoint id "net-exists"').line).toBe(20);
    expect(findProblem(problems, 'unknown checkpoint "nope"').line).toBe(26);
    expect(findProblem(problems, 'container "stray" is created here').line).toBe(25);
  });

  it('reports a missing locale file', async () => {
    await rm(join(tmp.lessonDir, 'zh-CN.md'));
    const p = findProblem(await problemsOf(), 'missing zh-CN.md');
    expect(p).toMatchObject({ file: 'basics/zh-CN.md', line: 1 });
  });

  it('reports a step missing in one locale where it should start', async () => {
    const zh = await readFile(join(tmp.lessonDir, 'zh-CN.md'), 'utf8');
    // Drop the make-net section (lines 8-20); run-box's heading moves to line 8.
    const lines = zh.split('\n');
    await write('zh-CN.md', [...lines.slice(0, 7), ...lines.slice(20)].join('\n'));
    const p = findProblem(await problemsOf(), 'step "make-net" has no section');
    expect(p).toMatchObject({ file: 'basics/zh-CN.md', line: 8 });
  });

  it('reports a missing last step at the end of the file', async () => {
    const zh = await readFile(join(tmp.lessonDir, 'zh-CN.md'), 'utf8');
    await write('zh-CN.md', zh.split('\n').slice(0, 19).join('\n') + '\n');
    const p = findProblem(await problemsOf(), 'step "run-box" has no section');
    expect(p).toMatchObject({ file: 'basics/zh-CN.md', line: 19 });
  });

  it('reports unknown and out-of-order step sections', async () => {
    await write(
      'en.md',
      [
        '---', // 1
        'title: T', // 2
        'summary: S', // 3
        '---', // 4
        '## Run {#run-box}', // 5
        '## Make {#make-net}', // 6
        '## Extra {#extra-step}', // 7
        '',
      ].join('\n'),
    );
    const problems = await problemsOf();
    expect(findProblem(problems, 'step "make-net" is out of order')).toMatchObject({ file: 'basics/en.md', line: 6 });
    expect(findProblem(problems, 'unknown step "extra-step"')).toMatchObject({ file: 'basics/en.md', line: 7 });
  });

  it('reports a hint count mismatch at the step heading of the second locale', async () => {
    const zh = await readFile(join(tmp.lessonDir, 'zh-CN.md'), 'utf8');
    await write('zh-CN.md', zh.replace('::: hint\n第二条提示。\n:::\n', ''));
    const p = findProblem(await problemsOf(), 'has 1 hint(s) here but 2 in en.md');
    expect(p).toMatchObject({ file: 'basics/zh-CN.md', line: 21 });
  });

  it('reports a checkpoint marker that is not a checkpoint of its step', async () => {
    const en = await readFile(join(tmp.lessonDir, 'en.md'), 'utf8');
    // Line 45 is box-running's marker, inside run-box.
    await write('en.md', en.replace('::: checkpoint box-running', '::: checkpoint no-such-id'));
    const problems = await problemsOf();
    expect(findProblem(problems, 'checkpoint "no-such-id" is not a checkpoint of step "run-box"')).toMatchObject({
      file: 'basics/en.md',
      line: 45,
    });
    // The locales now place different checkpoints in run-box.
    expect(findProblem(problems, 'places checkpoints').file).toBe('basics/zh-CN.md');
  });

  it('reports an unknown code block info string and an undeclared terminal', async () => {
    const en = await readFile(join(tmp.lessonDir, 'en.md'), 'utf8');
    await write('en.md', en.replace('```sh\ndocker network create', '```python\ndocker network create').replace('terminal=fx_box', 'terminal=ghost'));
    const problems = await problemsOf();
    expect(findProblem(problems, 'unknown code block info "python"')).toMatchObject({ file: 'basics/en.md', line: 10 });
    expect(findProblem(problems, 'terminal "ghost" is not declared')).toMatchObject({ file: 'basics/en.md', line: 27 });
  });

  it('reports bad front matter at the right line', async () => {
    const en = await readFile(join(tmp.lessonDir, 'en.md'), 'utf8');
    await write('en.md', en.replace('summary: A small fixture.', 'summary: [unclosed'));
    const p = findProblem(await problemsOf(), 'front matter');
    // Line 3 of the file is line 2 of the YAML: the offset is applied.
    expect(p).toMatchObject({ file: 'basics/en.md', line: 3, column: 19 });
  });

  it('reports a missing front matter field and an unknown one', async () => {
    const en = await readFile(join(tmp.lessonDir, 'en.md'), 'utf8');
    await write('en.md', en.replace('summary: A small fixture.', 'sumary: typo'));
    const problems = await problemsOf();
    expect(findProblem(problems, 'unknown field "sumary"')).toMatchObject({ file: 'basics/en.md', line: 3 });
    expect(findProblem(problems, 'summary')).toMatchObject({ file: 'basics/en.md', line: 2 });
  });

  it('reports a file without front matter at line 1', async () => {
    await write('en.md', '## Make {#make-net}\n\n## Run {#run-box}\n');
    const p = findProblem(await problemsOf(), 'missing front matter');
    expect(p).toMatchObject({ file: 'basics/en.md', line: 1 });
  });

  it('refuses a lesson bigger than the limit without reading it', async () => {
    await write('en.md', 'x'.repeat(MAX_LESSON_BYTES + 1));
    const problems = await problemsOf();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'basics/en.md', line: 1 });
    expect(problems[0]!.message).toContain('limit');
  });

  it('never throws for an empty manifest', async () => {
    await write('lesson.yaml', '');
    const problems = await problemsOf();
    expect(problems[0]).toMatchObject({ file: 'basics/lesson.yaml', line: 1 });
  });
});

describe('createdNames', () => {
  it('finds names a command creates', () => {
    expect(createdNames('docker run -di --name box1 busybox')).toEqual([{ kind: 'container', name: 'box1' }]);
    expect(createdNames('docker run --name=box2 -d busybox')).toEqual([{ kind: 'container', name: 'box2' }]);
    expect(createdNames('docker network create -d bridge net1')).toEqual([{ kind: 'network', name: 'net1' }]);
    expect(createdNames('docker exec box ping -c 1 x')).toEqual([]);
  });
});

describe('imagesRun', () => {
  it('finds the image of docker run and create, past options with values', async () => {
    const { imagesRun } = await import('./parse-lesson');
    expect(imagesRun('docker run -di --name x --net custom_network busybox')).toEqual(['busybox']);
    expect(imagesRun('docker run -d -p 8080:80 --name=web1 httpd:2.4 httpd -f')).toEqual(['httpd:2.4']);
    expect(imagesRun('docker container create -e A=1 busybox sh && docker exec x ping -c1 y')).toEqual(['busybox']);
    expect(imagesRun('docker exec x ping -c1 y')).toEqual([]);
  });
});

describe('parseLesson: setup and part', () => {
  /** The fixture manifest with a setup list (and a part) before its steps: setup entries from line 9. */
  function withSetup(entries: string[], part = 'challenges'): string {
    return manifest('          - { kind: container, container: fx_box, state: running }').replace(
      'steps:\n',
      [`part: ${part}`, 'setup:', ...entries.map((e) => `  - ${e}`), 'steps:', ''].join('\n'),
    );
  }

  it('carries the setup commands and the part into the Lesson', async () => {
    await write('lesson.yaml', withSetup(['docker network create fx_net', 'docker run -d --name fx_box --network fx_net busybox sleep 600', '{ terminal: fx_box, run: "touch /ready" }']));
    const { lesson, problems } = await parseLesson(tmp.lessonDir, 'extra');
    expect(problems).toEqual([]);
    expect(lesson?.lesson.part).toBe('challenges');
    expect(lesson?.lesson.setup).toEqual([
      { terminal: 'host', command: 'docker network create fx_net' },
      { terminal: 'host', command: 'docker run -d --name fx_box --network fx_net busybox sleep 600' },
      { terminal: 'fx_box', command: 'touch /ready' },
    ]);
  });

  it('names the line of a setup command that chains, is not docker, creates an undeclared name or runs an undeclared image', async () => {
    await write(
      'lesson.yaml',
      withSetup([
        'docker network create fx_net && docker ps', // 8
        'curl http://example.com', // 10
        'docker run -d --name fx_other busybox', // 11
        'docker run -d --name fx_box alpine', // 12
        '{ terminal: nobody, run: "true" }', // 13
      ]),
    );
    const problems = await problemsOf();
    expect(findProblem(problems, 'one docker command').line).toBe(9);
    expect(findProblem(problems, 'starts with docker').line).toBe(10);
    expect(findProblem(problems, 'container "fx_other" is created here but not declared').line).toBe(11);
    expect(findProblem(problems, 'image "alpine" is run here but not declared').line).toBe(12);
    expect(findProblem(problems, 'setup terminal "nobody"').line).toBe(13);
    for (const p of problems) expect(p.file).toMatch(/lesson\.yaml$/);
  });

  it('refuses an unknown part', async () => {
    await write('lesson.yaml', withSetup(['docker network create fx_net'], 'advanced'));
    const problems = await problemsOf();
    expect(findProblem(problems, 'part').line).toBe(7);
  });
});

describe('parseLesson: the two languages cannot drift apart', () => {
  it('a zh-CN that lost a step, a hint and a checkpoint marker: each named at its file and line', async () => {
    const zh = await readFile(join(tmp.lessonDir, 'zh-CN.md'), 'utf8');
    const drifted = zh
      .replace(/## 创建网络 \{#make-net\}[\s\S]*?(?=## 运行容器)/, '')
      .replace('::: hint\n第二条提示。\n:::\n', '')
      .replace('::: checkpoint box-running\n:::\n', '');
    await write('zh-CN.md', drifted);
    const runBoxLine = drifted.split('\n').findIndex((l) => l.includes('{#run-box}')) + 1;
    const problems = await problemsOf();
    expect(findProblem(problems, 'step "make-net" has no section')).toMatchObject({ file: 'basics/zh-CN.md', line: runBoxLine });
    expect(findProblem(problems, 'step "run-box" has 1 hint(s) here but 2 in en.md')).toMatchObject({ file: 'basics/zh-CN.md', line: runBoxLine });
    expect(findProblem(problems, 'step "run-box" places checkpoints [] here but [box-running] in en.md')).toMatchObject({ file: 'basics/zh-CN.md', line: runBoxLine });
    // en is fine: nothing is blamed on it.
    expect(problems.filter((p) => p.file === 'basics/en.md')).toEqual([]);
  });

  it('a checkpoint (or quiz) placed in one language only is named at the other language', async () => {
    const en = await readFile(join(tmp.lessonDir, 'en.md'), 'utf8');
    await write('en.md', en.replace('::: checkpoint net-exists\n:::\n', ''));
    const problems = await problemsOf();
    expect(findProblem(problems, 'step "make-net" places checkpoints [net-exists] here but [] in en.md').file).toBe('basics/zh-CN.md');
  });
});
