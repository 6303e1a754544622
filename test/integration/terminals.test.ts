// The terminal manager against a real bash (with the app's shell integration)
// and real `docker exec` shells. Containers are prefixed itest-term-.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventSink, Events } from '../../electron/api/contract';
import { LabError } from '../../electron/api/errors';
import type { CommandRecord } from '../../electron/api/types';
import { OUTPUT_DEFAULTS } from '../../electron/services/terminals/output-pipe';
import { TerminalManager } from '../../electron/services/terminals/terminal-manager';

const HIGH = OUTPUT_DEFAULTS.highWaterChars;
/** Past the high mark by at most the batch that crossed it plus one read. */
const PAUSE_SLACK = OUTPUT_DEFAULTS.maxBatchChars + 65_536;

const docker = new Dockerode();
const PREFIX = `itest-term-${process.pid}-`;
const CONTAINER = `${PREFIX}a`;
const STOPPED = `${PREFIX}stopped`;

type Captured = { [E in EventName]: { name: E; payload: Events[E] } }[EventName];

class ArraySink implements EventSink {
  readonly events: Captured[] = [];
  /** When set, every batch is acknowledged as soon as it arrives (as xterm would). */
  autoAck: ((id: string, chars: number) => void) | undefined;
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.events.push({ name, payload } as Captured);
    if (name === 'terminal.data' && this.autoAck) {
      const data = payload as Events['terminal.data'];
      this.autoAck(data.id, data.data.length);
    }
  }
  output(id: string): string {
    return this.events.flatMap((e) => (e.name === 'terminal.data' && e.payload.id === id ? [e.payload.data] : [])).join('');
  }
  commands(id: string): CommandRecord[] {
    return this.events.flatMap((e) => (e.name === 'terminal.command' && e.payload.terminalId === id ? [e.payload] : []));
  }
  exits(id: string): Events['terminal.exit'][] {
    return this.events.flatMap((e) => (e.name === 'terminal.exit' && e.payload.id === id ? [e.payload] : []));
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The shell's prompt mark, which ends with the terminal's nonce. */
const PROMPT_MARK = /\x1b\]133;A;[0-9a-f]{32}\x07/g;

/** The host shell is ready at its first prompt mark, as the app's terminal sees it. */
async function untilPrompt(id: string): Promise<void> {
  await until('the first prompt', () => (sink.output(id).match(PROMPT_MARK) ?? []).length > 0, 15_000);
}

async function removeOurContainers(): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { name: [PREFIX] } });
  await Promise.all(
    all
      .filter((c) => c.Names.some((n) => n.replace(/^\//, '').startsWith(PREFIX)))
      .map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)),
  );
}

let dataDir: string;
let sink: ArraySink;
let manager: TerminalManager;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'netlab-itest-term-'));
  await removeOurContainers();
});

afterEach(async () => {
  await manager?.closeAll();
});

afterAll(async () => {
  await removeOurContainers();
  await rm(dataDir, { recursive: true, force: true });
});

function newManager(): TerminalManager {
  sink = new ArraySink();
  manager = new TerminalManager({ docker, sink, dataDir, shell: 'bash', cleanRc: true, cwd: tmpdir() });
  return manager;
}

