// One fresh lab for a lesson test: its own data dir and services instance (the
// whole app in-process), a host shell (the app's default, or the one asked
// for), and helpers to type commands the way the learner does and to read
// verdicts. A command is known to have finished by the shell's own command
// event where the app's prompt hooks report one (bash, zsh), else by a marker
// printed after it on the same line (dash and any other shell).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, Events, EventSink, Handlers } from '../../electron/api/contract';
import {
  DOCKER_HOST_TERMINAL,
  HOST_TERMINAL,
  type CheckpointStatus,
  type CommandRecord,
  type ResetResult,
  type SolutionCommand,
  type Topology,
} from '../../electron/api/types';
import { createServices, type Services } from '../../electron/services/app/services';
import { openAppLog } from '../../electron/services/log/logger';
import { stripAnsi } from '../../electron/services/terminals/strip-ansi';
import { expandCommand, hostMarkedLine, markedLine } from './expand';

const POLL_MS = 50;
const PROMPT_MARK = '\x1b]133;A';
/** The end of a plain shell prompt (`/ # `, `$ `, `> `): container shells, and host shells without the app's integration. */
const PLAIN_PROMPT = /[#$>%]\s*$/;

export interface LabOptions {
  lessonsDir: string;
  source: 'builtin' | 'extra';
  /** How long one command may run before the test gives up on it. */
  commandTimeoutMs?: number;
  /** The host shell's program; absent: the app's default (the learner's bash or zsh, else bash). */
  shell?: string;
}

/** Records what the services push; waiters poll it. */
class RunnerSink implements EventSink {
  readonly commands: CommandRecord[] = [];
  readonly output = new Map<string, string>();
  readonly exited = new Set<string>();

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    if (name === 'terminal.command') this.commands.push(payload as Events['terminal.command']);
    else if (name === 'terminal.data') {
      const { id, data } = payload as Events['terminal.data'];
      this.output.set(id, (this.output.get(id) ?? '') + data);
    } else if (name === 'terminal.exit') this.exited.add((payload as Events['terminal.exit']).id);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(what());
    await sleep(POLL_MS);
  }
}

/** Labs open right now, so an interrupted run can still reset them. */
const openLabs = new Set<Lab>();

/** Resets and closes every open lab (Ctrl-C): what the runs created does not stay behind. */
export async function resetOpenLabs(): Promise<number> {
  const labs = [...openLabs];
  await Promise.all(labs.map(async (lab) => {
    await lab.reset().catch(() => undefined);
    await lab.dispose();
  }));
  return labs.length;
}

export class Lab {
  private readonly terminals = new Map<string, string>();
  private marks = 0;
  private disposed = false;
  /** Whether the host shell reports each command (the app's prompt hooks); known once its first prompt showed. */
  private hostReportsCommands = false;

  private constructor(
    readonly lessonId: string,
    private readonly services: Services,
    private readonly sink: RunnerSink,
    private readonly dataDir: string,
    private readonly commandTimeoutMs: number,
    private readonly shell: string | undefined,
  ) {}

  private get api(): Handlers {
    return this.services.handlers;
  }

