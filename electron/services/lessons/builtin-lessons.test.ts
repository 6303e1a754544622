// The shipped course must load without a single problem, and the DNS lesson's
// engine conditions must accept the execs its solutions make and refuse look-alikes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerNode } from '../../api/types';
import { evaluateAll } from '../checkpoints/conditions';
import type { EngineRecord } from '../relay/engine-record';
import type { CheckpointDef, Condition } from './checkpoint-schema';
import { loadLessons, type LoadedLesson } from './loader';
import { execRecord, recordsContext } from '../checkpoints/test-fixtures/engine-evidence';

const ROOT = join(__dirname, '..', '..', '..', 'lessons');

/** Stand-in containers with the addresses the lesson's `${ip:…}` templates name. */
const NODES: ContainerNode[] = [
  ['default_bbox01', 'bridge', '172.17.0.2'],
  ['default_bbox02', 'bridge', '172.17.0.3'],
  ['custom_bbox02', 'custom_network', '172.19.0.2'],
  ['custom_bbox03', 'custom_network', '172.19.0.3'],
].map(([name, network, ip]) => ({
  id: `id-${name}`, name: name!, image: 'busybox', state: 'running', networkMode: network!, createdByLab: true,
  networks: [{ network: network!, ip: ip!, mac: '', gateway: '' }],
}));



function engineConditions(def: CheckpointDef): Condition[] {
  return def.when.filter((c) => c.kind === 'engine');
}

/** Whether the checkpoint's engine conditions (only those) accept this exec. */
async function accepts(def: CheckpointDef, record: EngineRecord): Promise<boolean> {
  return (await evaluateAll(engineConditions(def), recordsContext([record], NODES))).ok;
}

async function dns(): Promise<LoadedLesson> {
  const { lessons } = await loadLessons(ROOT, 'builtin');
  const lesson = lessons.find((l) => l.lesson.id === 'dns');
  expect(lesson).toBeDefined();
  return lesson as LoadedLesson;
}

describe('builtin lessons', () => {
  it('load without problems', async () => {
    const { lessons, problems } = await loadLessons(ROOT, 'builtin');
    expect(problems).toEqual([]);
    expect(lessons.length).toBeGreaterThan(0);
  });
});

