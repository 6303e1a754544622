// A lesson on an engine that lacks what some of its steps need: those steps'
// checkpoints are set aside ('unavailable', with the doctor's reason), never
// evaluated or failed, while the rest of the lesson is judged against the real
// engine as usual. The doctor's findings are given (this machine's engine has
// host networking); everything else is real.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointStatus, DoctorFindings } from '../../electron/api/types';
import { startTestServices, type TestServices } from '../support/services';

const LESSONS = join(__dirname, '..', '..', 'lessons');

function findings(hostNetwork: DoctorFindings['hostNetwork']): DoctorFindings {
  return {
    engine: { kind: 'podman', osType: 'linux', arch: 'amd64' },
    hostNetwork,
    hostNetworkFromComputer: hostNetwork,
    ipv6: { state: 'yes', cause: 'ok' },
    firewall: { backend: 'unknown', cause: 'not-said' },
  };
}

const noHostNetwork = findings({ state: 'no', cause: 'bridge-not-seen', detail: 'podman0' });

let t: TestServices | undefined;
afterEach(async () => {
  await t?.services.dispose();
  t = undefined;
});

const byId = (list: CheckpointStatus[]): Record<string, CheckpointStatus> => Object.fromEntries(list.map((s) => [s.id, s]));

describe('a lesson whose steps need host networking, on an engine without it', () => {
  it('sets those steps aside with the reason and judges the rest', async () => {
    t = await startTestServices('e18doctor-lab-', LESSONS, {}, { examineEngine: async () => noHostNetwork });
    const opened = await t.api['lab.open']({ lessonId: 'bridge' });
    const unmet = [{ need: 'host-network', cause: 'bridge-not-seen', detail: 'podman0' }];
    expect(opened.unavailableSteps).toEqual([
      { stepId: 'docker0-bridge', unmet },
      { stepId: 'veth-pair', unmet },
    ]);
    const status = byId(await t.api['lab.evaluate']({}));
    expect(status['docker0-seen']).toEqual({ id: 'docker0-seen', status: 'unavailable', unmet });
    // The steps before still run against the engine: no bbox01 here yet, so they fail with a reason.
    const first = Object.values(status).find((s) => s.status !== 'unavailable' && s.status !== 'pending');
    expect(first?.status).toBe('failed');
    expect(first?.reason?.en).toBeTruthy();
    const kinds = Object.values(status).map((s) => s.status);
    expect(kinds).toContain('unavailable');
    expect(kinds).not.toContain('passed');
  });

  it('keeps a quiz in such a step answerable', async () => {
    t = await startTestServices('e18doctor-lab-', LESSONS, {}, { examineEngine: async () => noHostNetwork });
    const opened = await t.api['lab.open']({ lessonId: 'host-mode' });
    expect(opened.unavailableSteps?.map((s) => s.stepId)).toEqual(['run-host', 'compare-addresses', 'inspect-host']);
    expect(byId(opened.checkpoints)['bbox02-on-host']?.status).toBe('unavailable');
    expect(byId(opened.checkpoints)['host-port-quiz']?.status).not.toBe('unavailable');
    expect((await t.api['quiz.answer']({ lessonId: 'host-mode', quizId: 'host-port-quiz', choice: 0 })).correct).toBe(true);
    expect(byId(await t.api['lab.evaluate']({}))['host-port-quiz']?.status).toBe('passed');
    expect(byId(await t.api['lab.evaluate']({}))['bbox02-on-host']?.status).toBe('unavailable');
  });

  it('sets nothing aside where the doctor found host networking', async () => {
    t = await startTestServices('e18doctor-lab-', LESSONS, {}, { examineEngine: async () => findings({ state: 'yes', cause: 'bridge-seen', detail: 'docker0' }) });
    const opened = await t.api['lab.open']({ lessonId: 'host-mode' });
    expect(opened.unavailableSteps).toBeUndefined();
    expect(opened.checkpoints.map((c) => c.status)).not.toContain('unavailable');
  });
});

describe('a lesson that needs IPv6 as a whole, on an engine without it', () => {
  const noIpv6: DoctorFindings = {
    ...findings({ state: 'yes', cause: 'bridge-seen', detail: 'docker0' }),
    ipv6: { state: 'no', cause: 'refused', detail: "IPv6 is turned off in the engine host's kernel (net.ipv6.conf.all.disable_ipv6 = 1)" },
  };

  it('sets every step aside with the reason, keeps the quizzes, and judges nothing against the engine', async () => {
    t = await startTestServices('e18doctor-lab-', LESSONS, {}, { examineEngine: async () => noIpv6 });
    const lesson = await t.api['lessons.get']({ id: 'ipv6' });
    expect(lesson.requires).toEqual(['ipv6']);
    const opened = await t.api['lab.open']({ lessonId: 'ipv6' });
    const unmet = [{ need: 'ipv6', cause: 'refused', detail: "IPv6 is turned off in the engine host's kernel (net.ipv6.conf.all.disable_ipv6 = 1)" }];
    expect(opened.unavailableSteps).toEqual(lesson.steps.map((s) => ({ stepId: s.id, unmet })));
    const status = byId(await t.api['lab.evaluate']({}));
    const quizzes = new Set(lesson.quizzes.map((q) => q.id));
    for (const step of lesson.steps) {
      for (const id of step.checkpointIds) {
        if (quizzes.has(id)) expect(status[id]?.status).not.toBe('unavailable');
        else expect(status[id]).toEqual({ id, status: 'unavailable', unmet });
      }
    }
    expect(quizzes.size).toBeGreaterThan(0);
  });

  it('sets nothing aside where the doctor found IPv6', async () => {
    t = await startTestServices('e18doctor-lab-', LESSONS, {}, { examineEngine: async () => findings({ state: 'yes', cause: 'bridge-seen', detail: 'docker0' }) });
    const opened = await t.api['lab.open']({ lessonId: 'ipv6' });
    expect(opened.unavailableSteps).toBeUndefined();
    expect(opened.checkpoints.map((c) => c.status)).not.toContain('unavailable');
  });
});
