// 9. The lab relay (electron/services/relay/), as a learner's shell uses it:
// browser mode's server and one host shell, whose relay socket (read from the
// shell's own DOCKER_HOST) the clients below use, each beside the same call
// straight to the engine's socket, alternated so drift hits both alike. No
// lesson is open until the checkpoint part: the first parts time the relay,
// not the checkpoint engine its records feed.
// - Per call: `docker version` (the CLI: a ping and /version) and dockerode's
//   `/version`, p50 and p95 of each path and the difference; and dockerode's
//   `/_ping`, which costs the engine next to nothing (on Docker 20.10 /version
//   runs runc and docker-init for their versions, so its own time varies by
//   milliseconds), as a reference without a target.
//   And a floor, also without a target: the same calls through a byte pipe
//   (a child process that copies bytes between each connection and the
//   engine's socket, reading no HTTP). What it adds is what any relay process
//   in the path costs on this machine (waking one more process per message,
//   a new engine connection per client connection), before it reads a byte.
// - `docker run --rm busybox true`, end to end.
// - `docker logs` of a container that printed ~100 MB (base64 of random
//   bytes): throughput, and the two outputs compared by length and SHA-256 (a
//   difference fails the scenario).
// - A checkpoint decided from an engine record: the fixture lesson
//   engine-kinds (test/fixtures/courses/kinds-course: its "listed" needs a
//   network list and nothing else), `docker network ls` through the relay passes it:
//   from the CLI process's exit to `checkpoints.changed` over the WebSocket.
//   Each trial resets progress and opens the lesson again.
// - The server's RSS over a `docker logs -f` flood through the relay (a
//   container running `yes`, json-file logs capped by rotation), minute
//   medians at each end as in the memory scenario, and the live heap after a
//   full GC before and after.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import Dockerode from 'dockerode';
import { docker, dockerCli, PREFIX, removeByPrefix } from '../lib/docker';
import { connectHeapInspector, type HeapInspector } from '../lib/heap-inspector';
import { ROOT, rssMiB, startServe, type ServeHandle } from '../lib/serve';
import { epochMs, p50, p95, poll, sleep } from '../lib/stats';
import { failed, result, type BenchResult, type Scenario } from '../lib/types';
import { ApiClient } from '../lib/ws';

const TAG = `${PREFIX}relay-`;
const LESSON = 'engine-kinds';
const CHECKPOINT = 'listed';
const FIXTURE_LESSONS = resolve(ROOT, 'test/fixtures/courses/kinds-course');

/** The CLI's environment for one path: DOCKER_HOST set (relay) or as this process has it (direct). */
function cliEnv(dockerHost: string | undefined): NodeJS.ProcessEnv {
  if (!dockerHost) return process.env;
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: dockerHost };
  for (const name of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) delete env[name];
  return env;
}

