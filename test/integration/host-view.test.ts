// The Docker host view against the real engine: on the host's network and
// nothing else of the host's, with no capability, and on the image it first
// used even after the tag moved. It runs under its own name and image tags
// (itest-hv-<pid>-…) on the shared engine; busybox:latest is never retagged.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../electron/api/errors';
import { closeAppLog, flushAppLog, logDir, openAppLog, readLastLines } from '../../electron/services/log/logger';
import { createDocker } from '../../electron/services/docker/client';
import { ensureHostView } from '../../electron/services/docker/host-view';
import { PIN_FILE } from '../../electron/services/docker/host-view-image';
import { TerminalManager } from '../../electron/services/terminals/terminal-manager';
import { RecordingSink } from '../support/services';
import { dockerCli, removeByPrefix, waitFor } from '../support/docker';

const execFileAsync = promisify(execFile);
const PREFIX = `itest-hv-${process.pid}-`;
const VIEW = `${PREFIX}view`;
/** A throwaway tag standing in for busybox:latest, so moving it touches nothing else. */
const TAG = `${PREFIX}box:latest`;
const GONE = `${PREFIX}gone:latest`;
const { docker } = createDocker();

let dataDir: string;
let busyboxId: string;
let httpdId: string;

async function imageId(ref: string): Promise<string> {
  return dockerCli('image', 'inspect', '--format', '{{.Id}}', ref);
}

async function pinnedId(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, PIN_FILE), 'utf8')) as { id: string }).id;
}