describe('host shell', () => {
  it('reports commands with their exit codes, and nothing for an empty line', async () => {
    const m = newManager();
    const seen: CommandRecord[] = [];
    m.onCommand((rec) => seen.push(rec));
    const outputs: string[] = [];
    m.onOutput((_id, name, text) => outputs.push(`${name}:${text}`));

    const term = await m.openHost(80, 24);
    expect(term).toMatchObject({ kind: 'host', name: 'host', running: true });
    expect(term.id).toMatch(/^host-\d+$/);
    await untilPrompt(term.id);

    m.input(term.id, 'echo hello\r');
    const first = await until('echo record', () => sink.commands(term.id)[0]);
    expect(first).toMatchObject({ terminalId: term.id, command: 'echo hello', exitCode: 0 });
    expect(Number.isNaN(Date.parse(first.finishedAt))).toBe(false);
    expect(sink.output(term.id)).toContain('hello\r\n');
    expect(seen).toEqual([first]);
    expect(outputs.join('')).toContain('host:');

    // An empty Enter: a new prompt comes, no command is reported.
    const prompts = (sink.output(term.id).match(PROMPT_MARK) ?? []).length;
    m.input(term.id, '\r');
    await until('a new prompt', () => (sink.output(term.id).match(PROMPT_MARK) ?? []).length > prompts);
    m.input(term.id, 'false\r');
    await until('false record', () => sink.commands(term.id)[1]);
    expect(sink.commands(term.id).map((r) => [r.command, r.exitCode])).toEqual([
      ['echo hello', 0],
      ['false', 1],
    ]);
  });

  it('round-trips a command line with ;, quotes, backslashes and non-ASCII exactly', async () => {
    const m = newManager();
    const term = await m.openHost(120, 24);
    await untilPrompt(term.id);
    const line = `printf '%s;%s\\n' "a\\\\b" 'c "d"' ; echo 容器 | cat`;
    m.input(term.id, `${line}\r`);
    const rec = await until('record', () => sink.commands(term.id)[0]);
    expect(rec.command).toBe(line);
    expect(rec.exitCode).toBe(0);
    expect(sink.output(term.id)).toContain('a\\b;c "d"\r\n容器');
  });

  it('records nothing a program’s output forges, and keeps the nonce from child processes', async () => {
    const m = newManager();
    const term = await m.openHost(160, 24);
    await untilPrompt(term.id);
    // A finished `docker network create` and a prompt, as marks without the nonce.
    const forge = `printf '\\e]633;E;docker network create forged\\a\\e]133;C\\a\\e]133;D;0\\a\\e]133;A\\a'`;
    m.input(term.id, `${forge}\r`);
    const first = await until('the printf record', () => sink.commands(term.id)[0]);
    expect(first).toMatchObject({ command: forge, exitCode: 0 });
    expect(sink.output(term.id)).toContain('\x1b]633;E;docker network create forged\x07');
    // The shell holds the nonce; a child process does not see it.
    const check = `[ -n "$__netlab_nonce" ] && ! printenv NETLAB_NONCE`;
    m.input(term.id, `${check}\r`);
    const second = await until('the environment check', () => sink.commands(term.id)[1]);
    expect(second).toMatchObject({ command: check, exitCode: 0 });
    expect(sink.commands(term.id)).toHaveLength(2);
  });

  it('reports the exit and frees the terminal', async () => {
    const m = newManager();
    const term = await m.openHost(80, 24);
    await untilPrompt(term.id);
    m.resize(term.id, 0, 10_000); // clamped, no throw
    m.input(term.id, 'exit 7\r');
    const exit = await until('exit event', () => sink.exits(term.id)[0]);
    expect(exit).toEqual({ id: term.id, exitCode: 7 });
    expect(m.list()).toEqual([]);
    expect(() => m.input(term.id, 'x')).toThrow(LabError);
    // Late calls on an exited terminal are harmless.
    m.resize(term.id, 80, 24);
    m.ack(term.id, 10);
  });

  it('close() ends the shell and emits the exit', async () => {
    const m = newManager();
    const term = await m.openHost(80, 24);
    await untilPrompt(term.id);
    expect(m.list().map((t) => t.id)).toEqual([term.id]);
    await m.close(term.id);
    expect(sink.exits(term.id)).toHaveLength(1);
    expect(m.list()).toEqual([]);
  });

  it('pauses a fast producer until the output is acknowledged', async () => {
    const m = newManager();
    const term = await m.openHost(80, 24);
    await untilPrompt(term.id);
    const sent = (): number => sink.output(term.id).length;
    const before = sent();
    m.input(term.id, 'yes | head -c 5000000; echo done-$((40+2))\r');

    // Nothing is acknowledged: output must stop near the high-water mark.
    await until('the source to pause', () => sent() - before > HIGH);
    await sleep(500);
    const stalled = sent();
    await sleep(500);
    expect(sent()).toBe(stalled);
    expect(stalled - before).toBeLessThan(HIGH + PAUSE_SLACK);
    expect(sink.commands(term.id)).toEqual([]);

    // Acknowledge everything so far, then keep acknowledging: the command finishes.
    sink.autoAck = (id, chars) => m.ack(id, chars);
    m.ack(term.id, stalled);
    const rec = await until('yes | head to finish', () => sink.commands(term.id)[0], 30_000);
    expect(rec.exitCode).toBe(0);
    expect(sink.output(term.id)).toContain('done-42');
    expect(sent() - before).toBeGreaterThan(5_000_000);
  });
});

