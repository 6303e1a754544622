// The services as the renderer uses them, against the real engine and a real
// host shell: every checkpoint kind fails after a near-miss and passes after
// the right action, by itself; reset removes exactly what the lab created.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointStatus } from '../../electron/api/types';
import { allowLesson, runInShell, startTestServices, type TestServices } from '../support/services';
import { containerNames, dockerCli, networkNames, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-ck-';
const MINE = 'itest-mine-';

let t: TestServices;
let host: string;

async function run(command: string): Promise<void> {
  await runInShell(t, host, command);
}

async function statuses(): Promise<Record<string, CheckpointStatus>> {
  const list = await t.api['lab.evaluate']({});
  return Object.fromEntries(list.map((s) => [s.id, s]));
}

/**
 * Docker may answer the CLI a moment before its event reaches the tracker, so
 * wait for the engine to reach the expected verdict. A near-miss is asserted by
 * a reason that shows the engine saw the mistake, not merely "not passed yet".
 */
async function until(id: string, status: 'passed' | 'failed', reason?: string | RegExp): Promise<CheckpointStatus> {
  return waitFor(async () => {
    const s = (await statuses())[id];
    if (s?.status !== status) return undefined;
    if (reason !== undefined && !(typeof reason === 'string' ? s.reason?.en === reason : reason.test(s.reason?.en ?? ''))) return undefined;
    return s;
  }, `${id} to be ${status}${reason ? ` (${String(reason)})` : ''}`);
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  await removeByPrefix(MINE);
  // The learner's own things, there before the lab opens.
  await dockerCli('network', 'create', `${MINE}net`);
  await dockerCli('run', '-d', '--name', `${MINE}box`, '--net', `${MINE}net`, 'busybox', 'sleep', '600');

  t = await startTestServices('netlab-services-');
  // An extra folder's lesson: its probes run once the learner allowed it.
  await allowLesson(t, 'checkpoint-kinds');
  const opened = await t.api['lab.open']({ lessonId: 'checkpoint-kinds' });
  expect(opened.checkpoints.map((c) => c.status)).not.toContain('passed');
  host = (await t.api['terminal.open']({ kind: 'host', cols: 120, rows: 30 })).id;
  await waitFor(() => t.sink.of('terminal.data').some((d) => d.id === host), 'the host prompt', 15_000);
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
  await removeByPrefix(MINE);
});

