// The coach against the real engine: real commands typed into a real bash
// (TerminalManager with the app's shell integration and a lab relay, as the
// app runs it), the real LabTracker's model, and coachCommands wiring both the
// commands and the relay's records as the app does: one hint per mistake
// whichever source saw it. Every hint must be true of what the engine really
// did. Names are prefixed itest-coach-.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoachHint, CommandRecord } from '../../electron/api/types';
import { coachCommands, type Coaching } from '../../electron/services/coach';
import { createDocker } from '../../electron/services/docker/client';
import { LabTracker } from '../../electron/services/lab/tracker';
import { HostRelays } from '../../electron/services/relay/host-relays';
import { stripAnsi } from '../../electron/services/terminals/strip-ansi';
import { TerminalManager } from '../../electron/services/terminals/terminal-manager';
import { RecordingSink } from '../support/services';
import { dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-coach-';
/** The start of the shell integration's prompt mark (OSC 133;A). */
const PROMPT_MARK = '\x1b]133;A;';
const NET = `${PREFIX}net`;

const { docker, endpoint } = createDocker();
let terminals: TerminalManager;
const sink = new RecordingSink();
let tracker: LabTracker;
let coaching: Coaching;
let host: string;
const records: CommandRecord[] = [];
const hints: CoachHint[] = [];

/** Everything a terminal printed so far. */
function printed(id: string): string {
  return sink.of('terminal.data').filter((d) => d.id === id).map((d) => d.data).join('');
}

/** A terminal's last output as text, for failure messages. */
function tail(id: string): string {
  return stripAnsi(printed(id)).slice(-400);
}

/** Types a command into the host shell and waits for its record and the coach's look at it. */
async function run(command: string, interruptAfterMs?: number): Promise<{ record: CommandRecord; hint?: CoachHint }> {
  const seen = records.length;
  const hinted = hints.length;
  terminals.input(host, `${command}\r`);
  if (interruptAfterMs !== undefined) {
    await new Promise((r) => setTimeout(r, interruptAfterMs));
    terminals.input(host, '\x03');
  }
  const record = await waitFor(() => records[seen], `the shell to finish: ${command}`, 30_000);
  expect(record.command).toBe(command);
  await coaching.idle();
  const hint = hints[hinted];
  expect(hints.length).toBeLessThanOrEqual(hinted + 1);
  return hint ? { record, hint } : { record };
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  const dataDir = await mkdtemp(join(tmpdir(), 'netlab-coach-'));
  tracker = new LabTracker(docker, { ledgerFile: join(dataDir, 'ledger.json') });
  await tracker.start();
  const relays = new HostRelays({ docker, endpoint, dataDir });
  terminals = new TerminalManager({
    docker,
    sink,
    dataDir,
    relays,
    cleanRc: true,
    env: { ...process.env, HISTFILE: join(dataDir, 'history') },
  });
  terminals.onCommand((rec) => records.push(rec));
  coaching = coachCommands({
    terminals,
    relays,
    tracker,
    lesson: () => ({ containers: [], networks: [NET] }),
    onHint: (hint) => hints.push(hint),
  });
  host = (await terminals.openHost(120, 30)).id;
  // Ready at the shell's first prompt mark, as the app's terminal sees it.
  await waitFor(() => printed(host).includes(PROMPT_MARK), 'the first prompt', 15_000);
});

afterAll(async () => {
  coaching?.dispose();
  await terminals?.closeAll();
  await tracker?.stop();
  await removeByPrefix(PREFIX);
});

/** Fresh names per attempt: a retry must not trip over the last attempt's leftovers. */
let attempt = 0;
function names<const T extends readonly string[]>(...parts: T): { [K in keyof T]: string } {
  attempt++;
  return parts.map((p) => `${PREFIX}${attempt}-${p}`) as { [K in keyof T]: string };
}

