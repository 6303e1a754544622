// Tests lessons against the real engine the way a learner works through them:
// each step's solution typed into the host shell (the app's default, or the
// one given with --shell) or the terminal it names,
// each quiz answered wrong then right, every checkpoint not passed at the
// start and passed after its step; each near-miss in a lab of its own after the
// previous steps' solutions, its `fails` checkpoints never passing; and a lab
// reset that leaves none of the lesson's names behind.
import { basename, isAbsolute } from 'node:path';
import type Dockerode from 'dockerode';
import type { CheckpointState, CheckpointStatus, LessonProblem } from '../../electron/api/types';
import { createDocker } from '../../electron/services/docker/client';
import { loadLessons, type LoadedLesson, type NearMiss } from '../../electron/services/lessons/loader';
import { resolveShell } from '../../electron/services/terminals/shell-integration';
import { systemProbe } from '../../electron/services/terminals/host-shells';
import { composeSpelling, usesComposeV2 } from './compose-cli';
import { Lab, type LabOptions } from './lab';
import { leftovers, recordedByLab, removeNames, type LessonNames } from './names';
import { emptyReport, type CheckpointResult, type NearMissResult, type RunReport } from './report';

export interface RunnerOptions {
  /** The lessons folder (absolute). */
  lessonsDir: string;
  source: 'builtin' | 'extra';
  /** Lesson ids or folder names; empty: every lesson of the folder. */
  lessonIds?: readonly string[];
  /** How long a step's checkpoints may take to pass after its solution (default 20 s). */
  checkpointTimeoutMs?: number;
  /** How long a near-miss's checkpoints are watched for a late wrong pass (default 3 s). */
  holdMs?: number;
  /** How long one command may run (default 60 s). */
  commandTimeoutMs?: number;
  /** The host shell's program (default: the app's choice, the learner's bash or zsh, else bash). */
  shell?: string;
  /** Progress lines. */
  print?: (line: string) => void;
  docker?: Dockerode;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function reasonOf(s: CheckpointStatus | undefined): string {
  if (!s) return 'unknown checkpoint';
  return s.reason?.en ?? s.status;
}

function problemLine(p: LessonProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** The lessons to test and the folders that do not load, per the requested ids. */
export function selectLessons(
  loaded: readonly LoadedLesson[],
  problems: readonly LessonProblem[],
  ids: readonly string[],
): { lessons: LoadedLesson[]; broken: { name: string; problems: string[] }[] } {
  const byFolder = new Map<string, string[]>();
  for (const p of problems) {
    const folder = isAbsolute(p.file) ? p.file : (p.file.split('/')[0] ?? p.file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), problemLine(p)]);
  }
  if (ids.length === 0) {
    return { lessons: [...loaded], broken: [...byFolder].map(([name, ps]) => ({ name, problems: ps })) };
  }
  const lessons: LoadedLesson[] = [];
  const broken: { name: string; problems: string[] }[] = [];
  for (const id of ids) {
    const hit = loaded.find((l) => l.lesson.id === id || basename(l.dir) === id);
    if (hit) {
      if (!lessons.includes(hit)) lessons.push(hit);
      continue;
    }
    const folderProblems = byFolder.get(id);
    broken.push({ name: id, problems: folderProblems ?? [`no lesson with the id or folder "${id}"`] });
  }
  return { lessons, broken };
}

class LessonRun {
  private readonly names: LessonNames;
  private readonly resetProblems: string[] = [];

  constructor(
    private readonly loaded: LoadedLesson,
    private readonly docker: Dockerode,
    private readonly labOptions: LabOptions,
    private readonly report: RunReport,
    private readonly opts: Required<Pick<RunnerOptions, 'checkpointTimeoutMs' | 'holdMs'>> & {
      print: (line: string) => void;
      /** Told how each lab's host shell reports commands (the run prints it once). */
      shellSeen: (commandMarks: boolean) => void;
    },
  ) {
    this.names = loaded.lesson.names;
  }

  private get id(): string {
    return this.loaded.lesson.id;
  }

  private print(line: string): void {
    this.opts.print(line);
  }

