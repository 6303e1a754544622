import { describe, expect, it } from 'vitest';
import type { LessonConsent } from '../../../electron/api/types';
import { ConsentGate } from './consent.svelte';

function fakeApi(initial: LessonConsent, failAllow = false) {
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
        if (failAllow) throw new Error('disk full');
        state = { ...state, granted: true };
      },
    },
  };
}

const cmd = [{ terminal: 'host', command: 'docker network create n1' }];

describe('ConsentGate', () => {
  it('runs a built-in lesson command at once', async () => {
    const { api } = fakeApi({ needed: false, granted: true });
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(cmd, () => ran++);
    expect(ran).toBe(1);
    expect(gate.pending).toBeNull();
  });

  it('holds an extra folder command until Allow, then runs it and remembers', async () => {
    const { api, calls } = fakeApi({ needed: true, granted: false, folder: '/course' });
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(cmd, () => ran++);
    expect(ran).toBe(0);
    expect(gate.pending?.commands).toEqual(cmd);
    await gate.allow();
    expect(ran).toBe(1);
    expect(calls).toContain('allow');
    expect(gate.pending).toBeNull();
    gate.request(cmd, () => ran++);
    expect(ran).toBe(2);
  });

  it('runs nothing on Cancel, and asks again next time', async () => {
    const { api } = fakeApi({ needed: true, granted: false, folder: '/course' });
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(cmd, () => ran++);
    gate.cancel();
    expect(ran).toBe(0);
    gate.request(cmd, () => ran++);
    expect(gate.pending).not.toBeNull();
    expect(ran).toBe(0);
  });

  it('asks when the answer is unknown (check failed or not loaded yet)', async () => {
    const gate = new ConsentGate({
      check: async () => {
        throw new Error('offline');
      },
      allow: async () => undefined,
    });
    await gate.load();
    let ran = 0;
    gate.request(cmd, () => ran++);
    expect(ran).toBe(0);
    expect(gate.pending).not.toBeNull();
  });

  it('keeps the dialog and runs nothing when recording consent fails', async () => {
    const { api } = fakeApi({ needed: true, granted: false, folder: '/course' }, true);
    const gate = new ConsentGate(api);
    await gate.load();
    let ran = 0;
    gate.request(cmd, () => ran++);
    await gate.allow();
    expect(ran).toBe(0);
    expect(gate.error).toBe('disk full');
    expect(gate.pending).not.toBeNull();
  });
});
