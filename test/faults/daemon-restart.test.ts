// The Docker daemon stops mid-lesson and comes back: the app says so, the
// container terminal ends, checkpoints wait instead of failing, a docker
// command in the host shell (through its lab relay) fails saying why, nothing
// is lost, and everything resumes without restarting the app or reopening the
// shell. This stops the real dockerd, so it runs only where
// NETLAB_FAULT_TESTS=1 (CI sets it) and last.
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointStatus } from '../../electron/api/types';
import { stripAnsi } from '../../electron/services/terminals/strip-ansi';
import { removeByPrefix, waitFor } from '../support/docker';
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

/** What a terminal printed since `from` characters, without escape sequences. */
function printedSince(id: string, from: number): string {
  return stripAnsi(t.sink.of('terminal.data').filter((d) => d.id === id).map((d) => d.data).join('').slice(from));
}

function printedLength(id: string): number {
  return t.sink.of('terminal.data').filter((d) => d.id === id).reduce((n, d) => n + d.data.length, 0);
}

/** Runs a command line in the host shell; its exit code and what it printed. */
async function runHere(host: string, command: string): Promise<{ exitCode: number; output: string }> {
  const from = printedLength(host);
  await runInShell(t, host, command);
  const record = t.sink.of('terminal.command').at(-1);
  return { exitCode: record?.exitCode ?? -1, output: printedSince(host, from) };
}

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
    // A docker command in it reaches the shell's lab relay, which says the engine is gone.
    const down = await runHere(host, 'docker network ls');
    expect(down.exitCode).not.toBe(0);
    expect(down.output).toContain('NetLab lab relay: the Docker engine at');
    expect(down.output).toContain('cannot be reached');

    await startDockerd();
    await waitFor(() => engineUp(), 'dockerd to start', 120_000);
    await waitFor(() => t.sink.of('engine.status').at(-1)?.reachable === true, 'the engine-up status', 30_000);
    // Resynchronised from a full listing: the network is known again, checkpoints resume.
    await waitFor(async () => (await t.api['lab.topology']({})).networks.some((n) => n.name === 'itest-ck-net'), 'the resync');
    await waitFor(async () => byId(await t.api['lab.evaluate']({}))['on-net']?.status === 'failed', 'checkpoints to resume');
    // The same shell, not reopened: its docker commands work again through the same relay.
    const up = await runHere(host, "docker network ls --format '{{.Name}}'");
    expect(up.exitCode, up.output).toBe(0);
    expect(up.output).toContain('itest-ck-net');
    // What the lab created is still the lab's: reset removes it.
    const reset = await t.api['lab.reset']({});
    expect(reset.removedNetworks).toContain('itest-ck-net');
  });
});
