// The alias rules, through the coach's own entry points (so their registration
// is tested too): the engine's refusal of an alias on the default bridge, as
// Docker words it before and after 25, and the swapped alias flags; each with
// a near-identical case that is no mistake.
import { describe, expect, it } from 'vitest';
import type { CommandRecord, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { ALIAS_ENGINE_RULES, ALIAS_RULES } from './alias-rules';
import { coach, coachRecords } from './coach';
import { ENGINE_RULES } from './engine-rules';
import { RULES } from './rules';

const TOPO: Topology = {
  networks: ['bridge', 'host', 'none', 'alias_net'].map((name) => ({ id: `${name}-id`, name, driver: 'bridge', builtin: name !== 'alias_net', createdByLab: false })),
  containers: [],
};

function create(status: number, error?: string, name = 'web01'): EngineRecord {
  return { seq: 1, at: '', op: 'container.create', method: 'POST', path: '/containers/create', query: { name }, status, durationMs: 1, ...(error ? { error } : {}) };
}

function line(command: string, exitCode: number): string | undefined {
  const record: CommandRecord = { terminalId: 'host-1', command, exitCode, finishedAt: '2026-01-01T00:00:00.000Z' };
  return coach({ record, topology: TOPO })?.rule;
}

describe('alias rules', () => {
  it('are registered with the coach', () => {
    for (const r of ALIAS_ENGINE_RULES) expect(ENGINE_RULES).toContain(r);
    for (const r of ALIAS_RULES) expect(RULES).toContain(r);
  });

  it('alias-on-default-bridge: explains the refused create, in both wordings', () => {
    for (const error of [
      'network-scoped aliases are only supported for user-defined networks',
      'network-scoped alias is supported only for containers in user defined networks',
    ]) {
      const hints = coachRecords({ records: [create(400, error)], topology: TOPO });
      expect(hints.map((h) => h.rule)).toEqual(['alias-on-default-bridge']);
      expect(hints[0]?.message.en).toContain('--net alias_net --network-alias web');
      expect(hints[0]?.message['zh-CN']).toContain('用户自定义网络');
    }
  });

  it('alias-on-default-bridge: silent for an accepted create and for other refusals', () => {
    expect(coachRecords({ records: [create(201)], topology: TOPO })).toEqual([]);
    const other = coachRecords({ records: [create(400, 'invalid reference format')], topology: TOPO });
    expect(other.map((h) => h.rule)).not.toContain('alias-on-default-bridge');
  });

  it('alias-on-default-bridge-cli: the CLI refused it before any engine call', () => {
    expect(line('docker run -di --name web01 --network-alias web busybox', 125)).toBe('alias-on-default-bridge-cli');
    expect(line('docker run -di --name web01 --net bridge --net-alias web busybox', 125)).toBe('alias-on-default-bridge-cli');
    expect(line('docker run -di --name web01 --net alias_net --network-alias web busybox', 0)).toBeUndefined();
    expect(line('docker run -di --name web01 --net alias_net --network-alias web busybox', 125)).toBeUndefined();
  });

  it('alias-flag-on-run: --alias on docker run', () => {
    expect(line('docker run -di --name web01 --net alias_net --alias web busybox', 125)).toBe('alias-flag-on-run');
    expect(line('docker run -di --name web01 --net alias_net --network-alias web busybox', 0)).toBeUndefined();
    expect(line('docker run -di --name web01 --net alias_net --net-alias web busybox', 0)).toBeUndefined();
  });

  it('network-alias-flag-on-connect: --network-alias on docker network connect, with the fix spelled out', () => {
    const record: CommandRecord = { terminalId: 'h', command: 'docker network connect --network-alias web alias_net web02', exitCode: 125, finishedAt: '' };
    const hint = coach({ record, topology: TOPO });
    expect(hint?.rule).toBe('network-alias-flag-on-connect');
    expect(hint?.message.en).toContain('docker network connect --alias web alias_net web02');
    expect(line('docker network connect --alias web alias_net web02', 0)).toBeUndefined();
  });
});
