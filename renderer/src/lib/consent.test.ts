import { describe, expect, it } from 'vitest';
import type { LessonConsent } from '../../../electron/api/types';
import { ConsentGate } from './consent.svelte';

const scope = { commands: [{ terminal: 'host', command: 'docker network create n1' }], probes: [{ container: 'web1', command: ['ip', 'addr'] }] };
const builtin: LessonConsent = { needed: false, granted: true, askedBy: 'page', commands: [], probes: [] };
const extra: LessonConsent = { needed: true, granted: false, folder: '/course', askedBy: 'page', ...scope };

function fakeApi(initial: LessonConsent, opts: { failAllow?: boolean; declines?: boolean } = {}) {
  let state = { ...initial };
  const calls: string[] = [];
  return {
    calls,
    api: {
      check: async () => {
        calls.push('check');
        return { ...state };
      },
      allow: async () => {
        calls.push('allow');
        if (opts.failAllow) throw new Error('disk full');
        // The desktop app's own dialog may be answered with Cancel.
        if (!opts.declines) state = { ...state, granted: true };
        return { ...state };
      },
    },
  };
}

describe('ConsentGate', () => {
  it('runs a built-in lesson command at once', async () => {
    const { api } = fakeApi(builtin);
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(() => ran++);
    expect(ran).toBe(1);
    expect(gate.pending).toBeNull();
    expect(gate.probesWaiting).toBe(false);
  });

  it('holds an extra lesson command until Allow, then runs it and remembers', async () => {
    const { api, calls } = fakeApi(extra);
    const gate = new ConsentGate(api);
    await gate.load();
    expect(gate.probesWaiting).toBe(true);
    let ran = 0;
    gate.request(() => ran++);
    expect(ran).toBe(0);
    expect(gate.pending).not.toBeNull();
    await gate.allow();
    expect(ran).toBe(1);
    expect(calls).toContain('allow');
    expect(gate.pending).toBeNull();
    expect(gate.probesWaiting).toBe(false);
    gate.request(() => ran++);
    expect(ran).toBe(2);
  });

  it('lets the learner review and allow the checks without running anything', async () => {
    const { api } = fakeApi(extra);
    const gate = new ConsentGate(api);
    await gate.load();
    gate.request();
    expect(gate.pending).toEqual({});
    await gate.allow();
    expect(gate.info?.granted).toBe(true);
  });

  it('runs nothing on Cancel, and asks again next time', async () => {
    const { api } = fakeApi(extra);
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(() => ran++);
    gate.cancel();
    expect(ran).toBe(0);
    gate.request(() => ran++);
    expect(gate.pending).not.toBeNull();
    expect(ran).toBe(0);
  });

  it('in the desktop app, leaves the question to the app\'s own dialog and runs only on its Allow', async () => {
    const declined = fakeApi({ ...extra, askedBy: 'app' }, { declines: true });
    const gate = new ConsentGate(declined.api);
    await gate.load();
    let ran = 0;
    gate.request(() => ran++);
    await expect.poll(() => declined.calls.filter((c) => c === 'allow').length).toBe(1);
    await expect.poll(() => gate.pending).toBeNull();
    expect(ran).toBe(0);

    const allowed = fakeApi({ ...extra, askedBy: 'app' });
    const gate2 = new ConsentGate(allowed.api);
    await gate2.load();
    gate2.request(() => ran++);
    await expect.poll(() => ran).toBe(1);
  });

  it('asks when the answer is unknown (check failed or not loaded yet)', async () => {
    const gate = new ConsentGate({
      check: async () => {
        throw new Error('offline');
      },
      allow: async () => extra,
    });
    await gate.load();
    let ran = 0;
    gate.request(() => ran++);
    expect(ran).toBe(0);
    expect(gate.pending).not.toBeNull();
  });

  it('keeps the dialog and runs nothing when recording consent fails', async () => {
    const { api } = fakeApi(extra, { failAllow: true });
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(() => ran++);
    await gate.allow();
    expect(ran).toBe(0);
    expect(gate.error).toBe('disk full');
    expect(gate.pending).not.toBeNull();
  });
});