/** Runs the CLI; resolves at the process's exit with its duration (ms) and when it exited (epochMs). */
function timedCli(args: string[], dockerHost: string | undefined): Promise<{ ms: number; exitedAt: number }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn('docker', args, { env: cliEnv(dockerHost), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const exitedAt = epochMs();
      const ms = performance.now() - t0;
      if (code === 0) resolvePromise({ ms, exitedAt });
      else reject(new Error(`docker ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

/** `docker logs NAME` streamed into a hash: bytes, SHA-256, seconds. */
function hashedLogs(name: string, dockerHost: string | undefined, follow = false): { done: Promise<{ bytes: number; sha256: string; seconds: number }>; bytes: () => number; stop: () => void } {
  const hash = createHash('sha256');
  let bytes = 0;
  const t0 = performance.now();
  const child = spawn('docker', ['logs', ...(follow ? ['-f', '--tail', '0'] : []), name], { env: cliEnv(dockerHost), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (!follow) hash.update(chunk);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ bytes: number; sha256: string; seconds: number }>((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0 && !(follow && signal)) reject(new Error(`docker logs ${name} exited ${code}: ${stderr.trim()}`));
      else if (!follow && stderr) reject(new Error(`docker logs ${name} wrote to stderr: ${stderr.slice(0, 200)}`));
      else resolvePromise({ bytes, sha256: hash.digest('hex'), seconds: (performance.now() - t0) / 1000 });
    });
  });
  return { done, bytes: () => bytes, stop: () => child.kill('SIGINT') };
}

/** The host shell's DOCKER_HOST, as the shell itself prints it. */
async function shellDockerHost(api: ApiClient, host: string): Promise<string> {
  let out = '';
  const off = api.on('terminal.data', ({ id, data }) => {
    if (id === host) out += data;
  });
  try {
    await api.call('terminal.input', { id: host, data: 'echo "__DH=$DOCKER_HOST"\r' });
    return await poll(() => /__DH=((?:unix|npipe):\/\/[^\s"\x1b]+)/.exec(out)?.[1], "the shell's DOCKER_HOST", 10_000);
  } finally {
    off();
  }
}

async function allowAndOpen(api: ApiClient): Promise<void> {
  const { fingerprint } = await api.call('lessons.get', { id: LESSON });
  const consent = await api.call('lessons.allow', { lessonId: LESSON, fingerprint });
  if (!consent.granted) throw new Error(`consent to ${LESSON} was not recorded`);
  await api.call('lab.open', { lessonId: LESSON });
}

type Path = 'relay' | 'direct' | 'pipe';
type Paired = Record<Path, number[]>;

/** Each trial calls every path once, in an order that rotates, so drift hits all alike. */
async function paired(trials: number, one: (path: Path) => Promise<number>, paths: Path[] = ['relay', 'direct']): Promise<Paired> {
  const out: Paired = { relay: [], direct: [], pipe: [] };
  for (let i = 0; i < trials; i++) {
    const order = paths.map((_, k) => paths[(i + k) % paths.length] as Path);
    for (const path of order) out[path].push(await one(path));
  }
  return out;
}

// The floor's byte pipe: one engine connection per client connection, bytes copied both ways.
const BYTE_PIPE = `
const net = require('node:net');
const [listenPath, enginePath] = process.argv.slice(1);
require('node:fs').rmSync(listenPath, { force: true });
net.createServer((c) => {
  const e = net.connect(enginePath);
  c.pipe(e); e.pipe(c);
  for (const [a, b] of [[c, e], [e, c]]) { a.on('error', () => b.destroy()); a.on('close', () => b.destroy()); }
}).listen(listenPath, () => console.log('listening'));
`;

/** Starts the byte pipe in its own process (as the relay is in the server's); its socket path and a stop. */
async function startBytePipe(): Promise<{ socketPath: string; stop: () => void }> {
  const enginePath = (docker().modem as unknown as { socketPath?: unknown }).socketPath;
  if (typeof enginePath !== 'string') throw new Error('the floor reads the engine on a local socket only');
  const socketPath = resolve(tmpdir(), `netlab-bench-pipe-${process.pid}.sock`);
  const child = spawn(process.execPath, ['-e', BYTE_PIPE, socketPath, enginePath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the byte pipe exited ${code}`)));
    child.stdout.once('data', () => resolvePromise());
  });
  return { socketPath, stop: () => child.kill() };
}

function overheadRows(label: string, got: Paired, note: string, targets = true): BenchResult[] {
  const d50 = p50(got.relay) - p50(got.direct);
  const d95 = p95(got.relay) - p95(got.direct);
  const rows = [
    result(`relay: ${label} p50`, p50(got.relay), 'ms', p50(got.direct), undefined, `${got.relay.length} calls each way; ${note}; baseline the same call on the engine's socket`),
    result(`relay: ${label} p95`, p95(got.relay), 'ms', p95(got.direct), undefined, 'baseline the same call on the engine\'s socket'),
    result(`relay: ${label} overhead p50`, d50, 'ms', p50(got.direct), targets ? { max: 0.5 } : undefined, 'relay p50 − direct p50; baseline direct p50'),
    result(`relay: ${label} overhead p95`, d95, 'ms', p95(got.direct), targets ? { max: 2 } : undefined, 'relay p95 − direct p95; baseline direct p95'),
  ];
  if (got.pipe.length) {
    rows.push(
      result(`relay: ${label} floor (byte pipe) overhead p50`, p50(got.pipe) - p50(got.direct), 'ms', p50(got.direct), undefined, 'the same call through a byte pipe process that reads no HTTP, alternated with the two above: pipe p50 − direct p50, what a process in the path costs before any relay work; baseline direct p50'),
      result(`relay: ${label} floor (byte pipe) overhead p95`, p95(got.pipe) - p95(got.direct), 'ms', p95(got.direct), undefined, 'pipe p95 − direct p95; baseline direct p95'),
    );
  }
  return rows;
}