  /** A fresh services instance, the lesson open, a host shell at its prompt. Returns the statuses at the start. */
  static async open(options: LabOptions, lessonId: string): Promise<{ lab: Lab; atStart: CheckpointStatus[] }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'netlab-lessons-test-'));
    const sink = new RunnerSink();
    // As the app's boot does: the lab's log goes to its data dir, not to the runner's output.
    await openAppLog(dataDir);
    const services = await createServices(
      {
        dataDir,
        lessons: [{ dir: options.lessonsDir, source: options.source }],
        appVersion: 'lessons-test',
        transport: 'websocket',
        cleanShellRc: true,
        ...(options.shell ? { shell: options.shell } : {}),
        env: { ...process.env, HISTFILE: join(dataDir, 'history') },
      },
      sink,
    );
    const lab = new Lab(lessonId, services, sink, dataDir, options.commandTimeoutMs ?? 60_000, options.shell);
    openLabs.add(lab);
    try {
      // The author runs their own lesson on purpose: that is consent to its probes (an extra folder's wait for it).
      const { fingerprint, setup } = await services.handlers['lessons.get']({ id: lessonId });
      await services.handlers['lessons.allow']({ lessonId, fingerprint });
      await services.handlers['lab.open']({ lessonId });
      // As the app does: a lesson's setup runs in the fresh lab before the learner starts.
      if (setup?.length) {
        const result = await services.handlers['lab.setup']({ lessonId });
        if (result.state !== 'done') {
          const why = result.failed ? `${result.failed.command}: ${result.failed.message}` : result.state;
          throw new Error(`the lesson's setup did not run (${why})`);
        }
      }
      await lab.terminal(HOST_TERMINAL);
      return { lab, atStart: await lab.evaluate() };
    } catch (err) {
      await lab.dispose();
      throw err;
    }
  }

  /** Whether the host shell reports each command with the app's prompt marks (else the runner prints markers). */
  get commandMarks(): boolean {
    return this.hostReportsCommands;
  }

  async evaluate(): Promise<CheckpointStatus[]> {
    return this.api['lab.evaluate']({});
  }

  async statuses(): Promise<Map<string, CheckpointStatus>> {
    return new Map((await this.evaluate()).map((s) => [s.id, s]));
  }

  async topology(): Promise<Topology> {
    return this.api['lab.topology']({});
  }

  /** Opens a terminal on demand (host, docker-host or a container) and waits until it can take input. */
  private async terminal(name: string): Promise<string> {
    const known = this.terminals.get(name);
    if (known && !this.sink.exited.has(known)) return known;
    const size = { cols: 200, rows: 50 };
    const info =
      name === HOST_TERMINAL
        ? await this.api['terminal.open']({ kind: 'host', ...size })
        : name === DOCKER_HOST_TERMINAL
          ? await this.api['terminal.open']({ kind: 'docker-host', ...size })
          : await this.api['terminal.open']({ kind: 'container', container: name, ...size });
    this.terminals.set(name, info.id);
    if (name !== HOST_TERMINAL) {
      // Typing before the shell shows its prompt can be lost while it sets up the tty.
      await until(
        () => (PLAIN_PROMPT.test(this.tail(info.id, 200)) ? true : undefined),
        15_000,
        () => `the ${name} terminal showed no shell prompt within 15 s (output: ${JSON.stringify(this.tail(info.id))})`,
      );
    } else {
      this.hostReportsCommands = info.reportsCommands === true;
      await this.hostPrompt(info.id);
    }
    return info.id;
  }

  /**
   * Waits for the host shell's first prompt: the app's prompt mark in a shell
   * that reports its commands (the terminal says which), a plain prompt in
   * one that does not.
   */
  private async hostPrompt(id: string): Promise<void> {
    const reports = this.hostReportsCommands;
    await until(
      () => (reports ? (this.sink.output.get(id) ?? '').includes(PROMPT_MARK) : PLAIN_PROMPT.test(this.tail(id, 200))) || undefined,
      15_000,
      () => `the host shell showed no prompt within 15 s (output: ${JSON.stringify(this.tail(id))})`,
    );
  }

  private tail(id: string, chars = 300): string {
    return stripAnsi((this.sink.output.get(id) ?? '').slice(-chars));
  }

  /**
   * Types one solution or near-miss entry into its terminal, `${ip:C@N}`
   * expanded first, and waits until it finished: the host shell's command
   * event, or a marker printed after it (in a host shell that reports no
   * commands, with its exit status). Returns the host command's record.
   */
  async run(entry: SolutionCommand): Promise<CommandRecord | undefined> {
    const expanded = expandCommand(entry.command, await this.topology());
    if (!expanded.ok) throw new Error(expanded.error);
    const command = expanded.command;
    const id = await this.terminal(entry.terminal);
    if (this.sink.exited.has(id)) throw new Error(`the ${entry.terminal} terminal exited`);
    if (entry.terminal === HOST_TERMINAL && !this.hostReportsCommands) return this.runMarked(id, command);
    if (entry.terminal === HOST_TERMINAL) {
      const before = this.sink.commands.length;
      await this.api['terminal.input']({ id, data: `${command}\r` });
      try {
        return await until(
          () => this.sink.commands.slice(before).find((c) => c.terminalId === id),
          this.commandTimeoutMs,
          () => `"${command}" did not finish in the host shell within ${this.commandTimeoutMs / 1000} s (last output: ${JSON.stringify(this.tail(id))})`,
        );
      } catch (err) {
        // Interrupt it so the shell is usable for what follows.
        await this.api['terminal.input']({ id, data: '\x03' }).catch(() => undefined);
        throw err;
      }
    }
    const n = ++this.marks;
    const { line, marker } = markedLine(command, n);
    const from = (this.sink.output.get(id) ?? '').length;
    await this.api['terminal.input']({ id, data: line });
    await until(
      () => ((this.sink.output.get(id) ?? '').indexOf(marker, from) >= 0 ? true : undefined),
      this.commandTimeoutMs,
      () => `"${command}" did not finish in the ${entry.terminal} terminal within ${this.commandTimeoutMs / 1000} s (last output: ${JSON.stringify(this.tail(id))})`,
    );
    return undefined;
  }

  /** A host command in a shell without command events: the marker on its line gives the end and the exit status. */
  private async runMarked(id: string, command: string): Promise<CommandRecord> {
    const { line, done } = hostMarkedLine(command, ++this.marks, this.shell);
    const from = (this.sink.output.get(id) ?? '').length;
    await this.api['terminal.input']({ id, data: line });
    try {
      const exitCode = await until(
        () => {
          const m = done.exec((this.sink.output.get(id) ?? '').slice(from));
          return m ? Number(m[1]) : undefined;
        },
        this.commandTimeoutMs,
        () => `"${command}" did not finish in the host shell within ${this.commandTimeoutMs / 1000} s (last output: ${JSON.stringify(this.tail(id))})`,
      );
      return { terminalId: id, command, exitCode, finishedAt: new Date().toISOString() };
    } catch (err) {
      await this.api['terminal.input']({ id, data: '\x03' }).catch(() => undefined);
      throw err;
    }
  }

  async answer(quizId: string, choice: number): Promise<boolean> {
    return (await this.api['quiz.answer']({ lessonId: this.lessonId, quizId, choice })).correct;
  }

  /** Polls until every id passed; returns the last statuses either way. */
  async waitPassed(ids: readonly string[], timeoutMs: number): Promise<{ ok: boolean; statuses: Map<string, CheckpointStatus> }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const statuses = await this.statuses();
      if (ids.every((id) => statuses.get(id)?.status === 'passed')) return { ok: true, statuses };
      if (Date.now() > deadline) return { ok: false, statuses };
      await sleep(POLL_MS * 2);
    }
  }

  /**
   * Evaluates repeatedly for holdMs: a wrong pass may show up late (an event
   * still on its way). Returns, per id, whether it ever passed and the last reason.
   */
  async holdUnpassed(ids: readonly string[], holdMs: number): Promise<Map<string, { passed: boolean; status?: CheckpointStatus }>> {
    const out = new Map<string, { passed: boolean; status?: CheckpointStatus }>(ids.map((id) => [id, { passed: false }]));
    const deadline = Date.now() + holdMs;
    for (;;) {
      const statuses = await this.statuses();
      for (const id of ids) {
        const s = statuses.get(id);
        const prev = out.get(id);
        out.set(id, { passed: (prev?.passed ?? false) || s?.status === 'passed', ...(s ? { status: s } : {}) });
      }
      if (Date.now() > deadline) return out;
      await sleep(POLL_MS * 4);
    }
  }

  async reset(): Promise<ResetResult> {
    return this.api['lab.reset']({});
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    openLabs.delete(this);
    await this.services.dispose().catch(() => undefined);
    await rm(this.dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
