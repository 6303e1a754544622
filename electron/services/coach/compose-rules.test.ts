// The Compose rules, through the coach's own entry points (so their
// registration is tested too), each with a near-identical case that is no
// mistake: a name conflict of a plain docker run, busybox services that stay
// up, docker-compose that exists.
import { describe, expect, it } from 'vitest';
import type { CommandRecord, ContainerNode, Topology } from '../../api/types';
import type { EngineRecord } from '../relay/engine-record';
import { coach, coachRecords } from './coach';
import { COMPOSE_ENGINE_RULES, COMPOSE_RULES } from './compose-rules';
import { ENGINE_RULES } from './engine-rules';
import { RULES } from './rules';

function box(name: string, image: string, state: string): ContainerNode {
  return { id: `id-${name}`, name, image, state, networkMode: 'lab10_default', networks: [], createdByLab: true };
}

function topo(containers: ContainerNode[] = []): Topology {
  return {
    networks: ['bridge', 'host', 'none', 'lab10_default'].map((name) => ({ id: `${name}-id`, name, driver: 'bridge', builtin: name !== 'lab10_default', createdByLab: false })),
    containers,
  };
}

const CONFLICT = 'Conflict. The container name "/lab10-web" is already in use by container "9c1dbc443ea1a7f1137838e439d17a8e1778d0ed9ed3603f18345fb9c6a509b5". You have to remove (or rename) that container to be able to reuse that name.';

function create(body: unknown): EngineRecord {
  return { seq: 1, at: '', op: 'container.create', method: 'POST', path: '/containers/create', query: { name: 'lab10-web' }, status: 409, durationMs: 1, error: CONFLICT, body };
}

function ruleOf(command: string, exitCode: number, topology: Topology): string | undefined {
  const record: CommandRecord = { terminalId: 'host-1', command, exitCode, finishedAt: '2026-01-01T00:00:00.000Z' };
  return coach({ record, topology })?.rule;
}

describe('compose rules', () => {
  it('are registered with the coach', () => {
    for (const r of COMPOSE_ENGINE_RULES) expect(ENGINE_RULES).toContain(r);
    for (const r of COMPOSE_RULES) expect(RULES).toContain(r);
  });

  it('compose-name-taken: a Compose create refused for a name a docker run holds', () => {
    const hints = coachRecords({ records: [create({ Image: 'httpd', Labels: { 'com.docker.compose.project': 'lab10', 'com.docker.compose.service': 'web' } })], topology: topo() });
    expect(hints.map((h) => h.rule)).toEqual(['compose-name-taken']);
    expect(hints[0]?.message.en).toContain('for the service web');
    expect(hints[0]?.message.en).toContain('docker rm -f lab10-web');
    expect(hints[0]?.message['zh-CN']).toContain('服务 web');
  });

  it('compose-name-taken: a plain docker run conflict is the general rule\'s', () => {
    const hints = coachRecords({ records: [create({ Image: 'httpd', Labels: { 'dev.netlab.lab': 'x' } })], topology: topo() });
    expect(hints.map((h) => h.rule)).toEqual(['name-in-use']);
  });

  it('compose-shell-exited: busybox services that stopped right after docker compose up -d', () => {
    const t = topo([box('lab10-web', 'httpd', 'running'), box('lab10-app', 'busybox', 'exited'), box('lab10-db', 'busybox', 'exited')]);
    expect(ruleOf('docker compose up -d', 0, t)).toBe('compose-shell-exited');
    const hint = coach({ record: { terminalId: 'h', command: 'docker compose up -d', exitCode: 0, finishedAt: '' }, topology: t });
    expect(hint?.message.en).toContain('lab10-app, lab10-db');
    expect(hint?.message.en).toContain('stdin_open: true');
  });

  it('compose-shell-exited: silent when they run, and for other commands', () => {
    const up = topo([box('lab10-app', 'busybox', 'running'), box('lab10-db', 'busybox', 'running')]);
    expect(ruleOf('docker compose up -d', 0, up)).toBeUndefined();
    const down = topo([box('lab10-app', 'busybox', 'exited')]);
    expect(ruleOf('docker compose stop', 0, down)).toBeUndefined();
    expect(ruleOf('docker compose up -d', 1, down)).toBeUndefined();
  });

  it('compose-v1-missing: docker-compose is not installed, docker compose is', () => {
    expect(ruleOf('docker-compose up -d', 127, topo())).toBe('compose-v1-missing');
    const hint = coach({ record: { terminalId: 'h', command: 'docker-compose up -d', exitCode: 127, finishedAt: '' }, topology: topo() });
    expect(hint?.message.en).toContain('`docker compose up -d`');
    expect(ruleOf('docker-compose up -d', 0, topo())).toBeUndefined();
    expect(ruleOf('docker-compose up -d', 1, topo())).toBeUndefined();
  });
});
