// A lesson's setup against the real engine: the app runs it in the lab through
// a quiet relay, so what it makes carries the lab label and is no one's
// evidence; a second run finds it there; a reset removes it and setup makes
// the same start again; an instructor's lesson runs nothing before consent;
// a failing setup says which command failed and removes nothing of the learner's.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_LABEL } from '../../electron/services/relay/host-relays';
import { allowLesson, startTestServices, type TestServices } from '../support/services';
import { containerNames, dockerCli, networkNames, removeByPrefix } from '../support/docker';

const LESSONS = resolve(__dirname, '../fixtures/courses/setup-course');
const PREFIXES = ['itest-su-', 'itest-sf-'];

let t: TestServices;

async function label(kind: 'container' | 'network', name: string): Promise<string> {
  const labels = kind === 'container' ? '.Config.Labels' : '.Labels';
  return dockerCli(kind === 'container' ? 'container' : 'network', 'inspect', '-f', `{{index ${labels} "${LAB_LABEL}"}}`, name);
}

beforeAll(async () => {
  for (const p of PREFIXES) await removeByPrefix(p);
  t = await startTestServices('netlab-setup-', LESSONS);
});

afterAll(async () => {
  await t?.services.dispose();
  for (const p of PREFIXES) await removeByPrefix(p);
});

describe('a lesson setup', () => {
  it('waits for consent in an instructor\'s lesson, and runs nothing before it', async () => {
    await t.api['lab.open']({ lessonId: 'setup-lab' });
    expect(await t.api['lab.setup']({ lessonId: 'setup-lab' })).toEqual({ state: 'needs-consent' });
    expect(await containerNames('itest-su-')).toEqual([]);
    expect(await networkNames('itest-su-')).toEqual([]);
    const consent = await t.api['lessons.consent']({ lessonId: 'setup-lab' });
    expect(consent.setup?.map((c) => c.command)).toEqual([
      'docker network create itest-su-net',
      'docker run -d --name itest-su-web --network itest-su-net busybox sleep 600',
      'echo ready > /tmp/state; cat /tmp/state',
    ]);
  });

  it('once allowed, makes its objects with the lab label, in the ledger and the model, and is not evidence', async () => {
    await allowLesson(t, 'setup-lab');
    expect(await t.api['lab.setup']({ lessonId: 'setup-lab' })).toEqual({ state: 'done' });
    const value = await label('container', 'itest-su-web');
    expect(value).toMatch(/^[0-9a-f]{16}$/);
    expect(await label('network', 'itest-su-net')).toBe(value);
    // The container command ran inside it.
    expect(await dockerCli('exec', 'itest-su-web', 'cat', '/tmp/state')).toBe('ready');
    const topology = await t.api['lab.topology']({});
    expect(topology.containers.find((c) => c.name === 'itest-su-web')?.createdByLab).toBe(true);
    expect(topology.networks.find((n) => n.name === 'itest-su-net')?.createdByLab).toBe(true);
    // The checkpoint waits for the learner's own container.
    const statuses = await t.api['lab.evaluate']({});
    expect(statuses.find((s) => s.id === 'side-on-net')?.status).toBe('failed');
    // The engine saw setup create the network, but through the quiet relay: no evidence of the learner's.
    expect(statuses.find((s) => s.id === 'net-created-by-learner')?.status).toBe('failed');
  });

  it('a second run finds the lab already set up and runs nothing', async () => {
    const before = await dockerCli('inspect', '-f', '{{.Id}}', 'itest-su-web');
    expect(await t.api['lab.setup']({ lessonId: 'setup-lab' })).toEqual({ state: 'present', present: ['itest-su-net', 'itest-su-web'] });
    expect(await dockerCli('inspect', '-f', '{{.Id}}', 'itest-su-web')).toBe(before);
  });

  it('a reset removes what setup made, and setup then gives the same start', async () => {
    await dockerCli('run', '-d', '--name', 'itest-su-side', '--network', 'itest-su-net', 'busybox', 'sleep', '600').catch(() => undefined);
    const reset = await t.api['lab.reset']({});
    expect(reset.failed).toEqual([]);
    expect(await containerNames('itest-su-')).toEqual([]);
    expect(await networkNames('itest-su-')).toEqual([]);
    expect(await t.api['lab.setup']({ lessonId: 'setup-lab' })).toEqual({ state: 'done' });
    expect(await containerNames('itest-su-')).toEqual(['itest-su-web']);
    expect(await networkNames('itest-su-')).toEqual(['itest-su-net']);
    expect(await dockerCli('inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', 'itest-su-web')).toBe('itest-su-net');
    await t.api['lab.reset']({});
    expect(await containerNames('itest-su-')).toEqual([]);
  });

  it('a failing setup names the command and the engine\'s words, and removes nothing of the learner\'s', async () => {
    // The learner's own container, not the lab's.
    await t.api['lab.close']({});
    await dockerCli('run', '-d', '--name', 'itest-sf-mine', 'busybox', 'sleep', '600');
    await t.api['lab.open']({ lessonId: 'setup-fails' });
    await allowLesson(t, 'setup-fails');
    const result = await t.api['lab.setup']({ lessonId: 'setup-fails' });
    expect(result.state).toBe('failed');
    expect(result.failed?.command).toBe('docker network connect itest-sf-net itest-sf-missing');
    expect(result.failed?.message).toMatch(/itest-sf-missing/);
    // It stopped there: the third command did not run, and nothing was removed.
    expect(await containerNames('itest-sf-')).toEqual(['itest-sf-mine']);
    expect(await networkNames('itest-sf-')).toEqual(['itest-sf-net']);
    await t.api['lab.reset']({});
    expect(await containerNames('itest-sf-')).toEqual(['itest-sf-mine']);
    expect(await networkNames('itest-sf-')).toEqual([]);
  });

  it('refuses to set up a lab that is not open', async () => {
    await expect(t.api['lab.setup']({ lessonId: 'setup-lab' })).rejects.toThrow(/not open/);
  });
});
