// The Docker daemon stops mid-lesson and comes back: the app says so, the
// container terminal ends, checkpoints wait instead of failing, nothing is lost,
// and everything resumes without restarting the app. This stops the real
// dockerd, so it runs only where NETLAB_FAULT_TESTS=1 (CI sets it) and last.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, Events, EventSink, Handlers } from '../../electron/api/contract';
import type { CheckpointStatus } from '../../electron/api/types';
import { createServices, type Services } from '../../electron/services/app/services';
import { removeByPrefix, waitFor } from '../integration/helpers/docker';

const enabled = process.env.NETLAB_FAULT_TESTS === '1';

class Sink implements EventSink {
  readonly events: { name: EventName; payload: unknown }[] = [];
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.events.push({ name, payload });
  }
  of<E extends EventName>(name: E): Events[E][] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as Events[E]);
  }
}

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

let services: Services;
let api: Handlers;
const sink = new Sink();
let dataDir: string;

async function run(id: string, command: string): Promise<void> {
  const before = sink.of('terminal.command').length;
  await api['terminal.input']({ id, data: `${command}\r` });
  await waitFor(() => sink.of('terminal.command').length > before, command, 30_000);
}

const byId = (list: CheckpointStatus[]): Record<string, CheckpointStatus> => Object.fromEntries(list.map((s) => [s.id, s]));

describe.runIf(enabled)('the Docker daemon stops and comes back', () => {
  beforeAll(async () => {
    await removeByPrefix('itest-ck-');
    dataDir = await mkdtemp(join(tmpdir(), 'netlab-fault-'));
    services = await createServices(
      {
        dataDir,
        lessons: [{ dir: resolve(__dirname, '../integration/fixtures'), source: 'extra' }],
        appVersion: 'test',
        transport: 'websocket',
        cleanShellRc: true,
        env: { ...process.env, HISTFILE: join(dataDir, 'history') },
      },
      sink,
    );
    api = services.handlers;
    await api['lab.open']({ lessonId: 'checkpoint-kinds' });
  });

  afterAll(async () => {
    if (!engineUp() && dockerdPid() === undefined) await startDockerd();
    await waitFor(() => engineUp(), 'dockerd to be back', 120_000);
    await services?.dispose();
    await removeByPrefix('itest-ck-');
  });

  it('pauses, ends container terminals, keeps progress, then resumes', async () => {
    const host = (await api['terminal.open']({ kind: 'host', cols: 100, rows: 30 })).id;
    await waitFor(() => sink.of('terminal.data').some((d) => d.id === host), 'the host prompt');
    await run(host, 'docker network create itest-ck-net');
    await run(host, 'docker run -di --name itest-ck-b busybox');
    await waitFor(async () => byId(await api['lab.evaluate']({})).net?.status === 'passed', 'net to pass');
    const shell = (await api['terminal.open']({ kind: 'container', container: 'itest-ck-b', cols: 80, rows: 24 })).id;
    const progressBefore = await readFile(join(dataDir, 'progress.json'), 'utf8');

    const pid = dockerdPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGTERM');
    // dockerd stops its containers before it exits and drops the event stream.
    await waitFor(() => dockerdPid() === undefined, 'dockerd to exit', 120_000);

    await waitFor(() => sink.of('engine.status').some((s) => !s.reachable), 'the engine-down status', 30_000);
    await waitFor(() => sink.of('terminal.exit').some((e) => e.id === shell), 'the container terminal to end');
    const paused = byId(await api['lab.evaluate']({}));
    expect(paused.net?.status).toBe('passed');
    expect(paused['on-net']?.status).toBe('pending');
    expect(paused['on-net']?.reason?.en).toContain('Docker engine is not reachable');
    // The host shell lives on, and progress is untouched.
    expect((await api['terminal.list']({})).find((t) => t.id === host)?.running).toBe(true);
    expect(await readFile(join(dataDir, 'progress.json'), 'utf8')).toBe(progressBefore);

    await startDockerd();
    await waitFor(() => engineUp(), 'dockerd to start', 120_000);
    await waitFor(() => sink.of('engine.status').at(-1)?.reachable === true, 'the engine-up status', 30_000);
    // Resynchronised from a full listing: the network is known again, checkpoints resume.
    await waitFor(async () => (await api['lab.topology']({})).networks.some((n) => n.name === 'itest-ck-net'), 'the resync');
    await waitFor(async () => byId(await api['lab.evaluate']({}))['on-net']?.status === 'failed', 'checkpoints to resume');
    // What the lab created is still the lab's: reset removes it.
    const reset = await api['lab.reset']({});
    expect(reset.removedNetworks).toContain('itest-ck-net');
  });
});
