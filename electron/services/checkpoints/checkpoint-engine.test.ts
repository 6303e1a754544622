import { describe, expect, it } from 'vitest';
import type { CheckpointStatus, ContainerNode, NetworkNode } from '../../api/types';
import { checkpointSchema } from '../lessons/checkpoint-schema';
import { CheckpointEngine } from './checkpoint-engine';
import type { ConditionContext } from './conditions';

const defs = [
  checkpointSchema.parse({ id: 'net', title: { en: 'n', 'zh-CN': 'n' }, when: [{ kind: 'network', network: 'custom_network' }] }),
  checkpointSchema.parse({ id: 'live-net', live: true, title: { en: 'l', 'zh-CN': 'l' }, when: [{ kind: 'network', network: 'custom_network' }] }),
];

function contextOf(nets: NetworkNode[]): ConditionContext {
  return {
    container: () => undefined,
    network: (n) => nets.find((x) => x.name === n),
    commands: () => [],
    engineRecords: () => [],
    output: () => '',
    probeRefusal: () => undefined,
    probe: async () => ({ exitCode: 0, output: '', timedOut: false }),
    quizCorrect: () => false,
  };
}

function setup(): { engine: CheckpointEngine; nets: NetworkNode[]; updates: CheckpointStatus[][]; passed: Record<string, string>[] } {
  const nets: NetworkNode[] = [];
  const updates: CheckpointStatus[][] = [];
  const passed: Record<string, string>[] = [];
  const engine = new CheckpointEngine({ context: contextOf(nets), onChange: (s) => updates.push(s), onPassed: (p) => passed.push(p), debounceMs: 1 });
  return { engine, nets, updates, passed };
}

const byId = (s: CheckpointStatus[]): Record<string, string> => Object.fromEntries(s.map((x) => [x.id, x.status]));

