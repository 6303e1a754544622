// Lesson 10 (compose) checks what Compose did, whichever Compose did it: its
// engine conditions accept the creates of Compose v1 (docker-compose 1.29, as
// this project's machines have) and v2 (learners' `docker compose`), which
// differ in the body but carry the same name and project label, and refuse
// the same objects made by hand with docker commands.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandCount, commandsToInput } from '../../api/command-input';
import { evaluateAll } from '../checkpoints/conditions';
import type { EngineRecord } from '../relay/engine-record';
import type { CheckpointDef } from './checkpoint-schema';
import { loadLessons, type LoadedLesson } from './loader';
import { recordsContext } from '../checkpoints/test-fixtures/engine-evidence';

const ROOT = join(__dirname, '..', '..', '..', 'lessons');


let seq = 0;
function created(op: 'network.create' | 'container.create', body: unknown): EngineRecord {
  return { seq: ++seq, at: '', op, method: 'POST', path: `/${op.split('.')[0]}s/create`, query: {}, status: 201, durationMs: 1, body };
}

/** What each Compose sends to create the project's networks and a service's container (labels as they set them). */
const network = {
  v1: (name: string, key: string) => created('network.create', { Name: name, Driver: null, Options: {}, IPAM: null, CheckDuplicate: true, Labels: { 'com.docker.compose.network': key, 'com.docker.compose.project': 'lab10', 'com.docker.compose.version': '1.29.2', 'dev.netlab.lab': 'x' }, Internal: false, Attachable: false, EnableIPv6: false }),
  v2: (name: string, key: string) => created('network.create', { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { 'com.docker.compose.network': key, 'com.docker.compose.project': 'lab10', 'com.docker.compose.version': '2.29.7', 'dev.netlab.lab': 'x' } }),
  byHand: (name: string) => created('network.create', { Name: name, CheckDuplicate: true, Driver: 'bridge', Labels: { 'dev.netlab.lab': 'x' } }),
};
const container = {
  v1: (service: string) => created('container.create', { Image: 'httpd', Labels: { 'com.docker.compose.project': 'lab10', 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' } }),
  v2: (service: string) => created('container.create', { Image: 'httpd', Labels: { 'com.docker.compose.project': 'lab10', 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False', 'com.docker.compose.depends_on': '' } }),
  byHand: () => created('container.create', { Image: 'httpd', Labels: { 'dev.netlab.lab': 'x' } }),
};

async function compose(): Promise<LoadedLesson> {
  const { lessons } = await loadLessons(ROOT, 'builtin');
  const lesson = lessons.find((l) => l.lesson.id === 'compose');
  expect(lesson).toBeDefined();
  return lesson as LoadedLesson;
}

/** Whether a checkpoint's engine conditions (only those) hold with these records. */
async function engineHolds(def: CheckpointDef | undefined, records: EngineRecord[]): Promise<boolean> {
  expect(def).toBeDefined();
  return (await evaluateAll((def as CheckpointDef).when.filter((c) => c.kind === 'engine'), recordsContext(records))).ok;
}

describe('the Compose lesson', () => {
  it('has the agreed steps and checkpoints, each placed in both locales', async () => {
    const { lesson } = await compose();
    expect(lesson.order).toBe(10);
    expect(lesson.images).toEqual(['busybox', 'httpd']);
    expect(Object.fromEntries(lesson.steps.map((s) => [s.id, s.checkpointIds]))).toEqual({
      'compose-up': ['project-up'],
      'service-names': ['ping-service-name', 'fetch-web', 'which-name'],
      'split-networks': ['networks-split'],
      isolation: ['web-cannot-reach-db', 'app-reaches-alias', 'why-isolated'],
      'compose-down': ['project-down', 'down-vs-stop'],
    });
    for (const step of lesson.steps) {
      expect(step.hints.length, step.id).toBeGreaterThanOrEqual(1);
      for (const id of step.checkpointIds) {
        const marker = lesson.quizzes.some((q) => q.id === id) ? 'quiz' : 'checkpoint';
        expect(step.body.en).toContain(`::: ${marker} ${id}\n`);
        expect(step.body['zh-CN']).toContain(`::: ${marker} ${id}\n`);
      }
    }
  });

  it('accepts what Compose v1 and v2 create, and refuses the same made by hand', async () => {
    const { defs } = await compose();
    for (const v of ['v1', 'v2'] as const) {
      expect(await engineHolds(defs.get('project-up'), [network[v]('lab10_default', 'default'), container[v]('web')]), v).toBe(true);
      expect(await engineHolds(defs.get('networks-split'), [network[v]('lab10_front', 'front'), network[v]('lab10_back', 'back')]), v).toBe(true);
      expect(await engineHolds(defs.get('project-down'), [network[v]('lab10_back', 'back')]), v).toBe(true);
    }
    expect(await engineHolds(defs.get('project-up'), [network.byHand('lab10_default'), container.byHand()])).toBe(false);
    expect(await engineHolds(defs.get('project-up'), [network.v2('lab10_default', 'default'), container.byHand()])).toBe(false);
    expect(await engineHolds(defs.get('networks-split'), [network.byHand('lab10_front'), network.byHand('lab10_back')])).toBe(false);
    // Another project's networks are not this one's.
    const other = created('network.create', { Name: 'lab10_back', Labels: { 'com.docker.compose.project': 'other' } });
    expect(await engineHolds(defs.get('project-down'), [other])).toBe(false);
  });

  it('teaches the v2 spelling: every docker compose command it types is v2', async () => {
    const { lesson, nearMisses } = await compose();
    const typed = [...lesson.steps.flatMap((s) => s.solution), ...nearMisses.flatMap((n) => n.commands)].map((c) => c.command);
    expect(typed.filter((c) => /\bdocker compose\b/.test(c)).length).toBeGreaterThan(3);
    expect(typed.filter((c) => /docker-compose/.test(c))).toEqual([]);
  });

  it('types every compose.yaml it writes as a valid file: the Run buttons and the solutions keep the indentation', async () => {
    const loaded = await compose();
    const blocks = [
      ...[...loaded.runnable.values()].map((b) => b.command),
      ...loaded.lesson.steps.flatMap((s) => s.solution.map((c) => c.command)),
      ...loaded.nearMisses.flatMap((n) => n.commands.map((c) => c.command)),
    ].filter((c) => c.includes('<<'));
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const block of blocks) {
      const typed = commandsToInput(block).split('\r');
      const start = typed.findIndex((l) => /<<'EOF'$/.test(l));
      const end = typed.indexOf('EOF', start + 1);
      expect(start, block).toBeGreaterThanOrEqual(0);
      expect(end, block).toBeGreaterThan(start);
      const file = parse(typed.slice(start + 1, end).join('\n')) as { services: Record<string, { image: string; container_name: string }> };
      expect(Object.keys(file.services)).toEqual(['web', 'app', 'db']);
      expect(file.services.web?.image).toBe('httpd');
      expect(file.services.db?.container_name).toBe('lab10-db');
      // The whole here-document is one command for "Do it for me" to wait for.
      expect(commandCount(block)).toBe(1);
    }
  });
});