async function perCall(ctx: { quick: boolean; log(m: string): void }, relayHost: string): Promise<BenchResult[]> {
  const pipe = await startBytePipe();
  try {
    return await perCallThrough(ctx, relayHost, pipe.socketPath);
  } finally {
    pipe.stop();
  }
}

async function perCallThrough(ctx: { quick: boolean; log(m: string): void }, relayHost: string, pipePath: string): Promise<BenchResult[]> {
  const paths: Path[] = ['relay', 'direct', 'pipe'];
  const clients: Record<Path, Dockerode> = { relay: new Dockerode({ socketPath: relayHost.replace(/^unix:\/\//, '') }), direct: docker(), pipe: new Dockerode({ socketPath: pipePath }) };
  const hosts: Record<Path, string | undefined> = { relay: relayHost, direct: undefined, pipe: `unix://${pipePath}` };
  const figures = (got: Paired, digits: number): string => paths.map((path) => `${path} ${p50(got[path]).toFixed(digits)} ms`).join(', ');
  for (let i = 0; i < 50; i++) for (const path of paths) await clients[path].version();
  const api = await paired(ctx.quick ? 300 : 3000, async (path) => {
    const t0 = performance.now();
    await clients[path].version();
    return performance.now() - t0;
  }, paths);
  ctx.log(`dockerode /version p50: ${figures(api, 3)}`);
  const ping = await paired(ctx.quick ? 300 : 3000, async (path) => {
    const t0 = performance.now();
    await clients[path].ping();
    return performance.now() - t0;
  }, paths);
  ctx.log(`dockerode /_ping p50: ${figures(ping, 3)}`);
  for (const path of paths) await timedCli(['version'], hosts[path]);
  const cli = await paired(ctx.quick ? 20 : 300, async (path) => (await timedCli(['version'], hosts[path])).ms, paths);
  ctx.log(`docker version p50: ${figures(cli, 1)}`);
  return [
    ...overheadRows('docker version (CLI)', cli, 'the CLI process from spawn to exit: a ping and /version'),
    ...overheadRows('/version (dockerode)', api, 'one dockerode call with a keep-alive agent'),
    ...overheadRows('/_ping (dockerode)', ping, 'one dockerode call with a keep-alive agent; a reference: the relay\'s own cost on a call the engine answers at once', false),
  ];
}

async function runRm(ctx: { quick: boolean; log(m: string): void }, relayHost: string): Promise<BenchResult[]> {
  const args = ['run', '--rm', '--label', 'netlab.bench=1', 'busybox', 'true'];
  await timedCli(args, relayHost);
  await timedCli(args, undefined);
  const got = await paired(ctx.quick ? 5 : 20, async (path) => (await timedCli(args, path === 'relay' ? relayHost : undefined)).ms);
  ctx.log(`docker run --rm busybox true p50: relay ${p50(got.relay).toFixed(0)} ms, direct ${p50(got.direct).toFixed(0)} ms`);
  return [
    result('relay: docker run --rm busybox true p50', p50(got.relay), 'ms', p50(got.direct), { ratioMax: 1.05 }, `${got.relay.length} runs each way, spawn to exit; baseline the same on the engine's socket`),
    result('relay: docker run --rm busybox true p95', p95(got.relay), 'ms', p95(got.direct), undefined, "baseline the same on the engine's socket"),
  ];
}

async function logs(ctx: { quick: boolean; log(m: string): void }, relayHost: string): Promise<BenchResult[]> {
  const name = `${TAG}logs`;
  // 75,000,000 random bytes as base64 in 76-character lines: 101,315,790 bytes of output.
  await dockerCli('run', '-d', '--name', name, 'busybox', 'sh', '-c', 'head -c 75000000 /dev/urandom | base64');
  await dockerCli('wait', name);
  const trials = ctx.quick ? 1 : 3;
  const got: Record<'relay' | 'direct', { bytes: number; sha256: string; seconds: number }[]> = { relay: [], direct: [] };
  for (let i = 0; i < trials; i++) {
    for (const path of (i % 2 ? ['relay', 'direct'] : ['direct', 'relay']) as ('relay' | 'direct')[]) {
      got[path].push(await hashedLogs(name, path === 'relay' ? relayHost : undefined).done);
    }
  }
  const reference = got.direct[0];
  if (!reference || reference.bytes < 100_000_000) throw new Error(`docker logs read only ${reference?.bytes ?? 0} bytes straight from the engine`);
  for (const run of [...got.direct, ...got.relay]) {
    if (run.bytes !== reference.bytes || run.sha256 !== reference.sha256) {
      throw new Error(`docker logs through the relay is NOT byte-exact: ${run.bytes} bytes sha256 ${run.sha256}, expected ${reference.bytes} bytes sha256 ${reference.sha256}`);
    }
  }
  const rate = (runs: { bytes: number; seconds: number }[]): number => p50(runs.map((r) => r.bytes / 1e6 / r.seconds));
  ctx.log(`docker logs ${(reference.bytes / 1e6).toFixed(1)} MB: relay ${rate(got.relay).toFixed(1)} MB/s, direct ${rate(got.direct).toFixed(1)} MB/s; byte-exact (sha256 ${reference.sha256.slice(0, 12)}…)`);
  await dockerCli('rm', '-f', name);
  return [
    result('relay: docker logs 100 MB throughput', rate(got.relay), 'MB/s', rate(got.direct), { ratioMin: 0.9 }, `${trials} reads each way of ${reference.bytes} bytes (base64 of random bytes), median; every read byte-exact (length and SHA-256 equal to the direct read); baseline the same read on the engine's socket`),
  ];
}

async function checkpointTrials(ctx: { quick: boolean; log(m: string): void }, api: ApiClient, relayHost: string): Promise<BenchResult[]> {
  const trials = ctx.quick ? 5 : 30;
  await allowAndOpen(api);
  const samples: number[] = [];
  const cliMs: number[] = [];
  for (let i = 0; i < trials; i++) {
    await api.call('progress.reset', {});
    const opened = await api.call('lab.open', { lessonId: LESSON });
    if (opened.checkpoints.find((c) => c.id === CHECKPOINT)?.status === 'passed') throw new Error(`${CHECKPOINT} already passed after a progress reset`);
    const passed = api.next('checkpoints.changed', (e) => e.checkpoints.some((c) => c.id === CHECKPOINT && c.status === 'passed'), 10_000);
    passed.catch(() => undefined);
    const cli = await timedCli(['network', 'ls'], relayHost);
    samples.push((await passed).at - cli.exitedAt);
    cliMs.push(cli.ms);
    // Let the pass be written before the next reset.
    await sleep(100);
  }
  ctx.log(`checkpoint from an engine record: CLI exit → checkpoints.changed p50 ${p50(samples).toFixed(1)} ms (min ${Math.min(...samples).toFixed(1)})`);
  return [
    result('relay: checkpoint from an engine record p50', p50(samples), 'ms', p50(cliMs), { max: 20 }, `${trials} trials, fixture lesson ${LESSON}, checkpoint ${CHECKPOINT} (kind engine, network.list): the docker CLI process's exit → checkpoints.changed showing it passed, over the WebSocket (negative: it arrived before the CLI had exited); baseline the \`docker network ls\` itself, spawn to exit`),
    result('relay: checkpoint from an engine record p95', p95(samples), 'ms', p95(cliMs), undefined, 'baseline `docker network ls` p95'),
  ];
}

async function flood(ctx: { quick: boolean; log(m: string): void }, serve: ServeHandle, relayHost: string, inspector: HeapInspector): Promise<BenchResult[]> {
  const soakSeconds = ctx.quick ? 20 : 600;
  const name = `${TAG}flood`;
  await dockerCli('run', '-d', '--name', name, '--label', 'netlab.bench=1', '--log-opt', 'max-size=20m', '--log-opt', 'max-file=2', 'busybox', 'yes', 'NetLab relay flood: the quick brown fox jumps over the lazy dog 0123456789');
  const liveBefore = await inspector.liveHeapMiB();
  const reader = hashedLogs(name, relayHost, true);
  reader.done.catch(() => undefined);
  try {
    await sleep(2000);
    const samples: number[] = [];
    const bytesAtStart = reader.bytes();
    const t0 = Date.now();
    while (Date.now() - t0 < soakSeconds * 1000) {
      samples.push(await rssMiB(serve.pid));
      await sleep(1000);
    }
    const actual = (Date.now() - t0) / 1000;
    const mb = (reader.bytes() - bytesAtStart) / 1e6;
    reader.stop();
    await reader.done.catch(() => undefined);
    await sleep(1000);
    const liveAfter = await inspector.liveHeapMiB();
    // RSS saw-tooths while a stream runs (V8's young generation, socket buffers): each end is the
    // median of a minute of samples, as in the memory scenario; a leak moves that, a tooth does not.
    const window = Math.max(3, Math.min(60, Math.floor(samples.length / 4)));
    const head = p50(samples.slice(0, window));
    const tail = p50(samples.slice(-window));
    ctx.log(`flood ${actual.toFixed(0)} s, ${mb.toFixed(0)} MB read through the relay (${(mb / actual).toFixed(1)} MB/s): RSS ${head.toFixed(1)} → ${tail.toFixed(1)} MiB (medians of ${window}; range ${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)}); live heap ${liveBefore.toFixed(2)} → ${liveAfter.toFixed(2)} MiB`);
    if (mb <= 0) throw new Error('the docker logs -f reader got nothing through the relay');
    return [
      result(`relay: server RSS growth, ${actual.toFixed(0)} s docker logs -f flood`, tail - head, 'MiB', head, { max: 5 }, `median of the last ${window} samples − median of the first ${window} (1 s apart, from 2 s after the reader started); ${mb.toFixed(0)} MB (${(mb / actual).toFixed(1)} MB/s) of \`yes\` read through the relay; range ${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)} MiB; baseline RSS at the start of the flood`),
      result(`relay: server live heap growth, ${actual.toFixed(0)} s flood`, liveAfter - liveBefore, 'MiB', liveBefore, undefined, 'heap in use after a full GC forced through the inspector, 1 s after the reader stopped − the same just before the flood; baseline the live heap before'),
    ];
  } finally {
    reader.stop();
    await dockerCli('rm', '-f', name).catch(() => '');
  }
}

export const relay: Scenario = {
  name: 'relay',
  description: 'lab relay: per-call overhead (CLI, dockerode), docker run, 100 MB of logs, a checkpoint from an engine record, RSS under a logs -f flood',
  async run(ctx) {
    await removeByPrefix(TAG);
    const serve = await startServe(['--lessons', FIXTURE_LESSONS], ['--inspect=127.0.0.1:0']);
    let api: ApiClient | undefined;
    let inspector: HeapInspector | undefined;
    const results: BenchResult[] = [];
    try {
      api = await ApiClient.connect(serve);
      const host = await api.openHost();
      const relayHost = await shellDockerHost(api, host);
      ctx.log(`the host shell's DOCKER_HOST: ${relayHost}`);
      if (!relayHost.startsWith('unix://')) throw new Error(`this scenario reads unix sockets only, not ${relayHost}`);
      inspector = await connectHeapInspector(() => serve.output());
      // Each part reports on its own; a byte difference in the logs fails the scenario.
      const parts: [string, () => Promise<BenchResult[]>][] = [
        ['relay per call', () => perCall(ctx, relayHost)],
        ['relay docker run', () => runRm(ctx, relayHost)],
        ['relay docker logs', () => logs(ctx, relayHost)],
        ['relay checkpoint', () => checkpointTrials(ctx, api as ApiClient, relayHost)],
        ['relay flood', () => flood(ctx, serve, relayHost, inspector as HeapInspector)],
      ];
      for (const [label, part] of parts) {
        try {
          results.push(...(await part()));
        } catch (err) {
          if (label === 'relay docker logs' && err instanceof Error && /byte-exact/.test(err.message)) throw err;
          ctx.log(`${label} failed: ${err instanceof Error ? err.message : String(err)}`);
          results.push(failed(label, err));
        }
      }
      return results;
    } finally {
      inspector?.close();
      await api?.call('lab.close', {}).catch(() => undefined);
      api?.close();
      await serve.stop();
      await removeByPrefix(TAG);
    }
  },
};