describe('callers', () => {
  it('a terminal belongs to the caller that opened it and stops when that caller leaves', async () => {
    const m = newManager();
    const [a, b, none] = [await m.openHost(80, 24, { owner: 'a' }), await m.openHost(80, 24, { owner: 'b' }), await m.openHost(80, 24)];
    expect([m.ownerOf(a.id), m.ownerOf(b.id), m.ownerOf(none.id)]).toEqual(['a', 'b', undefined]);
    await m.disconnect('a');
    expect(sink.exits(a.id)).toHaveLength(1);
    expect(m.list().map((t) => t.id)).toEqual([b.id, none.id]);
    expect(m.ownerOf(a.id)).toBeUndefined();
  });

  it('is still owned while its exit goes out, so the transport can route the exit', async () => {
    const owners: (string | undefined)[] = [];
    const exits: EventSink = {
      emit(name, payload) {
        if (name === 'terminal.exit') owners.push(m.ownerOf((payload as Events['terminal.exit']).id));
      },
    };
    const m: TerminalManager = new TerminalManager({ docker, sink: exits, dataDir, shell: 'bash', cleanRc: true, cwd: tmpdir() });
    manager = m;
    const term = await m.openHost(80, 24, { owner: 'a' });
    await m.close(term.id);
    expect(owners).toEqual(['a']);
  });

  it('closes a terminal that finishes opening after its caller left', async () => {
    const m = newManager();
    await m.disconnect('gone');
    const term = await m.openHost(80, 24, { owner: 'gone' });
    await until('its exit', () => sink.exits(term.id)[0]);
    expect(m.list()).toEqual([]);
  });
});

describe('container shell', () => {
  beforeAll(async () => {
    const make = async (name: string, start: boolean): Promise<void> => {
      const c = await docker.createContainer({ name, Image: 'busybox:latest', Cmd: ['sleep', '600'] });
      if (start) await c.start();
    };
    await make(CONTAINER, true);
    await make(STOPPED, false);
  });

  it('runs commands in the container, resizes, and reports the exit', async () => {
    const m = newManager();
    const term = await m.openContainer(CONTAINER, 80, 24);
    expect(term).toMatchObject({ kind: 'container', name: CONTAINER, running: true });
    const info = await docker.getContainer(CONTAINER).inspect();

    m.input(term.id, 'hostname\r');
    m.input(term.id, 'echo $((6*7))\r');
    await until('42', () => sink.output(term.id).includes('42\r\n'));
    expect(sink.output(term.id)).toContain(info.Config.Hostname);

    m.resize(term.id, 100, 30);
    await sleep(200);
    m.input(term.id, 'stty size\r');
    await until('new size', () => sink.output(term.id).includes('30 100'));

    m.input(term.id, 'exit 3\r');
    const exit = await until('exit event', () => sink.exits(term.id)[0]);
    expect(exit).toEqual({ id: term.id, exitCode: 3 });
    expect(m.list()).toEqual([]);
  });

  it('holds back a fast producer in the container until acknowledged', async () => {
    const m = newManager();
    const term = await m.openContainer(CONTAINER, 80, 24);
    m.input(term.id, 'yes | head -c 1000000; echo done-$((40+2))\r');
    const sent = (): number => sink.output(term.id).length;
    await until('the source to pause', () => sent() > HIGH);
    await sleep(500);
    const stalled = sent();
    await sleep(500);
    expect(sent()).toBe(stalled);
    expect(stalled).toBeLessThan(HIGH + PAUSE_SLACK);
    sink.autoAck = (id, chars) => m.ack(id, chars);
    m.ack(term.id, stalled);
    await until('the producer to finish', () => /done-42\r\n/.test(sink.output(term.id)), 30_000);
    expect(sent()).toBeGreaterThan(1_000_000);
  });

  it('close() ends the shell inside the container', async () => {
    const m = newManager();
    const term = await m.openContainer(CONTAINER, 80, 24);
    m.input(term.id, 'echo ready\r');
    await until('ready', () => sink.output(term.id).includes('ready\r\n'));
    await m.close(term.id);
    expect(sink.exits(term.id)).toHaveLength(1);
    // No shell is left behind in the container.
    const top = (await docker.getContainer(CONTAINER).top()) as { Processes: string[][] };
    expect(top.Processes.map((p) => p.join(' ')).filter((p) => p.includes('/bin/sh'))).toEqual([]);
  });

  it('refuses a missing or stopped container with a clear message', async () => {
    const m = newManager();
    await expect(m.openContainer(`${PREFIX}missing`, 80, 24)).rejects.toThrow(/does not exist/);
    const err: unknown = await m.openContainer(STOPPED, 80, 24).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(`${STOPPED} is not running — start it with docker start ${STOPPED}`);
    expect(m.list()).toEqual([]);
  });
});