  /** A fresh lab: only the lesson's own names removed first, and said so. */
  private async freshLab(label: string): Promise<{ lab: Lab; atStart: CheckpointStatus[] }> {
    const { removed, failed } = await removeNames(this.docker, this.names);
    if (removed.length > 0) this.print(`  pre-clean (${label}): removed ${removed.join(', ')}`);
    if (failed.length > 0) throw new Error(`could not remove leftovers: ${failed.join('; ')}`);
    const opened = await Lab.open(this.labOptions, this.id);
    this.opts.shellSeen(opened.lab.commandMarks);
    return opened;
  }

  /** Resets the lab and records anything of the lesson's still on the engine. */
  private async closeLab(lab: Lab, label: string): Promise<void> {
    let recorded: ReturnType<typeof recordedByLab> = { containers: [], networks: [] };
    try {
      recorded = recordedByLab(await lab.topology());
      const undeclared = [
        ...recorded.containers.filter((c) => !this.names.containers.includes(c.name)).map((c) => `container ${c.name}`),
        ...recorded.networks.filter((n) => !this.names.networks.includes(n.name)).map((n) => `network ${n.name}`),
      ];
      if (undeclared.length > 0) {
        this.print(`  note (${label}): the lab recorded ${undeclared.join(', ')}, not in the lesson's names (declare it, or another program made it meanwhile)`);
      }
      const result = await lab.reset();
      for (const f of result.failed) this.resetProblems.push(`${label}: reset could not remove ${f.name}: ${f.message}`);
    } catch (err) {
      this.resetProblems.push(`${label}: reset failed: ${(err as Error).message}`);
    } finally {
      await lab.dispose();
    }
    try {
      const left = await leftovers(this.docker, this.names, recorded);
      if (left.length > 0) this.resetProblems.push(`${label}: still there after lab.reset: ${left.join(', ')}`);
    } catch (err) {
      this.resetProblems.push(`${label}: could not look for leftovers: ${(err as Error).message}`);
    }
  }

  private quizIds(stepIndex: number): string[] {
    const step = this.loaded.lesson.steps[stepIndex];
    return step ? step.checkpointIds.filter((id) => this.loaded.quizzes.has(id)) : [];
  }

  /** Runs one step's solution; throws with the reason when a command cannot be run. */
  private async applySolution(lab: Lab, stepIndex: number): Promise<void> {
    const step = this.loaded.lesson.steps[stepIndex];
    for (const entry of step?.solution ?? []) await lab.run(entry);
  }

  private async answerRight(lab: Lab, quizId: string): Promise<boolean> {
    const right = this.loaded.quizzes.get(quizId)?.choices.findIndex((c) => c.correct) ?? -1;
    return right >= 0 && (await lab.answer(quizId, right));
  }

  async run(): Promise<void> {
    const { lesson } = this.loaded;
    this.print(`== ${lesson.id} (${this.loaded.dir})`);
    await this.mainRun();
    for (const [i, nm] of this.loaded.nearMisses.entries()) await this.nearMiss(nm, i);
    this.report.lessonChecks.push({
      lessonId: this.id,
      what: 'reset',
      ok: this.resetProblems.length === 0,
      ...(this.resetProblems.length > 0 ? { problem: this.resetProblems.join('; ') } : {}),
    });
  }

