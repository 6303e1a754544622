import { describe, expect, it } from 'vitest';
import { planDesktopTests, type PlanInput } from './test-desktop';

const FOUND: PlanInput['binary'] = { found: true, path: '/x/dist/electron' };
const base: PlanInput = { binary: FOUND, platform: 'linux', hasDisplay: true, xvfbRun: undefined, playwrightArgs: [] };

describe('planDesktopTests', () => {
  it('without the binary: one line that says why, and no step runs', () => {
    const plan = planDesktopTests({ ...base, binary: { found: false, reason: '/x/path.txt is missing' } });
    expect(plan).toEqual({ run: false, line: expect.stringContaining('no Electron binary') });
    expect(!plan.run && plan.line).toContain('/x/path.txt is missing');
    expect(!plan.run && plan.line.split('\n')).toHaveLength(1);
  });

  it('with the binary: builds, then runs the electron project only, passing extra arguments on', () => {
    const plan = planDesktopTests({ ...base, playwrightArgs: ['test/e2e/settings.spec.ts'] });
    expect(plan).toEqual({
      run: true,
      steps: [
        { command: 'npx', args: ['electron-vite', 'build'] },
        { command: 'npx', args: ['playwright', 'test', 'test/e2e/settings.spec.ts', '--project', 'electron'] },
      ],
    });
  });

  it('on Linux without a display: under xvfb-run when it is there, else one line', () => {
    const plan = planDesktopTests({ ...base, hasDisplay: false, xvfbRun: '/usr/bin/xvfb-run' });
    expect(plan.run && plan.steps[1]).toEqual({ command: '/usr/bin/xvfb-run', args: ['-a', 'npx', 'playwright', 'test', '--project', 'electron'] });
    const none = planDesktopTests({ ...base, hasDisplay: false });
    expect(none).toEqual({ run: false, line: expect.stringContaining('no display') });
  });

  it('macOS and Windows need no display check', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const plan = planDesktopTests({ ...base, platform, hasDisplay: false });
      expect(plan.run && plan.steps[1]?.command).toBe('npx');
    }
  });
});