// Each test makes what it needs through the shell, so the coach's "before"
// model is the one the app would see. Other suites on this shared engine reset
// their labs, and a reset takes whatever appeared while their shell command
// ran (the app's attribution), and other suites' clean-ups remove itest-*
// names: these containers can vanish mid-test, hence fresh names and retries.
describe('coach against the real engine', { retry: 2 }, () => {
  it('dns-on-default-bridge: a name does not resolve between two containers on the default bridge', async () => {
    const [a, b] = names('dns-a', 'dns-b');
    expect((await run(`docker run -di --name ${a} busybox`)).hint).toBeUndefined();
    expect((await run(`docker run -di --name ${b} busybox`)).hint).toBeUndefined();
    const { record, hint } = await run(`docker exec ${a} ping -c 1 -W 1 ${b}`);
    expect(record.exitCode).not.toBe(0);
    expect(hint?.rule).toBe('dns-on-default-bridge');
    // The address it suggests is b's real one.
    const ip = await dockerCli('inspect', '-f', '{{.NetworkSettings.Networks.bridge.IPAddress}}', b);
    expect(hint?.message.en).toContain(`ping -c 3 ${ip}`);
    expect(hint?.message.en).toContain(`docker network create ${NET}`);
  });

  it('name-in-use: the same --name again exits 125 and names the fix', async () => {
    const [name] = names('dup');
    expect((await run(`docker run -di --name ${name} busybox`)).hint).toBeUndefined();
    const { record, hint } = await run(`docker run -di --name ${name} busybox`);
    expect(record.exitCode).toBe(125);
    expect(hint?.rule).toBe('name-in-use');
    expect(hint?.message.en).toContain(`docker rm -f ${name}`);
  });

  it('network-in-use: removing a network with a container attached names the container; the near-miss is silent', async () => {
    const [a, b, net] = names('net-a', 'net-b', 'net');
    expect((await run(`docker network create ${net}`)).hint).toBeUndefined();
    expect((await run(`docker run -di --name ${a} --net ${net} busybox`)).hint).toBeUndefined();
    const { record, hint } = await run(`docker network rm ${net}`);
    expect(record.exitCode).not.toBe(0);
    expect(hint?.rule).toBe('network-in-use');
    expect(hint?.message.en).toContain(`docker network disconnect ${net} ${a}`);
    // Near-miss: with both on the network, pinging by name works and nothing is said.
    expect((await run(`docker run -di --name ${b} --net ${net} busybox`)).hint).toBeUndefined();
    const ok = await run(`docker exec ${a} ping -c 1 -W 2 ${b}`);
    expect(ok.record.exitCode, tail(host)).toBe(0);
    expect(ok.hint).toBeUndefined();
  });

  it('ping-without-count: Ctrl+C stops only the client, and ping really keeps running in the container', async () => {
    const [name] = names('pinger');
    expect((await run(`docker run -di --name ${name} busybox`)).hint).toBeUndefined();
    const { hint } = await run(`docker exec ${name} ping 127.0.0.1`, 1_500);
    expect(hint?.rule).toBe('ping-without-count');
    expect(hint?.message.en).toContain(`docker exec ${name} killall ping`);
    // What the hint claims is true: ping is still running inside the container.
    const ps = await dockerCli('exec', name, 'ps');
    expect(ps).toContain('ping 127.0.0.1');
    // Near-miss: with a count it ends by itself, and nothing is said.
    expect((await run(`docker exec ${name} ping -c 1 127.0.0.1`)).hint).toBeUndefined();
  });

  it('shell-exits-without-stdin and join-target-not-running: busybox without -i stops; joining it fails and leaves a container', async () => {
    const [noi, joiner] = names('noi', 'j');
    const first = await run(`docker run -d --name ${noi} busybox`);
    expect(first.record.exitCode).toBe(0);
    expect(first.hint?.rule).toBe('shell-exits-without-stdin');
    expect(first.hint?.message.en).toContain(`docker run -i -d --name ${noi} busybox`);
    expect(await dockerCli('inspect', '-f', '{{.State.Status}}', noi)).toBe('exited');

    const { record, hint } = await run(`docker run -di --name ${joiner} --net container:${noi} busybox`);
    expect(record.exitCode).toBe(125);
    expect(hint?.rule).toBe('join-target-not-running');
    expect(hint?.message.en).toContain(`docker start ${noi}`);
    // Docker really left the container behind, as the hint says.
    expect(await dockerCli('inspect', '-f', '{{.State.Status}}', joiner)).toBe('created');
    expect(hint?.message.en).toContain(`docker rm ${joiner}`);
  });

  it('one hint per mistake when the command and the engine both explain it: the engine speaks first', async () => {
    const [name] = names('both');
    const missing = await run(`docker exec ${name} ls`);
    expect(missing.record.exitCode).not.toBe(0);
    // The CLI asked for the container first (404); the command rule would say the same: one hint.
    expect(missing.hint?.rule).toBe('container-missing');
    expect(missing.hint?.source).toBe('engine');
    expect(missing.hint?.command).toBe(`No such container: ${name}`);
    expect((await run(`docker run -di --name ${name} busybox`)).hint).toBeUndefined();
    // No command rule knows this one; the engine does.
    const rm = await run(`docker rm ${name}`);
    expect(rm.record.exitCode).not.toBe(0);
    expect(rm.hint?.rule).toBe('remove-running-container');
    expect(rm.hint?.message.en).toContain(`docker rm -f ${name}`);
    expect(await dockerCli('inspect', '-f', '{{.State.Status}}', name)).toBe('running');
  });
});