  private async mainRun(): Promise<void> {
    const { lesson } = this.loaded;
    const results = new Map<string, CheckpointResult>();
    for (const step of lesson.steps) {
      for (const id of step.checkpointIds) {
        const r: CheckpointResult = { lessonId: this.id, stepId: step.id, checkpointId: id, before: '-', atStart: '-', after: '-', ok: false, problem: 'not reached' };
        results.set(id, r);
        this.report.checkpoints.push(r);
      }
    }
    let opened: { lab: Lab; atStart: CheckpointStatus[] };
    try {
      opened = await this.freshLab('main run');
    } catch (err) {
      for (const r of results.values()) r.problem = `the lab did not open: ${(err as Error).message}`;
      this.print(`  the lab did not open: ${(err as Error).message}`);
      return;
    }
    const { lab, atStart } = opened;
    const startStatus = new Map<string, CheckpointState>(atStart.map((s) => [s.id, s.status]));
    for (const r of results.values()) r.atStart = startStatus.get(r.checkpointId) ?? '-';

    try {
      let broken: string | undefined;
      for (const [index, step] of lesson.steps.entries()) {
        const mine = step.checkpointIds.map((id) => results.get(id)).filter((r): r is CheckpointResult => r !== undefined);
        if (broken) {
          for (const r of mine) r.problem = `not reached: ${broken}`;
          continue;
        }
        const before = await lab.statuses();
        for (const r of mine) r.before = before.get(r.checkpointId)?.status ?? '-';
        const started = Date.now();
        try {
          await this.applySolution(lab, index);
        } catch (err) {
          broken = `step ${step.id}: ${(err as Error).message}`;
          for (const r of mine) r.problem = `its step's solution did not run: ${(err as Error).message}`;
          this.print(`  step ${step.id}: FAIL ${(err as Error).message}`);
          continue;
        }
        const quizProblems = new Map<string, string>();
        for (const quizId of this.quizIds(index)) {
          const quiz = this.loaded.quizzes.get(quizId);
          const wrong = quiz?.choices.findIndex((c) => !c.correct) ?? -1;
          if (wrong >= 0) {
            if (await lab.answer(quizId, wrong)) quizProblems.set(quizId, `choice ${wrong} is wrong but was accepted`);
            else if ((await lab.statuses()).get(quizId)?.status === 'passed') quizProblems.set(quizId, `passed after the wrong choice ${wrong}`);
          }
          if (!(await this.answerRight(lab, quizId))) quizProblems.set(quizId, 'the right choice was not accepted');
        }
        const { ok, statuses } = await lab.waitPassed(step.checkpointIds, this.opts.checkpointTimeoutMs);
        for (const r of mine) {
          const s = statuses.get(r.checkpointId);
          r.after = s?.status ?? '-';
          const problems: string[] = [];
          if (r.atStart === 'passed') problems.push('already passed when the lab opened');
          if (r.after !== 'passed') problems.push(`not passed ${seconds(this.opts.checkpointTimeoutMs)} after its step's solution: ${reasonOf(s)}`);
          const q = quizProblems.get(r.checkpointId);
          if (q) problems.push(q);
          r.ok = problems.length === 0;
          if (r.ok) delete r.problem;
          else r.problem = problems.join('; ');
          if (r.before === 'passed' && r.atStart !== 'passed') r.note = 'already passed before its own step ran (a solution of an earlier step passes it)';
        }
        const verdict = ok ? 'passed' : `FAIL ${mine.filter((r) => r.after !== 'passed').map((r) => r.checkpointId).join(', ')} not passed`;
        this.print(`  step ${step.id}: ${step.solution.length} command(s), ${mine.length} checkpoint(s) ${verdict} (${seconds(Date.now() - started)})`);
      }
    } finally {
      await this.closeLab(lab, 'main run');
    }
  }

  private async nearMiss(nm: NearMiss, index: number): Promise<void> {
    const { lesson } = this.loaded;
    const label = nm.label.en;
    const results: NearMissResult[] = nm.fails.map((checkpointId) => ({ lessonId: this.id, stepId: nm.stepId, label, checkpointId, ok: false }));
    this.report.nearMisses.push(...results);
    const fail = (why: string): void => {
      for (const r of results) r.reason = why;
      this.print(`  near-miss "${label}" (step ${nm.stepId}): FAIL ${why}`);
    };
    let opened: { lab: Lab; atStart: CheckpointStatus[] };
    try {
      opened = await this.freshLab(`near-miss ${index + 1}`);
    } catch (err) {
      fail(`the lab did not open: ${(err as Error).message}`);
      return;
    }
    const { lab } = opened;
    const exits: string[] = [];
    try {
      const stepIndex = lesson.steps.findIndex((s) => s.id === nm.stepId);
      for (let i = 0; i < stepIndex; i++) {
        const step = lesson.steps[i];
        if (!step) continue;
        try {
          await this.applySolution(lab, i);
          for (const quizId of this.quizIds(i)) await this.answerRight(lab, quizId);
        } catch (err) {
          fail(`setup: the solution of step ${step.id} did not run: ${(err as Error).message}`);
          return;
        }
        const { ok, statuses } = await lab.waitPassed(step.checkpointIds, this.opts.checkpointTimeoutMs);
        if (!ok) {
          const missing = step.checkpointIds.filter((id) => statuses.get(id)?.status !== 'passed');
          fail(`setup: after step ${step.id}'s solution, ${missing.map((id) => `${id} (${reasonOf(statuses.get(id))})`).join(', ')} did not pass`);
          return;
        }
      }
      try {
        for (const entry of nm.commands) {
          const rec = await lab.run(entry);
          if (rec && rec.exitCode !== 0) exits.push(`    (exit ${rec.exitCode}) ${rec.command}`);
        }
      } catch (err) {
        fail(`its commands did not run: ${(err as Error).message}`);
        return;
      }
      const held = await lab.holdUnpassed(nm.fails, this.opts.holdMs);
      for (const r of results) {
        const h = held.get(r.checkpointId);
        r.ok = !!h && !h.passed && h.status !== undefined;
        r.reason = !h?.status
          ? 'is not a checkpoint of this lesson'
          : !h.passed
            ? reasonOf(h.status)
            : h.status.status === 'passed'
              ? 'passed, but this near-miss must not pass it'
              : `passed for a moment (and was saved as passed), then: ${reasonOf(h.status)}; this near-miss must not pass it`;
      }
      const summary = results.map((r) => `${r.checkpointId} ${r.ok ? 'held' : 'FAIL'} — ${r.reason ?? ''}`).join('; ');
      this.print(`  near-miss "${label}" (step ${nm.stepId}): ${summary}`);
      for (const line of exits) this.print(line);
    } finally {
      await this.closeLab(lab, `near-miss "${label}"`);
    }
  }
}