/** Runs a command in the view without a TTY: its exit code and its output (stdout and stderr). */
async function inView(command: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('docker', ['exec', VIEW, 'sh', '-c', command]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

async function inspectView(): Promise<{
  Id: string;
  Image: string;
  Config: { Entrypoint: string[] | null; Cmd: string[] | null; User: string; Labels: Record<string, string> };
  HostConfig: Record<string, unknown>;
}> {
  return JSON.parse(await dockerCli('inspect', '--format', '{{json .}}', VIEW)) as Awaited<ReturnType<typeof inspectView>>;
}

async function removeOurTags(): Promise<void> {
  // Untags only: busybox:latest and httpd:latest still name the images.
  for (const tag of [TAG, GONE]) await dockerCli('rmi', tag).catch(() => undefined);
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  await removeOurTags();
  dataDir = await mkdtemp(join(tmpdir(), 'netlab-itest-hv-'));
  await openAppLog(dataDir);
  busyboxId = await imageId('busybox:latest');
  httpdId = await imageId('httpd:latest');
  expect(httpdId).not.toBe(busyboxId);
  await dockerCli('tag', busyboxId, TAG);
});

afterAll(async () => {
  await removeByPrefix(PREFIX);
  await removeOurTags();
  await closeAppLog();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the Docker host view', () => {
  it('shares only the host network: no PID namespace, no capability, no new privileges, read-only, its own entrypoint', async () => {
    expect(await ensureHostView(docker, { dataDir, image: TAG, name: VIEW })).toBe(VIEW);
    const info = await inspectView();
    expect(info.Image).toBe(busyboxId);
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'host',
      PidMode: '',
      Privileged: false,
      CapDrop: ['ALL'],
      CapAdd: null,
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Binds: null,
    });
    expect(info.Config).toMatchObject({ Entrypoint: ['tail', '-f', '/dev/null'], Cmd: null, User: '65534:65534' });
    expect(info.Config.Labels['dev.netlab.app']).toBe('docker-host');
    expect(await pinnedId(dataDir)).toBe(busyboxId);
  });

  it('shows the host’s interfaces and bridge ports, and only its own processes', async () => {
    const docker0 = await inView('ip addr show docker0');
    expect(docker0).toMatchObject({ code: 0 });
    expect(docker0.out).toMatch(/^\d+: docker0: </m);
    expect(docker0.out).toMatch(/^\s+inet \d+\.\d+\.\d+\.\d+\/\d+ .*docker0$/m);
    expect((await inView('ip link')).out).toMatch(/^\d+: lo: </m);
    expect((await inView('ip route')).code).toBe(0);
    const nets = await inView('ls /sys/class/net; ls /sys/class/net/docker0/brif/ >/dev/null && echo brif-ok');
    expect(nets.out.split('\n')).toEqual(expect.arrayContaining(['docker0', 'lo', 'brif-ok']));
    // PID 1 is the helper's own tail, not the host's init: the image's CMD was not appended either.
    expect((await inView('cat /proc/1/cmdline')).out).toBe('tail\0-f\0/dev/null\0');
    expect((await inView('grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status')).out).toBe(
      'CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\n',
    );
    expect((await inView('id -u')).out.trim()).toBe('65534');
  });

  it('refuses to change the host: link state, raw sockets, host processes, its own root', async () => {
    const down = await inView('ip link set lo down');
    expect(down.code).not.toBe(0);
    expect(down.out).toContain('Operation not permitted');
    // arping needs a packet socket (CAP_NET_RAW), what a capture tool would use.
    const raw = await inView('arping -c 1 -w 1 -I lo 127.0.0.1');
    expect(raw.code).not.toBe(0);
    expect(raw.out).toContain('Operation not permitted');
    // The view's own tail as the host numbers it: no such process in the view.
    const hostPid = await dockerCli('inspect', '--format', '{{.State.Pid}}', VIEW);
    expect(Number(hostPid)).toBeGreaterThan(1);
    const kill = await inView(`kill -0 ${hostPid}`);
    expect(kill.code).not.toBe(0);
    expect(kill.out).toMatch(/no such process/i);
    const write = await inView('touch /bin/x');
    expect(write.code).not.toBe(0);
    expect(write.out).toContain('Read-only file system');
    expect(await inView('echo scratch > /tmp/x && cat /tmp/x')).toEqual({ code: 0, out: 'scratch\n' });
  });

  it('opens a learner’s shell that closes cleanly without any capability', async () => {
    const sink = new RecordingSink();
    const manager = new TerminalManager({ docker, sink, dataDir, cleanRc: true });
    try {
      const term = await manager.openContainer(VIEW, 120, 30, { hostView: true });
      const seen = (): string => sink.of('terminal.data').flatMap((d) => (d.id === term.id ? [d.data] : [])).join('');
      manager.input(term.id, 'ip link show lo; echo done-$((6*7))\r');
      await waitFor(() => /^\d+: lo: </m.test(seen()) && seen().includes('done-42'), 'ip link in the view’s shell');
      // close() finds the shell by a token in /proc/<pid>/environ and hangs it up: as nobody, with no capability.
      await manager.close(term.id);
      const top = (await docker.getContainer(VIEW).top()) as { Processes: string[][] };
      expect(top.Processes.map((p) => p.join(' ')).filter((p) => p.includes('/bin/sh'))).toEqual([]);
    } finally {
      await manager.closeAll();
    }
  });

  it('keeps the image it first used after the tag moved, and says so in the log', async () => {
    try {
      await dockerCli('tag', httpdId, TAG);
      await dockerCli('rm', '-f', VIEW);
      await ensureHostView(docker, { dataDir, image: TAG, name: VIEW });
      expect((await inspectView()).Image).toBe(busyboxId);
      expect(await pinnedId(dataDir)).toBe(busyboxId);
      await flushAppLog();
      const warned = (await readLastLines(logDir(dataDir), 50)).map((l) => JSON.parse(l) as { level: number; msg: string; tagNow?: string });
      expect(warned).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('tag moved'), tagNow: httpdId }));
    } finally {
      await dockerCli('tag', busyboxId, TAG);
    }
  });

  it('pins the image again when the recorded one is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-itest-hv-gone-'));
    try {
      // An image of its own (busybox's layers, one more label), so removing it removes nothing else.
      await dockerCli('create', '--name', `${PREFIX}src`, busyboxId);
      await dockerCli('commit', '--change', 'LABEL dev.netlab.itest=gone', `${PREFIX}src`, GONE);
      const goneId = await imageId(GONE);
      expect(goneId).not.toBe(busyboxId);
      await dockerCli('rm', '-f', VIEW);
      await ensureHostView(docker, { dataDir: dir, image: GONE, name: VIEW });
      expect((await inspectView()).Image).toBe(goneId);

      await dockerCli('rm', '-f', VIEW);
      await dockerCli('rmi', GONE);
      await dockerCli('tag', busyboxId, GONE);
      await ensureHostView(docker, { dataDir: dir, image: GONE, name: VIEW });
      expect((await inspectView()).Image).toBe(busyboxId);
      expect(await pinnedId(dir)).toBe(busyboxId);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replaces a labelled view of the old kind (host PID namespace, default capabilities), and leaves an unlabelled one alone', async () => {
    await dockerCli('rm', '-f', VIEW);
    const oldId = await dockerCli('run', '-d', '--name', VIEW, '--label', 'dev.netlab.app=docker-host', '--net', 'host', '--pid', 'host', busyboxId, 'tail', '-f', '/dev/null');
    await ensureHostView(docker, { dataDir, image: TAG, name: VIEW });
    const info = await inspectView();
    expect(info.Id).not.toBe(oldId);
    expect(info.HostConfig).toMatchObject({ PidMode: '', CapDrop: ['ALL'], ReadonlyRootfs: true });
    // A view that already matches is kept as it is.
    await ensureHostView(docker, { dataDir, image: TAG, name: VIEW });
    expect((await inspectView()).Id).toBe(info.Id);

    // Without the app's label it is someone else's: refused, untouched.
    const name = `${PREFIX}theirs`;
    const theirs = await dockerCli('create', '--name', name, busyboxId);
    const err: unknown = await ensureHostView(docker, { dataDir, image: TAG, name }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('name-taken');
    expect(await dockerCli('inspect', '--format', '{{.Id}}', name)).toBe(theirs);
  });
});
