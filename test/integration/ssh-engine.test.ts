// NetLab against an engine reached over ssh:// (Settings → Docker engine, or
// DOCKER_HOST), as in a lab whose engine runs on another machine: the preflight,
// the event stream that decides checkpoints, a container shell (a hijacked exec
// stream) and reset all go through ssh. The engine behind the sshd is this
// machine's own, so the test's docker CLI acts on the same objects.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocker } from '../../electron/services/docker/client';
import { engineConnector } from '../../electron/services/relay/engine-connection';
import { LabRelay, type EngineRecord } from '../../electron/services/relay/lab-relay';
import { startTestServices, type TestServices } from '../support/services';
import { containerNames, dockerCli, networkNames, removeByPrefix, waitFor } from '../support/docker';
import { startSshEngine, type SshEngine } from '../support/ssh-engine';

// The names of the checkpoint-kinds fixture lesson, and one of the learner's own.
const PREFIX = 'itest-ck-';
const MINE = 'itest-ssh-mine';

let ssh: SshEngine;
let t: TestServices;

function passed(id: string): boolean {
  return t.sink.of('checkpoints.changed').some((e) => e.checkpoints.some((c) => c.id === id && c.status === 'passed'));
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  await removeByPrefix(MINE);
  ssh = await startSshEngine();
  await dockerCli('run', '-d', '--name', MINE, 'busybox', 'sleep', '600');
  t = await startTestServices('netlab-ssh-', undefined, { DOCKER_HOST: ssh.dockerHost, SSH_AUTH_SOCK: ssh.agentSocket });
});

afterAll(async () => {
  await t?.services.dispose();
  await ssh?.stop();
  await removeByPrefix(PREFIX);
  await removeByPrefix(MINE);
});

describe('an engine over ssh://', () => {
  it('passes the preflight, naming the ssh endpoint and the images it has', async () => {
    const preflight = await t.api['preflight.run']({});
    expect(preflight.reachable).toBe(true);
    expect(preflight.endpoint).toBe(ssh.dockerHost);
    expect(preflight.version).toBe(await dockerCli('version', '--format', '{{.Server.Version}}'));
    expect(preflight.images).toContainEqual({ name: 'busybox', present: true });
  });

  it('fails a checkpoint on a near-miss and passes it from the event stream alone', async () => {
    await t.api['lab.open']({ lessonId: 'checkpoint-kinds' });
    await dockerCli('network', 'create', 'itest-ck-net2');
    await waitFor(async () => (await t.api['lab.evaluate']({})).find((s) => s.id === 'net')?.reason?.en === 'Network itest-ck-net does not exist yet.', 'the near-miss to be seen over ssh');
    expect(passed('net')).toBe(false);
    await dockerCli('network', 'create', 'itest-ck-net');
    // No evaluation asked for: the create event, read over ssh, turns it green.
    await waitFor(() => passed('net'), 'net to pass by itself');
  });

  it('opens a shell in a lab container over ssh', async () => {
    await dockerCli('run', '-di', '--name', 'itest-ck-a', '--net', 'itest-ck-net', 'busybox');
    await waitFor(() => passed('on-net'), 'on-net to pass');
    const shell = await t.api['terminal.open']({ kind: 'container', container: 'itest-ck-a', cols: 100, rows: 30 });
    const output = (): string => t.sink.of('terminal.data').filter((d) => d.id === shell.id).map((d) => d.data).join('');
    await waitFor(() => /[#$] /.test(output()), 'the container prompt');
    // The answer only the shell can give: the sum, computed in the container.
    await t.api['terminal.input']({ id: shell.id, data: 'echo over-ssh-$((40+2))\r' });
    await waitFor(() => output().includes('over-ssh-42'), 'the command output from the container');
    await t.api['terminal.close']({ id: shell.id });
  });

  it("carries a host shell's docker commands through its lab relay, a hijacked stream included", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netlab-ssh-relay-'));
    const records: EngineRecord[] = [];
    const { docker, endpoint } = createDocker({ DOCKER_HOST: ssh.dockerHost, SSH_AUTH_SOCK: ssh.agentSocket });
    const relay = await LabRelay.listen({ socketPath: join(dir, 'docker.sock'), connect: engineConnector(docker), endpoint, label: () => undefined, execResult: async () => ({}), onRecord: (r) => records.push(r) });
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${relay.socketPath}` };
      delete env.DOCKER_CONTEXT;
      // `docker run` (not -d) attaches: an upgraded connection, raw both ways over ssh's dial-stdio.
      const out = await new Promise<string>((resolve, reject) =>
        execFile('docker', ['run', '--rm', '--name', 'itest-ck-relayed', 'busybox', 'sh', '-c', 'echo over-ssh-relay-$((40+2))'], { env, encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout))),
      );
      expect(out.trim()).toBe('over-ssh-relay-42');
      await waitFor(() => records.some((r) => r.op === 'container.attach' && r.status === 101), 'the attach to be recorded');
      expect(records.find((r) => r.op === 'container.create')).toMatchObject({ status: 201, query: { name: 'itest-ck-relayed' } });
    } finally {
      await relay.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resets what the lab created and nothing else', async () => {
    const result = await t.api['lab.reset']({});
    expect(result.removedContainers).toEqual(['itest-ck-a']);
    expect([...result.removedNetworks].sort()).toEqual(['itest-ck-net', 'itest-ck-net2']);
    expect(await containerNames(PREFIX)).toEqual([]);
    expect(await networkNames(PREFIX)).toEqual([]);
    expect(await containerNames(MINE)).toEqual([MINE]);
  });
});