/** Runs the lesson tests one lesson after another (they share the engine and the names). */
export async function runLessonTests(options: RunnerOptions): Promise<RunReport> {
  const print = options.print ?? ((line: string): void => console.log(line));
  const report = emptyReport();
  const { lessons: loaded, problems } = await loadLessons(options.lessonsDir, options.source);
  const { lessons, broken } = selectLessons(loaded, problems, options.lessonIds ?? []);
  for (const b of broken) {
    report.lessonChecks.push({ lessonId: b.name, what: 'loads', ok: false, problem: b.problems.join('; ') });
    print(`== ${b.name}: does not load`);
    for (const p of b.problems) print(`  ${p}`);
  }
  if (lessons.length === 0) return report;

  const docker = options.docker ?? createDocker().docker;
  try {
    await docker.ping();
  } catch (err) {
    for (const l of lessons) report.lessonChecks.push({ lessonId: l.lesson.id, what: 'engine', ok: false, problem: `the Docker engine is not reachable: ${(err as Error).message}` });
    return report;
  }
  const images = new Set((await docker.listImages()).flatMap((i) => i.RepoTags ?? []));
  const labOptions: LabOptions = {
    lessonsDir: options.lessonsDir,
    source: options.source,
    ...(options.commandTimeoutMs !== undefined ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
    ...(options.shell !== undefined ? { shell: options.shell } : {}),
  };
  // Lessons teach Compose v2 (`docker compose`); a machine with only v1 runs them with `docker-compose`.
  const typed = lessons.flatMap((l) => [...l.lesson.steps.flatMap((s) => s.solution), ...l.nearMisses.flatMap((n) => n.commands)]);
  if (typed.some((c) => usesComposeV2(c.command))) {
    const spelling = await composeSpelling();
    if (spelling === 'v1') {
      labOptions.composeV1 = true;
      print('compose: no Compose v2 plugin here (docker compose); the runner types docker-compose (v1) where a lesson says docker compose');
    } else if (spelling === 'none') print('compose: neither docker compose (v2) nor docker-compose (v1) is installed: the Compose steps will fail');
  }
  const shellName = resolveShell(options.shell, systemProbe()).file;
  let shellNoted = false;
  const shellSeen = (commandMarks: boolean): void => {
    if (shellNoted) return;
    shellNoted = true;
    print(
      commandMarks
        ? `host shell: ${shellName} (it reports each command through the app's prompt hooks)`
        : `host shell: ${shellName} (no prompt hooks: each command is followed on its line by a printf of a marker and its exit status)`,
    );
  };
  for (const l of lessons) {
    const missing = l.lesson.images.filter((i) => !images.has(i.includes(':') ? i : `${i}:latest`));
    if (missing.length > 0) {
      report.lessonChecks.push({ lessonId: l.lesson.id, what: 'images', ok: false, problem: `not on the engine (pull or import them first): ${missing.join(', ')}` });
      print(`== ${l.lesson.id}: skipped, missing images ${missing.join(', ')}`);
      continue;
    }
    await new LessonRun(l, docker, labOptions, report, {
      checkpointTimeoutMs: options.checkpointTimeoutMs ?? 20_000,
      holdMs: options.holdMs ?? 3_000,
      print,
      shellSeen,
    }).run();
  }
  return report;
}