describe('checkpoints against the real engine', () => {
  it('network: a wrong name stays failed, the right one passes by itself', async () => {
    await run('docker network create itest-ck-net2');
    await until('net', 'failed', 'Network itest-ck-net does not exist yet.');
    await run('docker network create itest-ck-net');
    // No explicit evaluation: the Docker event alone turns it green.
    await waitFor(
      () => t.sink.of('checkpoints.changed').some((e) => e.checkpoints.some((c) => c.id === 'net' && c.status === 'passed')),
      'net to pass by itself',
    );
  });

  it('container: on the default bridge instead of the network fails with a reason, then passes', async () => {
    await run('docker run -di --name itest-ck-a busybox');
    await until('on-net', 'failed', 'itest-ck-a is on network bridge, not itest-ck-net.');
    // The same name again: Docker refuses, and the coach explains (without touching checkpoints).
    await run('docker run -di --name itest-ck-a --net itest-ck-net busybox');
    const hint = await waitFor(() => t.sink.of('coach.hint').find((h) => h.rule === 'name-in-use'), 'a name-in-use hint');
    expect(hint.message.en).toContain('itest-ck-a');
    expect(hint.message['zh-CN']).toContain('itest-ck-a');
    await run('docker rm -f itest-ck-a');
    await run('docker run -di --name itest-ck-a --net itest-ck-net busybox');
    await until('on-net', 'passed');
  });

  it('network modes none, host and container: pass only with the right mode and target', async () => {
    await run('docker run -di --name itest-ck-none busybox');
    await run('docker run -di --name itest-ck-host --net none busybox');
    await run('docker run -di --name itest-ck-b --net itest-ck-net busybox');
    await run('docker run -di --name itest-ck-j --net container:itest-ck-b busybox');
    await until('mode-none', 'failed', 'itest-ck-none uses network mode bridge, not none.');
    await until('mode-host', 'failed', 'itest-ck-host uses network mode none, not host.');
    await until('mode-joined', 'failed', 'itest-ck-j uses network mode container:itest-ck-b, not container:itest-ck-a.');

    await run('docker rm -f itest-ck-none itest-ck-host itest-ck-j');
    await run('docker run -di --name itest-ck-none --net none busybox');
    await run('docker run -di --name itest-ck-host --net host busybox');
    await run('docker run -di --name itest-ck-j --net container:itest-ck-a busybox');
    await until('mode-none', 'passed');
    await until('mode-host', 'passed');
    await until('mode-joined', 'passed');
  });

  it('probe: a name that does not resolve on the default bridge fails; on the network it passes', async () => {
    await run('docker rm -f itest-ck-b');
    await run('docker run -di --name itest-ck-b busybox');
    // The probe really ran in the container and the name did not resolve.
    await until('probe-name', 'failed', /In itest-ck-b, `ping -c1 -W1 itest-ck-a` does not succeed yet \(exit code 1\)/);
    await run('docker rm -f itest-ck-b');
    await run('docker run -di --name itest-ck-b --net itest-ck-net busybox');
    await until('probe-name', 'passed');
  });

  it('command: needs the real address and exit 0; output: needs the marker in the host terminal', async () => {
    // The wrong address (its own loopback) does not count as pinging itest-ck-a.
    await run('docker exec itest-ck-b ping -c 1 127.0.0.1');
    await run('echo ck-marker-none');
    await until('cmd', 'failed', 'The command for this exercise has not been run in the host terminal yet.');
    expect((await statuses()).output?.status).toBe('failed');
    const ip = await dockerCli('inspect', '-f', '{{(index .NetworkSettings.Networks "itest-ck-net").IPAddress}}', 'itest-ck-a');
    await run(`docker exec itest-ck-b ping -c 1 ${ip}`);
    await run('echo ck-marker-42');
    await until('cmd', 'passed');
    await until('output', 'passed');
  });

  it('quiz: a wrong answer explains and stays failed, the right one passes', async () => {
    const wrong = await t.api['quiz.answer']({ lessonId: 'checkpoint-kinds', quizId: 'driver-quiz', choice: 0 });
    expect(wrong).toMatchObject({ correct: false, explanation: { en: 'host is a network mode, not the default driver.' } });
    await until('driver-quiz', 'failed', 'Not answered correctly yet.');
    const right = await t.api['quiz.answer']({ lessonId: 'checkpoint-kinds', quizId: 'driver-quiz', choice: 1 });
    expect(right.correct).toBe(true);
    await until('driver-quiz', 'passed');
    await expect(t.api['quiz.answer']({ lessonId: 'checkpoint-kinds', quizId: 'driver-quiz', choice: 5 })).rejects.toThrow('no quiz');
  });

  it('the Docker host view shows docker0 and the veth end of a bridge container', async () => {
    const view = await t.api['terminal.open']({ kind: 'docker-host', cols: 120, rows: 30 });
    expect(view).toMatchObject({ kind: 'docker-host', name: 'docker-host' });
    const seen = (): string => t.sink.of('terminal.data').filter((d) => d.id === view.id).map((d) => d.data).join('');
    await waitFor(() => seen().length > 0, 'the host view prompt');
    // Neither pattern is in the typed line itself: only real output matches.
    await t.api['terminal.input']({ id: view.id, data: 'ip link show docker0; ls /sys/class/net/*/brif/\r' });
    await waitFor(() => /\d+: docker0: </.test(seen()) && /veth[0-9a-f]{7}/.test(seen()), 'docker0 and a veth end in the host view');
    const info = await dockerCli(
      'inspect',
      '-f',
      '{{.HostConfig.NetworkMode}} pid={{.HostConfig.PidMode}} {{.HostConfig.Privileged}} {{json .HostConfig.CapDrop}} {{.HostConfig.ReadonlyRootfs}} {{index .Config.Labels "dev.netlab.app"}}',
      'netlab-docker-host',
    );
    expect(info).toBe('host pid= false ["ALL"] true docker-host');
    // The image it runs is pinned in the data dir (host-view.test.ts proves the pin holds).
    const pin = JSON.parse(await readFile(join(t.dataDir, 'host-view-image.json'), 'utf8')) as { id: string };
    expect(await dockerCli('inspect', '-f', '{{.Image}}', 'netlab-docker-host')).toBe(pin.id);
    const mounts = await dockerCli('inspect', '-f', '{{range .Mounts}}{{.Source}} {{end}}', 'netlab-docker-host');
    expect(mounts).not.toContain('docker.sock');
  });

  it('a live checkpoint follows the state; a passed one stays passed', async () => {
    await run('docker stop -t 0 itest-ck-a');
    await until('on-net', 'failed', 'itest-ck-a is exited, not running.');
    expect((await statuses()).net?.status).toBe('passed');
  });
});

describe('reset', () => {
  it('removes what the lab created and nothing else', async () => {
    // Created on the same engine by another program, not through the lab's shell: not the lab's.
    // (Past the short grace after the shell's last command, when creations still count as its own.)
    await new Promise((r) => setTimeout(r, 800));
    await dockerCli('run', '-d', '--name', `${MINE}other`, 'busybox', 'sleep', '600');
    // Joined to a lab network: the learner's container survives, disconnected from it.
    await run(`docker network connect itest-ck-net ${MINE}box`);
    await t.api['lab.evaluate']({});

    const result = await t.api['lab.reset']({});
    expect(result.failed).toEqual([]);
    expect(await containerNames(PREFIX)).toEqual([]);
    expect(await networkNames(PREFIX)).toEqual([]);
    expect((await containerNames(MINE)).sort()).toEqual([`${MINE}box`, `${MINE}other`]);
    expect(await networkNames(MINE)).toEqual([`${MINE}net`]);
    // The host view helper goes with the lab.
    expect(await containerNames('netlab-docker-host')).toEqual([]);
    const nets = await dockerCli('inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', `${MINE}box`);
    expect(nets.trim()).toBe(`${MINE}net`);
  });
});
