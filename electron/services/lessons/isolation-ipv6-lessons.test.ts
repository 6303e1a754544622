// Lessons 12 (isolation) and 14 (IPv6) without an engine: their shape, and that
// their engine conditions accept the calls the solutions make and refuse the
// look-alikes (lessons:test proves them against the real engine).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerNode } from '../../api/types';
import { evaluateAll } from '../checkpoints/conditions';
import type { EngineRecord } from '../relay/engine-record';
import { loadLessons, type LoadedLesson } from './loader';
import { execRecord, recordsContext } from '../checkpoints/test-fixtures/engine-evidence';

const ROOT = join(__dirname, '..', '..', '..', 'lessons');

async function lesson(id: string): Promise<LoadedLesson> {
  const { lessons } = await loadLessons(ROOT, 'builtin');
  const found = lessons.find((l) => l.lesson.id === id);
  expect(found).toBeDefined();
  return found as LoadedLesson;
}

function node(name: string, attachments: [string, string, string?][]): ContainerNode {
  return {
    id: `id-${name}`, name, image: 'busybox', state: 'running', networkMode: attachments[0]![0], createdByLab: true,
    networks: attachments.map(([network, ip, ip6]) => ({ network, ip, mac: '', gateway: '', ...(ip6 ? { ip6 } : {}) })),
  };
}

const NODES = [
  node('front_box', [['front_net', '172.20.0.2']]),
  node('back_box', [['back_net', '172.21.0.2']]),
  node('vault_box', [['vault_net', '172.22.0.2']]),
  node('v6_a', [['v6_net', '172.30.0.2', 'fd00:c0de:14::2']]),
  node('v6_b', [['v6_net', '172.30.0.3', 'fd00:c0de:14::3']]),
];



/** Whether the checkpoint's engine conditions accept this exec (its other conditions are the engine's to prove). */
async function accepts(loaded: LoadedLesson, id: string, record: EngineRecord): Promise<boolean> {
  const def = loaded.defs.get(id);
  const engine = def?.when.filter((c) => c.kind === 'engine' && c.call === 'exec') ?? [];
  expect(engine.length, id).toBeGreaterThan(0);
  return (await evaluateAll(engine, recordsContext([record], NODES))).ok;
}

describe('lesson 12: isolation', () => {
  it('sits at 12 with hints, quizzes and near misses on every step, and no command conditions', async () => {
    const loaded = await lesson('isolation');
    expect(loaded.lesson.order).toBe(12);
    expect(loaded.lesson.requires).toBeUndefined();
    for (const step of loaded.lesson.steps) {
      expect(step.hints.length, step.id).toBeGreaterThanOrEqual(1);
      expect(loaded.nearMisses.some((n) => n.stepId === step.id), step.id).toBe(true);
    }
    expect(loaded.lesson.quizzes.length).toBeGreaterThanOrEqual(4);
    for (const def of loaded.defs.values()) expect(def.when.some((c) => c.kind === 'command'), def.id).toBe(false);
    // The internal flag is checked both ways.
    const internal = [...loaded.defs.values()].flatMap((d) => d.when).filter((c) => c.kind === 'network' && c.internal !== undefined);
    expect(internal.some((c) => c.kind === 'network' && c.internal === true)).toBe(true);
    expect(internal.some((c) => c.kind === 'network' && c.internal === false)).toBe(true);
  });

  it('accepts the execs the engine sees and refuses look-alikes', async () => {
    const loaded = await lesson('isolation');
    const cases: [string, EngineRecord, boolean][] = [
      ['blocked-by-ip', execRecord('front_box', 'ping -c 2 -W 1 172.21.0.2', 1), true],
      ['blocked-by-ip', execRecord('front_box', 'ping -c 2 -W 1 172.21.0.2', 0), false],
      ['blocked-by-ip', execRecord('front_box', 'ping -c 2 -W 1 172.21.0.20', 1), false],
      ['blocked-by-ip', execRecord('back_box', 'ping -c 2 -W 1 172.21.0.2', 1), false],
      ['blocked-by-name', execRecord('front_box', 'ping -c 1 back_box', 1), true],
      ['blocked-by-name', execRecord('front_box', 'ping -c 1 back_box2', 1), false],
      ['reach-by-name', execRecord('front_box', 'ping -c 2 back_box'), true],
      ['reach-by-name', execRecord('front_box', 'ping -c 2 back_box', 1), false],
      ['new-interface-seen', execRecord('front_box', 'ip addr'), true],
      ['new-interface-seen', execRecord('front_box', 'ip -4 a'), true],
      ['new-interface-seen', execRecord('front_box', 'ip route'), false],
      ['way-out-from-back', execRecord('back_box', 'wget -q -O- http://172.21.0.1:48080/'), true],
      ['way-out-from-back', execRecord('back_box', 'wget -q -O- http://172.21.0.1:48080/', 1), false],
      ['way-out-from-back', execRecord('back_box', 'wget -q -O- http://172.21.0.1:4808/'), false],
      // Any exit code from the vault: the network's internal flag is the proof.
      ['no-way-out-from-vault', execRecord('vault_box', 'timeout 3 wget -q -O- http://172.22.0.1:48080/', 143), true],
      ['no-way-out-from-vault', execRecord('vault_box', 'timeout 3 wget -q -O- http://172.22.0.1:48080/', 1), true],
      ['no-way-out-from-vault', execRecord('vault_box', 'wget -q -T 3 -O- http://172.22.0.1:48080/', 1), true],
      ['no-way-out-from-vault', execRecord('vault_box', 'wget -q -T 3 -O- http://172.22.0.1:48080/', 139), true],
      ['no-way-out-from-vault', execRecord('vault_box', 'timeout 3 ping -c 1 172.22.0.1:48080/', 1), false],
      ['no-way-out-from-vault', execRecord('vault_box', 'timeout x wget -q -O- http://172.22.0.1:48080/', 1), false],
      ['no-way-out-from-vault', execRecord('vault_box', 'ping -c 1 172.22.0.1', 0), false],
      ['no-way-out-from-vault', execRecord('front_box', 'timeout 3 wget -q -O- http://172.20.0.1:48080/'), false],
      ['reach-vault-by-name', execRecord('front_box', 'ping -c 2 vault_box'), true],
      ['reach-vault-by-name', execRecord('vault_box', 'ping -c 2 front_box'), false],
    ];
    for (const [id, record, want] of cases) {
      expect(await accepts(loaded, id, record), `${id}: ${record.exec!.container} ${record.exec!.command.join(' ')} (exit ${record.exec!.exitCode})`).toBe(want);
    }
  });
});

