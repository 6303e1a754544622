// The Docker daemon stops mid-lesson and comes back: the app says so, the
// container terminal ends, checkpoints wait instead of failing, nothing is lost,
// and everything resumes without restarting the app. This stops the real
// dockerd, so it runs only where NETLAB_FAULT_TESTS=1 (CI sets it) and last.
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointStatus } from '../../electron/api/types';
import { removeByPrefix, waitFor } from '../integration/helpers/docker';
import { runInShell, startTestServices, type TestServices } from '../support/services';

const enabled = process.env.NETLAB_FAULT_TESTS === '1';

function engineUp(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function dockerdPid(): number | undefined {
  try {
    const pid = Number(execFileSync('pidof', ['dockerd'], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts dockerd once the previous one has fully exited (it holds its pid file until then). */
async function startDockerd(): Promise<void> {
  await waitFor(() => dockerdPid() === undefined, 'the old dockerd to exit', 120_000);
  const log = openSync(join(tmpdir(), 'netlab-fault-dockerd.log'), 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
}

let t: TestServices;

const byId = (list: CheckpointStatus[]): Record<string, CheckpointStatus> => Object.fromEntries(list.map((s) => [s.id, s]));

describe.runIf(enabled)('the Docker daemon stops and comes back', () => {
  beforeAll(async () => {
    await removeByPrefix('itest-ck-');
    t = await startTestServices('netlab-fault-');
    await t.api['lab.open']({ lessonId: 'checkpoint-kinds' });
  });

  afterAll(async () => {
    if (!engineUp() && dockerdPid() === undefined) await startDockerd();
    await waitFor(() => engineUp(), 'dockerd to be back', 120_000);
    await t?.services.dispose();
    await removeByPrefix('itest-ck-');
  });

  it('pauses, ends container terminals, keeps progress, then resumes', async () => {
    const host = (await t.api['terminal.open']({ kind: 'host', cols: 100, rows: 30 })).id;
    await waitFor(() => t.sink.of('terminal.data').some((d) => d.id === host), 'the host prompt');
    await runInShell(t, host, 'docker network create itest-ck-net');
    await runInShell(t, host, 'docker run -di --name itest-ck-b busybox');
    await waitFor(async () => byId(await t.api['lab.evaluate']({})).net?.status === 'passed', 'net to pass');
    const shell = (await t.api['terminal.open']({ kind: 'container', container: 'itest-ck-b', cols: 80, rows: 24 })).id;
    const progressBefore = await readFile(join(t.dataDir, 'progress.json'), 'utf8');

    const pid = dockerdPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGTERM');
    // dockerd stops its containers before it exits and drops the event stream.
    await waitFor(() => dockerdPid() === undefined, 'dockerd to exit', 120_000);

    await waitFor(() => t.sink.of('engine.status').some((s) => !s.reachable), 'the engine-down status', 30_000);
    await waitFor(() => t.sink.of('terminal.exit').some((e) => e.id === shell), 'the container terminal to end');
    const paused = byId(await t.api['lab.evaluate']({}));
    expect(paused.net?.status).toBe('passed');
    expect(paused['on-net']?.status).toBe('pending');
    expect(paused['on-net']?.reason?.en).toContain('Docker engine is not reachable');
    // The host shell lives on, and progress is untouched.
    expect((await t.api['terminal.list']({})).find((t) => t.id === host)?.running).toBe(true);
    expect(await readFile(join(t.dataDir, 'progress.json'), 'utf8')).toBe(progressBefore);

    await startDockerd();
    await waitFor(() => engineUp(), 'dockerd to start', 120_000);
    await waitFor(() => t.sink.of('engine.status').at(-1)?.reachable === true, 'the engine-up status', 30_000);
    // Resynchronised from a full listing: the network is known again, checkpoints resume.
    await waitFor(async () => (await t.api['lab.topology']({})).networks.some((n) => n.name === 'itest-ck-net'), 'the resync');
    await waitFor(async () => byId(await t.api['lab.evaluate']({}))['on-net']?.status === 'failed', 'checkpoints to resume');
    // What the lab created is still the lab's: reset removes it.
    const reset = await t.api['lab.reset']({});
    expect(reset.removedNetworks).toContain('itest-ck-net');
  });
});
