// The shipped course must load without a single problem, and the DNS lesson's
// command patterns must accept its own solutions and refuse its near misses.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckpointDef } from './checkpoint-schema';
import { loadLessons, type LoadedLesson } from './loader';

const ROOT = join(__dirname, '..', '..', '..', 'lessons');

/** Stand-in addresses, substituted the way the checkpoint engine does (escaped). */
const IPS: Record<string, string> = {
  'default_bbox02@bridge': '172.17.0.3',
  'custom_bbox03@custom_network': '172.19.0.3',
};

function commandPatterns(def: CheckpointDef): RegExp[] {
  return def.when.flatMap((c) =>
    c.kind === 'command'
      ? [new RegExp(c.pattern.replace(/\$\{ip:([^}]+)\}/g, (_, key: string) => (IPS[key] ?? '0.0.0.0').replace(/\./g, '\\.')))]
      : [],
  );
}

function matches(def: CheckpointDef, command: string): boolean {
  return commandPatterns(def).every((re) => re.test(command));
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

  it('accepts each step solution in its command conditions', async () => {
    const { lesson, defs } = await dns();
    for (const step of lesson.steps) {
      for (const id of step.checkpointIds) {
        const def = defs.get(id)!;
        if (commandPatterns(def).length === 0) continue;
        expect(step.solution.some((cmd) => matches(def, cmd.command)), `${id} matches no solution of ${step.id}`).toBe(true);
      }
    }
  });

  it('accepts the typed forms a learner uses and refuses look-alikes', async () => {
    const { defs } = await dns();
    const cases: [string, string, boolean][] = [
      ['ping-default-by-ip', 'docker exec default_bbox01 ping -c 2 172.17.0.3', true],
      ['ping-default-by-ip', 'docker exec -it default_bbox01 ping -c 2 172.17.0.3', true],
      ['ping-default-by-ip', 'docker container exec -i -t default_bbox01 ping -c2 172.17.0.3', true],
      ['ping-default-by-ip', 'docker exec default_bbox01 ping -c 2 172.17.0.30', false],
      ['ping-default-by-ip', 'docker exec default_bbox02 ping -c 2 172.17.0.3', false],
      ['name-fails-on-bridge', 'docker exec -it default_bbox01 ping -c 1 default_bbox02', true],
      ['name-fails-on-bridge', 'docker exec default_bbox02 ping -c 1 default_bbox01', false],
      ['name-fails-on-bridge', 'docker exec default_bbox01 ping -c 1 default_bbox022', false],
      ['ping-custom-by-ip', 'docker exec custom_bbox02 ping -c 2 172.19.0.3', true],
      ['ping-custom-by-name', 'docker exec -it custom_bbox02 ping -c 2 custom_bbox03', true],
      ['ping-custom-by-name', "docker exec custom_bbox02 ping -c 2 $(docker inspect -f '{{.Name}}' custom_bbox03)", false],
      ['embedded-dns-seen', 'docker exec -it custom_bbox03 cat /etc/resolv.conf', true],
      ['embedded-dns-seen', 'docker exec default_bbox01 cat /etc/resolv.conf', false],
      ['reach-default-by-name', 'docker exec custom_bbox02 ping -c 2 default_bbox01', true],
      ['reach-default-by-name', 'docker exec custom_bbox02 ping -c 2 default_bbox02', false],
    ];
    for (const [id, cmd, want] of cases) expect(matches(defs.get(id)!, cmd), `${id}: ${cmd}`).toBe(want);
  });

  it('has near misses for the mistakes the brief names', async () => {
    const { nearMisses, defs } = await dns();
    const byStep = (id: string): string[][] => nearMisses.filter((n) => n.stepId === id).map((n) => n.fails);
    expect(byStep('default-bridge')).toContainEqual(['default-containers-running']);
    expect(byStep('create-network')).toEqual([['network-created']]);
    expect(byStep('run-on-custom')).toEqual([['custom-bbox02-on-network', 'custom-bbox03-on-network']]);
    expect(byStep('ping-by-name')).toEqual([['ping-custom-by-name', 'ping-custom-by-ip'], ['embedded-dns-seen']]);
    expect(byStep('no-dns-on-bridge')).toEqual([['name-fails-on-bridge']]);
    expect(byStep('connect-default')).toEqual([['default-bbox01-connected', 'reach-default-by-name']]);
    // A near miss that only pings must fail on something besides the typed command.
    const ping = nearMisses.find((n) => n.stepId === 'ping-by-ip')!;
    expect(ping.commands.some((cmd) => matches(defs.get('ping-default-by-ip')!, cmd.command))).toBe(false);
  });
});
