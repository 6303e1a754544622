import { describe, expect, it } from 'vitest';
import type { CommandRecord, SolutionCommand } from '../../../electron/api/types';
import { OTHER_TERMINAL_DELAY_MS, runSolution, waitForHostCommands, type HostCommandWait, type RunnerDeps } from './solution-runner';

const solution: SolutionCommand[] = [
  { terminal: 'host', command: 'docker network create n1' },
  { terminal: 'docker-host', command: 'ip link show docker0' },
  { terminal: 'host', command: 'docker run -di --name b1 busybox' },
];

/** A fake world: the host shell "finishes" each command when finishHost() is called. */
function fakeDeps(options: { hostFinishes?: boolean; hostReports?: boolean; failOn?: string } = {}): RunnerDeps & { log: string[]; finishHost(): void } {
  const log: string[] = [];
  let pending: { left: number; resolve: (v: boolean) => void } | null = null;
  const deps = {
    log,
    finishHost(): void {
      if (!pending) return;
      pending.left--;
      if (pending.left <= 0) pending.resolve(true);
    },
    async send(terminal: string, index: number): Promise<void> {
      const command = solution[index]?.command ?? '';
      if (options.failOn && command.includes(options.failOn)) throw new Error('could not open');
      log.push(`send ${terminal}: #${index} ${command}`);
      if (terminal === 'host' && options.hostFinishes !== false) {
        // The shell finishes the command a moment later.
        setTimeout(() => deps.finishHost(), 1);
      }
    },
    waitForHost(count: number): HostCommandWait {
      log.push(`wait ${count}`);
      let resolve: (v: boolean) => void = () => {};
      const done = new Promise<boolean>((r) => (resolve = r));
      pending = { left: count, resolve };
      return {
        done: options.hostFinishes === false ? Promise.resolve(false) : done,
        dispose: () => log.push('dispose'),
      };
    },
    hostReportsCommands: () => options.hostReports !== false,
    async delay(ms: number): Promise<void> {
      log.push(`delay ${ms}`);
    },
  };
  return deps;
}


describe('runSolution', () => {
  it('types each command in order, waiting for the host shell and pausing for other terminals', async () => {
    const deps = fakeDeps();
    const progress: number[] = [];
    const outcome = await runSolution(solution, { ...deps, onProgress: (done) => progress.push(done) });
    expect(outcome).toEqual({ status: 'done', ran: 3 });
    expect(deps.log).toEqual([
      'wait 1',
      'send host: #0 docker network create n1',
      'dispose',
      'send docker-host: #1 ip link show docker0',
      `delay ${OTHER_TERMINAL_DELAY_MS}`,
      'wait 1',
      'send host: #2 docker run -di --name b1 busybox',
      'dispose',
    ]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('stops when the host shell never reports the command', async () => {
    const deps = fakeDeps({ hostFinishes: false });
    expect(await runSolution(solution, deps)).toEqual({ status: 'timeout', ran: 0, command: 'docker network create n1' });
    expect(deps.log.filter((l) => l.startsWith('send'))).toHaveLength(1);
  });

  it('pauses after each command when the host shell reports none (sh, dash, cmd)', async () => {
    const deps = fakeDeps({ hostFinishes: false, hostReports: false });
    expect(await runSolution(solution, deps)).toEqual({ status: 'done', ran: 3 });
    expect(deps.log.slice(0, 3)).toEqual(['wait 1', 'send host: #0 docker network create n1', 'dispose']);
    expect(deps.log.filter((l) => l.startsWith('delay'))).toHaveLength(3);
  });

  it('reports a terminal that cannot take input', async () => {
    const deps = fakeDeps({ failOn: 'ip link' });
    expect(await runSolution(solution, deps)).toEqual({ status: 'failed', ran: 1, command: 'ip link show docker0', message: 'could not open' });
  });

  it('stops between commands when aborted', async () => {
    const deps = fakeDeps();
    const controller = new AbortController();
    const outcome = await runSolution(solution, {
      ...deps,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 1) controller.abort();
      },
    });
    expect(outcome).toEqual({ status: 'stopped', ran: 1 });
    expect(deps.log.filter((l) => l.startsWith('send'))).toHaveLength(1);
  });
});

describe('waitForHostCommands', () => {
  function emitter(): { subscribe: (l: (r: CommandRecord) => void) => () => void; emit(id: string): void; listeners: number } {
    const listeners = new Set<(r: CommandRecord) => void>();
    return {
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      emit: (terminalId) => {
        for (const l of [...listeners]) l({ terminalId, command: 'x', exitCode: 0, finishedAt: '' });
      },
      get listeners() {
        return listeners.size;
      },
    };
  }

  it('counts only the host session’s commands and unsubscribes when done', async () => {
    const events = emitter();
    const wait = waitForHostCommands(events.subscribe, () => 'host-1', 2, 5000);
    events.emit('other');
    events.emit('host-1');
    expect(events.listeners).toBe(1);
    events.emit('host-1');
    await expect(wait.done).resolves.toBe(true);
    expect(events.listeners).toBe(0);
  });

  it('gives up after the timeout', async () => {
    const events = emitter();
    const wait = waitForHostCommands(events.subscribe, () => 'host-1', 1, 10);
    await expect(wait.done).resolves.toBe(false);
    expect(events.listeners).toBe(0);
  });
});