describe('lesson 14: IPv6', () => {
  it('sits at 14 and needs IPv6 as a whole, so every step carries the need', async () => {
    const loaded = await lesson('ipv6');
    expect(loaded.lesson.order).toBe(14);
    expect(loaded.lesson.requires).toEqual(['ipv6']);
    for (const step of loaded.lesson.steps) expect(step.requires, step.id).toEqual(['ipv6']);
    for (const def of loaded.defs.values()) expect(def.when.some((c) => c.kind === 'command'), def.id).toBe(false);
  });

  it('accepts a ping over IPv6 and refuses one over IPv4', async () => {
    const loaded = await lesson('ipv6');
    const cases: [string, EngineRecord, boolean][] = [
      ['ping6-by-address', execRecord('v6_a', 'ping -c 2 fd00:c0de:14::3'), true],
      ['ping6-by-address', execRecord('v6_a', 'ping -6 -c 2 fd00:c0de:14::3'), true],
      ['ping6-by-address', execRecord('v6_a', 'ping6 -c 2 fd00:c0de:14::3'), true],
      ['ping6-by-address', execRecord('v6_a', 'ping -c 2 fd00:c0de:14::33'), false],
      ['ping6-by-address', execRecord('v6_a', 'ping -c 2 fd00:c0de:14::2'), false],
      ['ping6-by-address', execRecord('v6_a', 'ping -c 2 172.30.0.3'), false],
      ['ping6-by-address', execRecord('v6_a', 'ping -c 2 fd00:c0de:14::3', 1), false],
      ['ping6-by-name', execRecord('v6_a', 'ping -6 -c 2 v6_b'), true],
      ['ping6-by-name', execRecord('v6_a', 'ping -c 2 -6 v6_b'), true],
      ['ping6-by-name', execRecord('v6_a', 'ping6 -c 2 v6_b'), true],
      ['ping6-by-name', execRecord('v6_a', 'ping -c 2 v6_b'), false],
      ['ping6-by-name', execRecord('v6_a', 'ping -4 -c 2 v6_b'), false],
      ['ping6-by-name', execRecord('v6_a', 'ping -6 -c 2 v6_bb'), false],
      ['ping6-by-name', execRecord('v6_b', 'ping -6 -c 2 v6_b'), false],
      ['link-local-seen', execRecord('v6_b', 'ip -6 addr'), true],
      ['link-local-seen', execRecord('v6_b', 'ip addr'), false],
      ['link-local-seen', execRecord('v6_b', 'ip -6 route'), false],
    ];
    for (const [id, record, want] of cases) {
      expect(await accepts(loaded, id, record), `${id}: ${record.exec!.container} ${record.exec!.command.join(' ')} (exit ${record.exec!.exitCode})`).toBe(want);
    }
  });
});
