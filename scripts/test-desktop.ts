// `npm run test:desktop`: builds the app and runs the e2e suite's electron
// project against it (test/support/app-target.ts). Without an Electron binary
// it prints one line saying so and exits 1: it never pretends the desktop
// suite ran. Extra arguments go to Playwright (`npm run test:desktop -- test/e2e/settings.spec.ts`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findElectronBinary, systemElectronProbe, type ElectronBinary } from './electron-binary';

interface Command {
  command: string;
  args: string[];
}

export type DesktopPlan = { run: false; line: string } | { run: true; steps: Command[] };

export interface PlanInput {
  binary: ElectronBinary;
  platform: NodeJS.Platform;
  /** Whether Linux has a display to open windows on (DISPLAY or WAYLAND_DISPLAY). */
  hasDisplay: boolean;
  /** xvfb-run's path, when it is installed. */
  xvfbRun: string | undefined;
  playwrightArgs: string[];
}

/** What test:desktop does on this machine: the one-line refusal, or the build and the run. */
export function planDesktopTests(input: PlanInput): DesktopPlan {
  if (!input.binary.found) return { run: false, line: `test:desktop: no Electron binary, so the desktop suite cannot run here: ${input.binary.reason}` };
  const build: Command = { command: 'npx', args: ['electron-vite', 'build'] };
  // --project takes every value after it: the spec files and options go first.
  const playwright = ['playwright', 'test', ...input.playwrightArgs, '--project', 'electron'];
  if (input.platform === 'linux' && !input.hasDisplay) {
    if (!input.xvfbRun) return { run: false, line: 'test:desktop: no display (DISPLAY is unset) and no xvfb-run to make one: install xvfb or run under a desktop session' };
    return { run: true, steps: [build, { command: input.xvfbRun, args: ['-a', 'npx', ...playwright] }] };
  }
  return { run: true, steps: [build, { command: 'npx', args: playwright }] };
}

function main(): number {
  const plan = planDesktopTests({
    binary: findElectronBinary(systemElectronProbe()),
    platform: process.platform,
    hasDisplay: !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY),
    xvfbRun: ['/usr/bin/xvfb-run', '/usr/local/bin/xvfb-run'].find((p) => existsSync(p)),
    playwrightArgs: process.argv.slice(2),
  });
  if (!plan.run) {
    console.error(plan.line);
    return 1;
  }
  for (const step of plan.steps) {
    const result = spawnSync(step.command, step.args, { cwd: resolve(__dirname, '..'), stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

if (require.main === module) process.exit(main());