describe('CheckpointEngine', () => {
  it('starts pending, fails with a reason, passes after the action, and reports new passes once', async () => {
    const { engine, nets, passed } = setup();
    engine.open(defs);
    expect(byId(engine.statuses())).toEqual({ net: 'pending', 'live-net': 'pending' });
    expect(byId(await engine.evaluate())).toEqual({ net: 'failed', 'live-net': 'failed' });
    expect(engine.statuses()[0]?.reason?.en).toContain('custom_network');
    nets.push({ id: 'x', name: 'custom_network', driver: 'bridge', builtin: false, createdByLab: true });
    expect(byId(await engine.evaluate())).toEqual({ net: 'passed', 'live-net': 'passed' });
    await engine.evaluate();
    expect(passed).toHaveLength(1);
    expect(Object.keys(passed[0]!)).toEqual(['net', 'live-net']);
  });

  it('keeps a passed checkpoint passed, but a live one follows the state', async () => {
    const { engine, nets } = setup();
    engine.open(defs);
    nets.push({ id: 'x', name: 'custom_network', driver: 'bridge', builtin: false, createdByLab: true });
    await engine.evaluate();
    nets.pop();
    expect(byId(await engine.evaluate())).toEqual({ net: 'passed', 'live-net': 'failed' });
  });

  it('shows earlier progress as passed, but not for live checkpoints', () => {
    const { engine } = setup();
    engine.open(defs, { net: '2026-01-01T00:00:00Z', 'live-net': '2026-01-01T00:00:00Z' });
    expect(byId(engine.statuses())).toEqual({ net: 'passed', 'live-net': 'pending' });
  });

  it('sets aside a checkpoint this engine cannot do: unavailable with what it lacks, never failed, while the rest is judged', async () => {
    const { engine, nets, passed } = setup();
    const unmet = [{ need: 'host-network' as const, cause: 'bridge-not-seen' as const, detail: 'docker0' }];
    engine.open(defs, {}, new Map([['live-net', unmet]]));
    expect(engine.statuses()).toEqual([
      { id: 'net', status: 'pending' },
      { id: 'live-net', status: 'unavailable', unmet },
    ]);
    // Its conditions would fail (no network yet) and then pass: neither touches it.
    expect(byId(await engine.evaluate())).toEqual({ net: 'failed', 'live-net': 'unavailable' });
    nets.push({ id: 'x', name: 'custom_network', driver: 'bridge', builtin: false, createdByLab: true });
    engine.trigger();
    expect(byId(await engine.evaluate())).toEqual({ net: 'passed', 'live-net': 'unavailable' });
    expect(passed.flatMap((p) => Object.keys(p))).toEqual(['net']);
    // Pausing for a lost engine leaves it as it is.
    engine.pause();
    expect(byId(engine.statuses())['live-net']).toBe('unavailable');
  });

  it('an earlier pass stays passed even where the engine now lacks what the step needs', () => {
    const { engine } = setup();
    engine.open(defs, { net: '2026-01-01T00:00:00Z' }, new Map([['net', [{ need: 'ipv6' as const, cause: 'refused' as const }]]]));
    expect(byId(engine.statuses())).toEqual({ net: 'passed', 'live-net': 'pending' });
  });

  it('debounces triggers into one evaluation and pauses while the engine is down', async () => {
    const { engine, updates } = setup();
    engine.open(defs);
    for (let i = 0; i < 10; i++) engine.trigger();
    await new Promise((r) => setTimeout(r, 30));
    expect(updates).toHaveLength(1);
    engine.pause();
    expect(byId(engine.statuses())).toEqual({ net: 'pending', 'live-net': 'pending' });
    engine.trigger();
    await new Promise((r) => setTimeout(r, 30));
    expect(updates).toHaveLength(2); // only the pause itself
    engine.resume();
    await new Promise((r) => setTimeout(r, 30));
    expect(byId(engine.statuses())).toEqual({ net: 'failed', 'live-net': 'failed' });
  });

  it('decides a state checkpoint on the trigger itself, without waiting for the debounce', () => {
    const { engine, nets, updates } = setup();
    const slow = new CheckpointEngine({ context: contextOf(nets), onChange: (st) => updates.push(st), debounceMs: 60_000 });
    slow.open(defs);
    nets.push({ id: 'x', name: 'custom_network', driver: 'bridge', builtin: false, createdByLab: true });
    slow.trigger();
    expect(byId(slow.statuses())).toEqual({ net: 'passed', 'live-net': 'passed' });
    expect(updates).toHaveLength(1);
    slow.close();
    engine.close();
  });

  it('leaves probes to the debounced evaluation, and an older evaluation never overrides a fresher decision', async () => {
    const nets: NetworkNode[] = [];
    const updates: CheckpointStatus[][] = [];
    let finishProbe: (() => void) | undefined;
    const context: ConditionContext = {
      ...contextOf(nets),
      container: (name) => ({ id: name, name, image: 'busybox', state: 'running', networkMode: 'bridge', networks: [], createdByLab: true }) as unknown as ContainerNode,
      probe: () => new Promise((done) => (finishProbe = () => done({ exitCode: 0, output: '', timedOut: false }))),
    };
    const probeDef = checkpointSchema.parse({ id: 'ping', title: { en: 'p', 'zh-CN': 'p' }, when: [{ kind: 'probe', container: 'box', command: ['true'] }] });
    const engine = new CheckpointEngine({ context, onChange: (st) => updates.push(st), debounceMs: 60_000 });
    engine.open([defs[1]!, probeDef]);
    engine.trigger();
    expect(byId(engine.statuses())).toEqual({ 'live-net': 'failed', ping: 'pending' });

    const evaluation = engine.evaluate(); // reads the model now: no network yet
    nets.push({ id: 'x', name: 'custom_network', driver: 'bridge', builtin: false, createdByLab: true });
    engine.trigger();
    expect(byId(engine.statuses())).toEqual({ 'live-net': 'passed', ping: 'pending' });
    await new Promise((r) => setTimeout(r, 0));
    finishProbe?.();
    expect(byId(await evaluation)).toEqual({ 'live-net': 'passed', ping: 'passed' });
    expect(updates.map((u) => byId(u)['live-net'])).toEqual(['failed', 'passed', 'passed']);
    engine.close();
  });
});
