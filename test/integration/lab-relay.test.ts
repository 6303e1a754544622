// The lab relay against the real engine, driven by the real docker CLI as a
// learner's shell would: every kind of call goes through (interactive, streams,
// copies, builds, a 100 MB stream byte for byte), what a lab creates is
// labelled, each call is recorded (an exec with its command and exit code),
// bad input is refused, a missing engine is reported and recovered from, and
// nobody else can open the socket.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocker } from '../../electron/services/docker/client';
import { engineConnector } from '../../electron/services/relay/engine-connection';
import { LabRelay, type EngineRecord } from '../../electron/services/relay/lab-relay';
import { dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-relay-';
const LABEL = { key: 'dev.netlab.lab', value: 'itest-relay' };
const { docker, endpoint } = createDocker();
let dir: string;
let relay: LabRelay;
const records: EngineRecord[] = [];

function relayEnv(socketPath = relay.socketPath): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socketPath}` };
  delete env.DOCKER_CONTEXT;
  return env;
}

/** The docker CLI through the relay: exit code and output, never a throw. */
function cli(args: string[], options: { socketPath?: string; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('docker', args, { env: relayEnv(options.socketPath), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A docker CLI in a pseudo-terminal, for -it sessions and Ctrl-C. */
function ptyCli(args: string[]): { pty: IPty; output: () => string; exited: Promise<number> } {
  let out = '';
  const pty = spawnPty('docker', args, { name: 'xterm', cols: 100, rows: 30, env: relayEnv() as Record<string, string> });
  pty.onData((d) => (out += d));
  const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  return { pty, output: () => out, exited };
}

function since(seq: number): EngineRecord[] {
  return records.filter((r) => r.seq > seq);
}

const lastSeq = (): number => records.at(-1)?.seq ?? 0;

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  dir = await mkdtemp(join(tmpdir(), 'netlab-relay-'));
  relay = await LabRelay.listen({
    socketPath: join(dir, 'relay', 'docker.sock'),
    connect: engineConnector(docker),
    endpoint,
    label: () => LABEL,
    execResult: async (id) => {
      const info = await docker.getExec(id).inspect();
      return { exitCode: info.ExitCode ?? undefined, containerId: info.ContainerID };
    },
    onRecord: (r) => records.push(r),
  });
});

afterAll(async () => {
  await relay?.close();
  await removeByPrefix(PREFIX);
  await dockerCli('rmi', `${PREFIX}built:1`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('the lab relay', () => {
  it('is a socket only its owner can open', async () => {
    const { mode } = await import('node:fs/promises').then((fs) => fs.stat(relay.socketPath));
    expect(mode & 0o777).toBe(0o600);
    const dirMode = (await import('node:fs/promises').then((fs) => fs.stat(join(dir, 'relay')))).mode;
    expect(dirMode & 0o777).toBe(0o700);
    if (process.getuid?.() !== 0) return;
    // As another user (the effective ids change for the connect and back): refused.
    process.setegid?.(65534);
    process.seteuid?.(65534);
    let code: string | undefined;
    try {
      code = await new Promise<string | undefined>((resolve) => {
        const socket = net.connect(relay.socketPath);
        socket.once('connect', () => {
          socket.destroy();
          resolve(undefined);
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
      });
    } finally {
      process.seteuid?.(0);
      process.setegid?.(0);
    }
    expect(code).toBe('EACCES');
  });

  it('labels what a lab creates and records the create, with Env values left out', async () => {
    const from = lastSeq();
    const run = await cli(['run', '-d', '--name', `${PREFIX}a`, '-e', 'SECRET=hunter2', 'busybox', 'sleep', '600']);
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(await dockerCli('inspect', '-f', `{{index .Config.Labels "${LABEL.key}"}}`, `${PREFIX}a`)).toBe(LABEL.value);
    const create = since(from).find((r) => r.op === 'container.create');
    expect(create).toMatchObject({ status: 201, created: id, query: { name: `${PREFIX}a` } });
    expect((create?.body as { Env?: string[] }).Env).toEqual(['SECRET=']);
    expect(JSON.stringify(records)).not.toContain('hunter2');
    await dockerCli('network', 'create', `${PREFIX}net`).catch(() => undefined);
    const net2 = await cli(['network', 'create', `${PREFIX}net2`]);
    expect(net2.code).toBe(0);
    expect(await dockerCli('network', 'inspect', '-f', `{{index .Labels "${LABEL.key}"}}`, `${PREFIX}net2`)).toBe(LABEL.value);
    // Made directly, not through the relay: no label.
    expect(await dockerCli('network', 'inspect', '-f', `{{index .Labels "${LABEL.key}"}}`, `${PREFIX}net`)).toBe('');
  });

  it('records no credentials: no Env values of an exec, build argument values, registry auth headers or login bodies', async () => {
    const from = lastSeq();
    expect((await cli(['exec', '-e', 'TOKEN=hunter2-exec', `${PREFIX}a`, 'true'])).code).toBe(0);
    const context = join(dir, 'build-args');
    await import('node:fs/promises').then((fs) => fs.mkdir(context, { recursive: true }));
    await writeFile(join(context, 'Dockerfile'), 'FROM busybox\nARG TOKEN\nRUN test -n "$TOKEN"\n');
    const built = await cli(['build', '-q', '--build-arg', 'TOKEN=hunter2-build', '-t', `${PREFIX}args:1`, context]);
    expect(built.code, built.stderr).toBe(0);
    await dockerCli('rmi', `${PREFIX}args:1`).catch(() => undefined);
    // A pull with credentials (as `docker pull` sends them after `docker login`), and a login itself.
    const auth = Buffer.from(JSON.stringify({ username: 'learner', password: 'hunter2-header' })).toString('base64url');
    const request = (method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<number> =>
      new Promise((resolve) => {
        const req = http.request({ socketPath: relay.socketPath, method, path, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.end(body);
      });
    await request('POST', `/v1.41/images/create?fromImage=${PREFIX}registry.invalid/x&tag=1`, { 'X-Registry-Auth': auth });
    await request('POST', '/v1.41/auth', { 'content-type': 'application/json' }, JSON.stringify({ username: 'learner', password: 'hunter2-login', serveraddress: `${PREFIX}registry.invalid` }));
    await request('POST', '/v1.41/images/create?fromSrc=http://learner:hunter2-url@registry.invalid/x.tar&repo=x', {});
    const seen = await waitFor(() => {
      const mine = since(from);
      return mine.filter((r) => r.path === '/auth' || r.op === 'image.pull').length >= 3 ? mine : undefined;
    }, 'the pull, login and import records');
    const text = JSON.stringify(seen);
    for (const secret of ['hunter2-exec', 'hunter2-build', 'hunter2-header', 'hunter2-login', 'hunter2-url', auth]) expect(text).not.toContain(secret);
    // What a lesson may ask about is still there.
    expect(seen.find((r) => r.op === 'container.exec')?.body).toMatchObject({ Env: ['TOKEN='], Cmd: ['true'] });
    expect(JSON.parse(seen.find((r) => r.op === 'image.build')?.query.buildargs ?? '{}')).toEqual({ TOKEN: '' });
  });

  it('records an exec with its command and exit code, whatever it was', async () => {
    const from = lastSeq();
    expect((await cli(['exec', `${PREFIX}a`, 'ip', 'a'])).stdout).toContain('lo:');
    expect((await cli(['container', 'exec', `${PREFIX}a`, 'sh', '-c', 'exit 3'])).code).toBe(3);
    const execs = await waitFor(() => {
      const done = since(from).filter((r) => r.exec?.exitCode !== undefined);
      return done.length === 2 ? done : undefined;
    }, 'two finished execs');
    const id = await dockerCli('inspect', '-f', '{{.Id}}', `${PREFIX}a`);
    expect(execs.map((r) => r.exec)).toEqual([
      { container: `${PREFIX}a`, containerId: id, command: ['ip', 'a'], exitCode: 0 },
      { container: `${PREFIX}a`, containerId: id, command: ['sh', '-c', 'exit 3'], exitCode: 3 },
    ]);
  });

  it('carries an interactive docker run -it and docker exec -it', async () => {
    const run = ptyCli(['run', '--rm', '-it', '--name', `${PREFIX}it`, 'busybox', 'sh']);
    await waitFor(() => run.output().includes('#'), 'the container shell prompt', 20_000);
    run.pty.write('echo typed-$((40+2))\r');
    await waitFor(() => run.output().includes('typed-42'), 'the echo from the container');
    run.pty.write('exit\r');
    expect(await run.exited).toBe(0);

    const exec = ptyCli(['exec', '-it', `${PREFIX}a`, 'sh']);
    await waitFor(() => exec.output().includes('#'), 'the exec shell prompt', 20_000);
    exec.pty.write('echo exec-$((6*7))\r');
    await waitFor(() => exec.output().includes('exec-42'), 'the echo from the exec');
    exec.pty.write('exit 5\r');
    expect(await exec.exited).toBe(5);
  });

  it('carries docker logs -f and docker events until Ctrl-C, then the next call works', async () => {
    await dockerCli('run', '-d', '--name', `${PREFIX}ticker`, 'busybox', 'sh', '-c', 'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done');
    const logs = ptyCli(['logs', '-f', `${PREFIX}ticker`]);
    await waitFor(() => /tick-3\b/.test(logs.output()), 'the followed logs', 20_000);
    logs.pty.write('\x03');
    await logs.exited;
    // --since replays what happened before the stream started: no race with the pause below.
    const events = ptyCli(['events', '--since', String(Math.floor(Date.now() / 1000) - 1), '--filter', `container=${PREFIX}ticker`]);
    await dockerCli('pause', `${PREFIX}ticker`);
    await waitFor(() => events.output().includes('pause'), 'the pause event', 20_000);
    events.pty.write('\x03');
    await events.exited;
    expect((await cli(['version', '--format', '{{.Server.Version}}'])).code).toBe(0);
  });

  it('carries docker cp both ways', async () => {
    const local = join(dir, 'to-container.txt');
    await writeFile(local, 'copied in through the relay\n');
    expect((await cli(['cp', local, `${PREFIX}a:/tmp/in.txt`])).code).toBe(0);
    expect(await dockerCli('exec', `${PREFIX}a`, 'cat', '/tmp/in.txt')).toBe('copied in through the relay');
    await dockerCli('exec', `${PREFIX}a`, 'sh', '-c', 'echo made inside > /tmp/out.txt');
    const back = join(dir, 'from-container.txt');
    expect((await cli(['cp', `${PREFIX}a:/tmp/out.txt`, back])).code).toBe(0);
    expect(await readFile(back, 'utf8')).toBe('made inside\n');
  });

  it('carries a build', async () => {
    const context = join(dir, 'build');
    await import('node:fs/promises').then((fs) => fs.mkdir(context));
    await writeFile(join(context, 'Dockerfile'), 'FROM busybox\nRUN echo built-through-the-relay > /built\n');
    const built = await cli(['build', '-q', '-t', `${PREFIX}built:1`, context]);
    expect(built.code, built.stderr).toBe(0);
    expect(await dockerCli('run', '--rm', `${PREFIX}built:1`, 'cat', '/built')).toBe('built-through-the-relay');
  });

  it('passes a 100 MB stream byte for byte', async () => {
    // 100,000 lines of 1,000 characters each, read back with docker logs, directly and through the relay.
    await dockerCli('run', '-d', '--name', `${PREFIX}flood`, 'busybox', 'sh', '-c', 'line=$(printf "%0999d" 7); i=0; while [ $i -lt 100000 ]; do echo "$line"; i=$((i+1)); done');
    expect(await dockerCli('wait', `${PREFIX}flood`)).toBe('0');
    const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
    const direct = await new Promise<string>((resolve, reject) =>
      execFile('docker', ['logs', `${PREFIX}flood`], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const relayed = await cli(['logs', `${PREFIX}flood`]);
    expect(direct.length).toBe(100_000_000);
    expect(relayed.stdout.length).toBe(direct.length);
    expect(digest(relayed.stdout)).toBe(digest(direct));
  });

  it('refuses what it cannot read with a 400, and forwards none of it', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(relay.socketPath, () => socket.write('GARBAGE\r\n\r\n'));
      let out = '';
      socket.on('data', (d) => (out += d.toString()));
      socket.on('close', () => resolve(out));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    const status = await new Promise<number>((resolve) => {
      const req = http.request({ socketPath: relay.socketPath, method: 'POST', path: `/v1.41/containers/create?name=${PREFIX}bad`, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end('{"Image": "busybox",');
    });
    expect(status).toBe(400);
    expect(await dockerCli('ps', '-a', '--filter', `name=${PREFIX}bad`, '--format', '{{.Names}}')).toBe('');
  });
});

/** Writes `requests` on one connection (in `pieces`, each sent once the answers so far arrived) and reads until `done(out)` or the close. */
function rawExchange(pieces: string[], done: (out: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(relay.socketPath);
    let out = '';
    let next = 0;
    const send = (): void => {
      if (next < pieces.length) socket.write(pieces[next++] as string);
    };
    socket.on('connect', send);
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (done(out)) {
        socket.destroy();
        resolve(out);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    (socket as unknown as { sendNext: () => void }).sendNext = send;
  });
}

describe('the lab relay, byte by byte', () => {
  const statuses = (out: string): string[] => [...out.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1] as string);

  it('answers requests sent together on one connection in order, each recorded with its status and the engine message', async () => {
    const from = lastSeq();
    const pipelined =
      'HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\n' +
      `GET /v1.41/containers/${PREFIX}none/json HTTP/1.1\r\nHost: x\r\n\r\n` +
      'GET /v1.41/events?since=1&until=2 HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /v1.41/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const out = await rawExchange([pipelined], () => false);
    expect(statuses(out)).toEqual(['200', '404', '200', '200']);
    expect(out).toContain('"ApiVersion"');
    await waitFor(() => since(from).length >= 4, 'the four records');
    expect(since(from).map((r) => [r.op, r.status])).toEqual([
      ['system.ping', 200],
      ['container.inspect', 404],
      ['system.events', 200],
      ['system.version', 200],
    ]);
    expect(since(from)[1]?.error).toMatch(/No such container/);
  });

  it('labels a create whose body comes in chunks or after a 100 Continue, and passes the answer back whole', async () => {
    const body = JSON.stringify({ Image: 'busybox', Cmd: ['true'], Labels: { mine: 'kept' } });
    const half = Math.floor(body.length / 2);
    const chunked =
      `POST /v1.41/containers/create?name=${PREFIX}chunked HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${half.toString(16)}\r\n${body.slice(0, half)}\r\n${(body.length - half).toString(16)}\r\n${body.slice(half)}\r\n0\r\n\r\n`;
    const first = await rawExchange([chunked], (out) => /\r\n\r\n\{"Id":"[0-9a-f]{64}"/.test(out));
    expect(statuses(first)).toEqual(['201']);
    const expect100 = `POST /v1.41/containers/create?name=${PREFIX}continue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`;
    const second = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(relay.socketPath, () => socket.write(expect100));
      let out = '';
      socket.on('data', (d: Buffer) => {
        out += d.toString('latin1');
        // The body goes only once the relay asked for it.
        if (out === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write(body);
        if (/"Id":"[0-9a-f]{64}"/.test(out)) {
          socket.destroy();
          resolve(out);
        }
      });
      socket.on('error', reject);
    });
    expect(statuses(second)).toEqual(['100', '201']);
    for (const name of ['chunked', 'continue']) {
      expect(await dockerCli('inspect', '-f', `{{index .Config.Labels "${LABEL.key}"}} {{index .Config.Labels "mine"}}`, `${PREFIX}${name}`)).toBe(`${LABEL.value} kept`);
    }
  });

  it('refuses a request it could read two ways, and one over the head limit, forwarding none of it', async () => {
    const smuggle = `POST /v1.41/containers/create?name=${PREFIX}twoways HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`;
    expect(statuses(await rawExchange([smuggle], () => false))).toEqual(['400']);
    const huge = `GET /v1.41/version HTTP/1.1\r\nX-Filler: ${'a'.repeat(70_000)}\r\n\r\n`;
    expect(statuses(await rawExchange([huge], () => false))).toEqual(['400']);
    expect(await dockerCli('ps', '-a', '--filter', `name=${PREFIX}twoways`, '--format', '{{.Names}}')).toBe('');
  });
});

describe('the lab relay without an engine', () => {
  it('says so as the CLI would, and works again once the engine is back', async () => {
    // A stand-in engine socket that forwards to the real one, and can go away.
    const enginePath = join(dir, 'engine.sock');
    const { docker: viaStandIn, endpoint: standInEndpoint } = createDocker({ DOCKER_HOST: `unix://${enginePath}` });
    const own = await LabRelay.listen({
      socketPath: join(dir, 'relay2', 'docker.sock'),
      connect: engineConnector(viaStandIn),
      endpoint: standInEndpoint,
      label: () => undefined,
      execResult: async () => ({}),
      onRecord: () => undefined,
    });
    try {
      const down = await cli(['version', '--format', '{{.Server.Version}}'], { socketPath: own.socketPath });
      expect(down.code).not.toBe(0);
      expect(down.stderr).toContain('cannot be reached');
      const standIn = net.createServer((client) => {
        const engine = net.connect('/var/run/docker.sock');
        client.pipe(engine).pipe(client);
        client.on('error', () => engine.destroy());
        engine.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => standIn.listen(enginePath, resolve));
      try {
        const up = await cli(['version', '--format', '{{.Server.Version}}'], { socketPath: own.socketPath });
        expect(up.code, up.stderr).toBe(0);
        expect(up.stdout.trim()).toBe(await dockerCli('version', '--format', '{{.Server.Version}}'));
      } finally {
        await new Promise((resolve) => standIn.close(resolve));
      }
    } finally {
      await own.close();
    }
  });
});