describe('the DNS lesson', () => {
  it('has the agreed steps and checkpoints', async () => {
    const { lesson } = await dns();
    expect(lesson.order).toBe(7);
    expect(lesson.images).toEqual(['busybox']);
    expect(Object.fromEntries(lesson.steps.map((s) => [s.id, s.checkpointIds]))).toEqual({
      'default-bridge': ['default-containers-running'],
      'ping-by-ip': ['ping-default-by-ip'],
      'no-dns-on-bridge': ['name-fails-on-bridge'],
      'create-network': ['network-created'],
      'run-on-custom': ['custom-bbox02-on-network', 'custom-bbox03-on-network'],
      'ping-by-name': ['ping-custom-by-ip', 'ping-custom-by-name', 'embedded-dns-seen'],
      'connect-default': ['default-bbox01-connected', 'reach-default-by-name', 'dns-where', 'dns-bridge-only'],
    });
    for (const step of lesson.steps) {
      expect(step.hints.length, step.id).toBeGreaterThanOrEqual(1);
      expect(step.hints.length, step.id).toBeLessThanOrEqual(3);
      // Every checkpoint is placed in the text of both locales.
      // Every checkpoint (or quiz) is placed in the text of both locales.
      for (const id of step.checkpointIds) {
        const marker = lesson.quizzes.some((q) => q.id === id) ? 'quiz' : 'checkpoint';
        expect(step.body.en).toContain(`::: ${marker} ${id}\n`);
        expect(step.body['zh-CN']).toContain(`::: ${marker} ${id}\n`);
      }
    }
  });

  it('never runs an endless ping', async () => {
    const { lesson, nearMisses } = await dns();
    const snippets = lesson.steps.flatMap((s) =>
      [s.body.en, s.body['zh-CN'], ...s.hints.flatMap((h) => [h.en, h['zh-CN']])].flatMap((md) => [
        ...[...md.matchAll(/```(?:sh|bash|shell)[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? ''),
        // Inline code spans, paired in order (a span may not contain ping at all).
        ...[...md.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]*)`/g)].map((m) => m[1] ?? ''),
      ]),
    );
    const commands: string[] = [
      ...lesson.steps.flatMap((s) => s.solution.map((c) => c.command)),
      ...nearMisses.flatMap((n) => n.commands.map((c) => c.command)),
      ...snippets,
    ];
    let pings = 0;
    for (const text of commands) {
      for (const line of text.split('\n').filter((l) => /\bping\b/.test(l))) {
        pings++;
        expect(line).toMatch(/\bping\s+(?:\S+\s+)*-c\s*\d/);
      }
    }
    expect(pings).toBeGreaterThan(10);
  });

  it('checks every docker command with the engine, never with the typed line', async () => {
    const { lesson, defs } = await dns();
    const ids = lesson.steps.flatMap((s) => s.checkpointIds).filter((id) => defs.has(id));
    for (const id of ids) expect(defs.get(id)!.when.some((c) => c.kind === 'command'), id).toBe(false);
    expect(ids.filter((id) => engineConditions(defs.get(id)!).length > 0).length).toBeGreaterThanOrEqual(5);
  });

  it('accepts the exec the engine sees and refuses look-alikes', async () => {
    const { defs } = await dns();
    // However it was typed (-it, docker container exec, an alias, a script), the engine sees one exec.
    const cases: [string, EngineRecord, boolean][] = [
      ['ping-default-by-ip', execRecord('default_bbox01', 'ping -c 2 172.17.0.3'), true],
      ['ping-default-by-ip', execRecord('default_bbox01', 'ping -c2 -W 1 172.17.0.3'), true],
      ['ping-default-by-ip', execRecord('default_bbox01', 'ping -c 2 172.17.0.30'), false],
      ['ping-default-by-ip', execRecord('default_bbox01', 'ping -c 2 172.17.0.2'), false],
      ['ping-default-by-ip', execRecord('default_bbox02', 'ping -c 2 172.17.0.3'), false],
      ['ping-default-by-ip', execRecord('default_bbox01', 'ping -c 2 172.17.0.3', 1), false],
      ['name-fails-on-bridge', execRecord('default_bbox01', 'ping -c 1 default_bbox02', 1), true],
      ['name-fails-on-bridge', execRecord('default_bbox02', 'ping -c 1 default_bbox01', 1), false],
      ['name-fails-on-bridge', execRecord('default_bbox01', 'ping -c 1 default_bbox022', 1), false],
      ['ping-custom-by-ip', execRecord('custom_bbox02', 'ping -c 2 172.19.0.3'), true],
      ['ping-custom-by-name', execRecord('custom_bbox02', 'ping -c 2 custom_bbox03'), true],
      ['ping-custom-by-name', execRecord('custom_bbox02', 'ping -c 2 172.19.0.3'), false],
      ['ping-custom-by-name', execRecord('custom_bbox02', 'ping -c 2 custom_bbox03', 1), false],
      ['embedded-dns-seen', execRecord('custom_bbox02', 'cat /etc/resolv.conf'), true],
      ['embedded-dns-seen', execRecord('custom_bbox02', 'cat /etc/hosts'), false],
      ['embedded-dns-seen', execRecord('default_bbox01', 'cat /etc/resolv.conf'), false],
      ['reach-default-by-name', execRecord('custom_bbox02', 'ping -c 2 default_bbox01'), true],
      ['reach-default-by-name', execRecord('custom_bbox02', 'ping -c 2 default_bbox02'), false],
    ];
    for (const [id, record, want] of cases) {
      const def = defs.get(id);
      expect(def && engineConditions(def).length, id).toBeGreaterThan(0);
      expect(await accepts(def!, record), `${id}: ${record.exec!.container} ${record.exec!.command.join(' ')} (exit ${record.exec!.exitCode})`).toBe(want);
    }
  });

  it('has near misses for the mistakes the brief names', async () => {
    const { nearMisses, defs } = await dns();
    const byStep = (id: string): string[][] => nearMisses.filter((n) => n.stepId === id).map((n) => n.fails);
    expect(byStep('default-bridge')).toContainEqual(['default-containers-running']);
    expect(byStep('create-network')).toEqual([['network-created']]);
    expect(byStep('run-on-custom')).toEqual([['custom-bbox02-on-network', 'custom-bbox03-on-network']]);
    expect(byStep('ping-by-name')).toEqual([['ping-custom-by-name', 'ping-custom-by-ip'], ['embedded-dns-seen']]);
    // By IP instead of by name, and an echo that runs nothing.
    expect(byStep('no-dns-on-bridge')).toEqual([['name-fails-on-bridge'], ['name-fails-on-bridge']]);
    expect(byStep('connect-default')).toEqual([['default-bbox01-connected', 'reach-default-by-name']]);
    // A near miss that only pings must fail on something besides the typed command.
    const ping = nearMisses.find((n) => n.stepId === 'ping-by-ip')!;
    expect(ping.commands.some((cmd) => /\becho\b/.test(cmd.command) || /docker exec \S+ ping -c 2 \$\(/.test(cmd.command))).toBe(true);
    expect(defs.has('ping-default-by-ip')).toBe(true);
  });
});
