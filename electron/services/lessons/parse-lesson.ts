// Parses one lesson folder (lesson.yaml + en.md + zh-CN.md) into the contract's
// Lesson object. A bad lesson never throws: everything wrong with it comes
// back as problems naming a file (relative to the lessons root) and a line.
// File access is synchronous on purpose: parsing is synchronous CPU work anyway, and
// for a course of 200 lessons the thread-pool round trips of 1,400 small async
// reads and stats cost several times more than the reads themselves.
// loader.ts imports this module only when a folder is not cached: it brings
// markdown-it, both YAML parsers and the schemas, which start-up can do without.
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  DOCKER_HOST_TERMINAL,
  HOST_TERMINAL,
  LOCALES,
  type Lesson,
  type LessonNeed,
  type LessonProblem,
  type LessonStep,
  type Locale,
  type Localized,
  type SolutionCommand,
} from '../../api/types';
import type { CheckpointDef, Condition, QuizDef } from './checkpoint-schema';
import { CONDITION_KINDS } from './checkpoint-schema';
import { probeCommandProblem } from '../checkpoints/probe-commands';
import { findHiddenCharacter, hiddenCharacterMessage } from './hidden-characters';
import { parseDockerCommands } from '../coach/command-line';
import { fileSize, LESSON_FILES, lessonFileLabel, lessonFingerprint, localeFile, MANIFEST_FILE, MAX_LESSON_BYTES, type LessonResult, type LoadedLesson } from './lesson-files';
import { lessonManifestSchema, type CommandEntry, type LessonManifest } from './lesson-schema';
import { parseLessonMarkdown, type ParsedLessonMarkdown } from './markdown-sections';
import { createdNames, setupArgs } from './setup-command';

export { createdNames };
import { lazyParse, positionOf, quickData, toData, type ParsedYaml } from './yaml-positions';

/** Networks every engine has; lessons use them without declaring them. */
const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);
const IP_REF = /\$\{ip6?:([^}]*)\}/g;

/** Terminals every lesson may name without declaring them. */
const BUILTIN_TERMINALS = new Set([HOST_TERMINAL, DOCKER_HOST_TERMINAL]);

function toSolutionCommand(entry: CommandEntry): SolutionCommand {
  return typeof entry === 'string' ? { terminal: HOST_TERMINAL, command: entry } : { terminal: entry.terminal, command: entry.run };
}

type Path = readonly (string | number)[];

/** Collects manifest problems at the YAML node a path points to. */
class ManifestReport {
  constructor(
    private readonly parsed: () => ParsedYaml,
    private readonly file: string,
    private readonly problems: LessonProblem[],
  ) {}

  at(path: Path, message: string, key?: string): void {
    const pos = positionOf(this.parsed(), path, key);
    this.problems.push({ file: this.file, line: pos.line, column: pos.column, message });
  }
}

function describePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function validateManifest(parsed: ParsedYaml, report: ManifestReport): LessonManifest | undefined {
  const data = toData(parsed);
  if ('error' in data) {
    report.at([], data.error);
    return undefined;
  }
  const result = lessonManifestSchema.safeParse(data.value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const where = describePath(issue.path);
    if (issue.code === 'invalid_union' && issue.path[issue.path.length - 1] === 'kind') {
      // zod's wording is about discriminators; authors think in condition kinds.
      const value = parsed.doc.getIn(issue.path.filter((k) => typeof k !== 'symbol'));
      const shown = value === undefined ? 'missing' : `"${String(value)}"`;
      report.at(issue.path as Path, `${where}: unknown condition kind ${shown} (known: ${CONDITION_KINDS.join(', ')})`);
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) report.at(issue.path as Path, `${where ? `${where}: ` : ''}unknown field "${key}"`, key);
    } else {
      report.at(issue.path as Path, `${where ? `${where}: ` : ''}${issue.message}`);
    }
  }
  return undefined;
}

/** Names a condition refers to, each with the path of the field that names it. */
function conditionRefs(c: Condition, path: Path): { kind: 'container' | 'network'; name: string; path: Path }[] {
  const refs: { kind: 'container' | 'network'; name: string; path: Path }[] = [];
  const network = (name: string, p: Path): void => {
    if (!BUILTIN_NETWORKS.has(name)) refs.push({ kind: 'network', name, path: p });
  };
  const ipRefs = (text: string, p: Path): void => {
    for (const m of text.matchAll(IP_REF)) {
      const [container = '', net] = (m[1] ?? '').split('@');
      refs.push({ kind: 'container', name: container, path: p });
      if (net !== undefined) network(net, p);
    }
  };
  switch (c.kind) {
    case 'network':
      network(c.network, [...path, 'network']);
      break;
    case 'container':
      refs.push({ kind: 'container', name: c.container, path: [...path, 'container'] });
      c.networks?.forEach((n, i) => network(n, [...path, 'networks', i]));
      c.notNetworks?.forEach((n, i) => network(n, [...path, 'notNetworks', i]));
      if (c.addressOn !== undefined) network(c.addressOn, [...path, 'addressOn']);
      if (c.ipv6On !== undefined) network(c.ipv6On, [...path, 'ipv6On']);
      if (c.networkMode?.startsWith('container:')) {
        refs.push({ kind: 'container', name: c.networkMode.slice('container:'.length), path: [...path, 'networkMode'] });
      } else if (c.networkMode !== undefined) {
        network(c.networkMode, [...path, 'networkMode']);
      }
      break;
    case 'probe':
      refs.push({ kind: 'container', name: c.container, path: [...path, 'container'] });
      c.command.forEach((arg, i) => ipRefs(arg, [...path, 'command', i]));
      if (c.output !== undefined) ipRefs(c.output, [...path, 'output']);
      if (c.notOutput !== undefined) ipRefs(c.notOutput, [...path, 'notOutput']);
      break;
    case 'command':
      ipRefs(c.pattern, [...path, 'pattern']);
      break;
    case 'engine':
      if (c.container !== undefined) refs.push({ kind: 'container', name: c.container, path: [...path, 'container'] });
      if (c.network !== undefined) network(c.network, [...path, 'network']);
      if (c.command !== undefined) ipRefs(c.command, [...path, 'command']);
      break;
    case 'output':
      if (!BUILTIN_TERMINALS.has(c.terminal)) refs.push({ kind: 'container', name: c.terminal, path: [...path, 'terminal'] });
      ipRefs(c.pattern, [...path, 'pattern']);
      break;
  }
  return refs;
}

const normalizeImage = (image: string): string => (/:[^/]+$|@/.test(image) ? image : `${image}:latest`);

/** Images started by `docker run` / `docker create` in a command line. */
export function imagesRun(command: string): string[] {
  return parseDockerCommands(command)
    .filter((c) => (c.action === 'run' || c.action === 'create') && c.args[0] !== undefined && !c.args[0].startsWith('$'))
    .map((c) => c.args[0] as string);
}

/** A probe runs unasked, in the learner's containers: read-only commands only, and nothing hidden. */
function checkProbeCommand(command: readonly string[], path: Path, report: ManifestReport): void {
  const hiddenAt = command.findIndex((arg) => findHiddenCharacter(arg) !== undefined);
  const hidden = hiddenAt >= 0 ? findHiddenCharacter(command[hiddenAt] ?? '') : undefined;
  if (hidden) {
    report.at([...path, hiddenAt], hiddenCharacterMessage(hidden, 'this probe argument'));
    return;
  }
  const problem = probeCommandProblem(command);
  if (problem) report.at(path, `probe: ${problem}`);
}

/** Cross checks inside the manifest: unique ids, near-miss targets, declared names. */
function checkManifest(m: LessonManifest, report: ManifestReport): void {
  const stepIds = new Set<string>();
  const checkpointIds = new Set<string>();
  const containers = new Set(m.names.containers);
  const networks = new Set(m.names.networks);
  const declared = (kind: 'container' | 'network', name: string): boolean =>
    kind === 'container' ? containers.has(name) : networks.has(name) || BUILTIN_NETWORKS.has(name);
  const declaredImages = new Set(m.images.map(normalizeImage));
  const listName = (kind: 'container' | 'network'): string => (kind === 'container' ? 'names.containers' : 'names.networks');

  m.steps.forEach((step, s) => {
    if (stepIds.has(step.id)) report.at(['steps', s, 'id'], `duplicate step id "${step.id}"`);
    stepIds.add(step.id);
    step.checkpoints.forEach((cp, c) => {
      const path = ['steps', s, 'checkpoints', c] as const;
      if (checkpointIds.has(cp.id)) report.at([...path, 'id'], `duplicate checkpoint id "${cp.id}"`);
      checkpointIds.add(cp.id);
      cp.when.forEach((cond, w) => {
        if (cond.kind === 'quiz') report.at([...path, 'when', w, 'kind'], 'write quizzes under the step\'s quizzes:, not as a condition');
        if (cond.kind === 'probe') checkProbeCommand(cond.command, [...path, 'when', w, 'command'], report);
        for (const ref of conditionRefs(cond, [...path, 'when', w])) {
          if (ref.name === '') report.at(ref.path, 'malformed ${ip:CONTAINER@NETWORK} reference');
          else if (!declared(ref.kind, ref.name)) report.at(ref.path, `${ref.kind} "${ref.name}" is not declared in ${listName(ref.kind)}`);
        }
      });
    });
    step.quizzes.forEach((quiz, q) => {
      if (checkpointIds.has(quiz.id)) report.at(['steps', s, 'quizzes', q, 'id'], `duplicate checkpoint or quiz id "${quiz.id}"`);
      checkpointIds.add(quiz.id);
    });
    const entries: [CommandEntry, Path][] = [
      ...step.solution.map((cmd, i): [CommandEntry, Path] => [cmd, ['steps', s, 'solution', i]]),
      ...step.nearMisses.flatMap((nm, n) =>
        nm.commands.map((cmd, i): [CommandEntry, Path] => [cmd, ['steps', s, 'nearMisses', n, 'commands', i]]),
      ),
    ];
    const commands: [string, Path][] = [];
    for (const [entry, path] of entries) {
      const { terminal, command } = toSolutionCommand(entry);
      const hidden = findHiddenCharacter(command);
      if (hidden) report.at(typeof entry === 'string' ? path : [...path, 'run'], hiddenCharacterMessage(hidden, 'this command'));
      if (!BUILTIN_TERMINALS.has(terminal) && !containers.has(terminal)) {
        report.at([...path, 'terminal'], `terminal "${terminal}" is not host, docker-host or a container in names.containers`);
      }
      if (terminal === HOST_TERMINAL) commands.push([command, path]);
    }
    // Every image a host command runs must be declared, so preflight and image packs know it.
    for (const [cmd, path] of commands) {
      for (const image of imagesRun(cmd)) {
        if (!declaredImages.has(normalizeImage(image))) report.at(path, `image "${image}" is run here but not declared in images`);
      }
    }
    for (const [cmd, path] of commands) {
      for (const made of createdNames(cmd)) {
        if (!declared(made.kind, made.name)) {
          report.at(path, `${made.kind} "${made.name}" is created here but not declared in ${listName(made.kind)} (reset would miss it)`);
        }
      }
    }
  });
  checkSetup(m, report, { declared, declaredImages, containers, listName });
  // Near misses may name checkpoints of any step, so check after collecting all ids.
  m.steps.forEach((step, s) => {
    step.nearMisses.forEach((nm, n) => {
      nm.fails.forEach((id, f) => {
        if (!checkpointIds.has(id)) report.at(['steps', s, 'nearMisses', n, 'fails', f], `unknown checkpoint "${id}"`);
      });
    });
  });
}

/**
 * `setup:` runs unasked when a lab opens: each host entry one docker command without a shell, each
 * container entry a command in a container the lesson names; images and created names declared.
 */
function checkSetup(
  m: LessonManifest,
  report: ManifestReport,
  known: {
    declared: (kind: 'container' | 'network', name: string) => boolean;
    declaredImages: Set<string>;
    containers: Set<string>;
    listName: (kind: 'container' | 'network') => string;
  },
): void {
  m.setup.forEach((entry, i) => {
    const path: Path = ['setup', i];
    const { terminal, command } = toSolutionCommand(entry);
    const where = typeof entry === 'string' ? path : [...path, 'run'];
    const hidden = findHiddenCharacter(command);
    if (hidden) {
      report.at(where, hiddenCharacterMessage(hidden, 'this setup command'));
      return;
    }
    if (terminal !== HOST_TERMINAL) {
      if (!known.containers.has(terminal)) report.at([...path, 'terminal'], `setup terminal "${terminal}" is not host or a container in names.containers`);
      return;
    }
    const parsed = setupArgs(command);
    if ('problem' in parsed) {
      report.at(where, parsed.problem);
      return;
    }
    for (const image of imagesRun(command)) {
      if (!known.declaredImages.has(normalizeImage(image))) report.at(where, `image "${image}" is run here but not declared in images`);
    }
    for (const made of createdNames(command)) {
      if (!known.declared(made.kind, made.name)) {
        report.at(where, `${made.kind} "${made.name}" is created here but not declared in ${known.listName(made.kind)} (reset would miss it)`);
      }
    }
  });
}

/** Checks one locale's sections against the manifest; returns nothing, reports problems. */
function checkLocale(m: LessonManifest, parsed: ParsedLessonMarkdown, file: string, problems: LessonProblem[]): void {
  const at = (line: number, message: string): void => {
    problems.push({ file, line, message });
  };
  const order = new Map(m.steps.map((s, i) => [s.id, i]));
  const containers = new Set(m.names.containers);
  const seen = new Set<string>();
  let lastIndex = -1;
  for (const sec of parsed.sections) {
    const index = order.get(sec.stepId);
    if (index === undefined) {
      at(sec.line, `unknown step "${sec.stepId}" (not in lesson.yaml)`);
      continue;
    }
    if (seen.has(sec.stepId)) {
      at(sec.line, `step "${sec.stepId}" has more than one section`);
      continue;
    }
    if (index < lastIndex) at(sec.line, `step "${sec.stepId}" is out of order (follow lesson.yaml)`);
    seen.add(sec.stepId);
    lastIndex = Math.max(lastIndex, index);

    const step = m.steps[index];
    const own = new Set(step?.checkpoints.map((c) => c.id));
    const quizzes = new Set(step?.quizzes.map((q) => q.id));
    const placed = new Set<string>();
    for (const mk of sec.checkpoints) {
      if (mk.kind === 'quiz' && !quizzes.has(mk.id)) at(mk.line, `quiz "${mk.id}" is not a quiz of step "${sec.stepId}"`);
      else if (mk.kind === 'checkpoint' && !own.has(mk.id)) at(mk.line, `checkpoint "${mk.id}" is not a checkpoint of step "${sec.stepId}"`);
      else if (placed.has(mk.id)) at(mk.line, `checkpoint "${mk.id}" is placed twice`);
      placed.add(mk.id);
    }
    for (const block of sec.codeBlocks) {
      if (block.terminal !== undefined && !containers.has(block.terminal) && !BUILTIN_TERMINALS.has(block.terminal)) {
        at(block.line, `terminal "${block.terminal}" is not declared in names.containers`);
      }
    }
  }
  for (const block of parsed.introCodeBlocks) {
    if (block.terminal !== undefined && !containers.has(block.terminal) && !BUILTIN_TERMINALS.has(block.terminal)) {
      at(block.line, `terminal "${block.terminal}" is not declared in names.containers`);
    }
  }
  // A missing step is reported where it should have started: at the next step present.
  m.steps.forEach((step, i) => {
    if (seen.has(step.id)) return;
    const next = parsed.sections.find((sec) => (order.get(sec.stepId) ?? -1) > i);
    at(next?.line ?? parsed.lineCount, `step "${step.id}" has no section "## … {#${step.id}}"`);
  });
}

/** en and zh-CN must pair hint for hint and place the same checkpoints. */
function checkLocalePair(
  m: LessonManifest,
  byLocale: Record<Locale, ParsedLessonMarkdown>,
  folder: string,
  problems: LessonProblem[],
): void {
  const [first, ...others] = LOCALES;
  for (const step of m.steps) {
    const base = byLocale[first].sections.find((s) => s.stepId === step.id);
    if (!base) continue;
    for (const locale of others) {
      const sec = byLocale[locale].sections.find((s) => s.stepId === step.id);
      if (!sec) continue;
      const file = `${folder}/${localeFile(locale)}`;
      if (sec.hints.length !== base.hints.length) {
        problems.push({
          file,
          line: sec.line,
          message: `step "${step.id}" has ${sec.hints.length} hint(s) here but ${base.hints.length} in ${localeFile(first)}`,
        });
      }
      const a = base.checkpoints.map((c) => c.id).sort().join(',');
      const b = sec.checkpoints.map((c) => c.id).sort().join(',');
      if (a !== b) {
        problems.push({
          file,
          line: sec.line,
          message: `step "${step.id}" places checkpoints [${b}] here but [${a}] in ${localeFile(first)}`,
        });
      }
    }
  }
}

function localized(make: (locale: Locale) => string): Localized {
  return Object.fromEntries(LOCALES.map((l) => [l, make(l)])) as Localized;
}

function needs(list: readonly LessonNeed[]): { requires?: LessonNeed[] } {
  return list.length > 0 ? { requires: [...new Set(list)] } : {};
}

function buildLesson(
  m: LessonManifest,
  byLocale: Record<Locale, ParsedLessonMarkdown>,
  dir: string,
  source: 'builtin' | 'extra',
): LoadedLesson {
  const section = (locale: Locale, stepId: string): ParsedLessonMarkdown['sections'][number] | undefined =>
    byLocale[locale].sections.find((s) => s.stepId === stepId);
  const steps: LessonStep[] = m.steps.map((step) => ({
    id: step.id,
    title: localized((l) => section(l, step.id)?.title ?? step.id),
    body: localized((l) => section(l, step.id)?.body ?? ''),
    hints: (section(LOCALES[0], step.id)?.hints ?? []).map((_, i) => localized((l) => section(l, step.id)?.hints[i]?.text ?? '')),
    solution: step.solution.map(toSolutionCommand),
    checkpointIds: [...step.checkpoints.map((c) => c.id), ...step.quizzes.map((q) => q.id)],
    // Only when there is a need: a lesson without any keeps its fingerprint (and its consent).
    ...needs([...m.requires, ...step.requires]),
  }));
  const defs = new Map<string, CheckpointDef>();
  const quizzes = new Map<string, QuizDef>();
  for (const step of m.steps) {
    for (const cp of step.checkpoints) defs.set(cp.id, cp);
    for (const quiz of step.quizzes) {
      quizzes.set(quiz.id, quiz);
      // A quiz is a checkpoint that passes once answered correctly.
      defs.set(quiz.id, { id: quiz.id, title: quiz.question, live: false, when: [{ kind: 'quiz', quiz: quiz.id }] });
    }
  }
  const lesson: Lesson = {
    id: m.id,
    order: m.order,
    title: localized((l) => byLocale[l].frontMatter?.title ?? m.id),
    summary: localized((l) => byLocale[l].frontMatter?.summary ?? ''),
    intro: localized((l) => byLocale[l].intro),
    images: m.images,
    ...needs(m.requires),
    names: { containers: m.names.containers, networks: m.names.networks },
    // Only when present: a lesson without them keeps its fingerprint (and its consent).
    ...(m.setup.length > 0 ? { setup: m.setup.map(toSolutionCommand) } : {}),
    ...(m.part !== undefined ? { part: m.part } : {}),
    steps,
    checkpoints: m.steps.flatMap((step) => [
      ...step.checkpoints.map((cp) => ({ id: cp.id, stepId: step.id, title: cp.title, live: cp.live, kind: 'lab' as const })),
      ...step.quizzes.map((q) => ({ id: q.id, stepId: step.id, title: q.question, live: false, kind: 'quiz' as const })),
    ]),
    quizzes: m.steps.flatMap((step) =>
      step.quizzes.map((q) => ({ id: q.id, stepId: step.id, question: q.question, choices: q.choices.map((c) => c.text) })),
    ),
    source,
    fingerprint: '',
  };
  const nearMisses = m.steps.flatMap((step) =>
    step.nearMisses.map((nm) => ({ stepId: step.id, label: nm.label, commands: nm.commands.map(toSolutionCommand), fails: nm.fails })),
  );
  // Every runnable block of every locale, by the id its fence carries in the served text.
  const runnable = new Map<string, SolutionCommand>();
  for (const locale of LOCALES) {
    const parsed = byLocale[locale];
    for (const block of [...parsed.introCodeBlocks, ...parsed.sections.flatMap((sec) => sec.codeBlocks)]) {
      if (block.id !== undefined) runnable.set(block.id, { terminal: block.terminal ?? HOST_TERMINAL, command: block.content });
    }
  }
  const loaded = { lesson, defs, quizzes, nearMisses, runnable, dir };
  lesson.fingerprint = lessonFingerprint(loaded);
  return loaded;
}

/** The manifest when it parses and checks clean without positions; undefined when anything is wrong. */
function quickManifest(text: string, full: () => ParsedYaml): LessonManifest | undefined {
  const data = quickData(text);
  if (!data) return undefined;
  const result = lessonManifestSchema.safeParse(data.value);
  if (!result.success) return undefined;
  const found: LessonProblem[] = [];
  checkManifest(result.data, new ManifestReport(full, MANIFEST_FILE, found));
  return found.length === 0 ? result.data : undefined;
}

/**
 * Loads one lesson folder; `lesson` is set only when no problem was found.
 * Problems name files with `platform`'s separator (basics\lesson.yaml on Windows).
 */
export async function parseLesson(dir: string, source: 'builtin' | 'extra', platform: NodeJS.Platform = process.platform): Promise<LessonResult> {
  const abs = resolve(dir);
  const folder = basename(abs);
  const rel = (name: string): string => lessonFileLabel(folder, name, platform);
  const problems: LessonProblem[] = [];
  const names = LESSON_FILES;

  const sizes = names.map((n) => fileSize(join(abs, n)));
  names.forEach((n, i) => {
    if (sizes[i] === undefined) problems.push({ file: rel(n), line: 1, message: `missing ${n}: every lesson needs ${names.join(', ')}` });
  });
  const total = sizes.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  if (total > MAX_LESSON_BYTES) {
    const biggest = names[sizes.indexOf(Math.max(...sizes.map((s) => s ?? 0)))] ?? MANIFEST_FILE;
    problems.push({ file: rel(biggest), line: 1, message: `lesson files total ${total} bytes; the limit is ${MAX_LESSON_BYTES}` });
    return { problems };
  }

  let manifest: LessonManifest | undefined;
  let idLine = (): number => 1;
  if (sizes[0] !== undefined) {
    try {
      const text = readText(join(abs, MANIFEST_FILE));
      const full = lazyParse(text);
      idLine = (): number => positionOf(full(), ['id']).line;
      // Fast path for a clean manifest; anything wrong is redone below with positions.
      manifest = quickManifest(text, full);
      if (!manifest) {
        const parsed = full();
        if (parsed.errors.length > 0) {
          for (const e of parsed.errors) problems.push({ file: rel(MANIFEST_FILE), line: e.line, column: e.column, message: e.message });
        } else {
          const report = new ManifestReport(full, rel(MANIFEST_FILE), problems);
          manifest = validateManifest(parsed, report);
          if (manifest) checkManifest(manifest, report);
        }
      }
    } catch (err) {
      problems.push({ file: rel(MANIFEST_FILE), line: 1, message: `cannot read: ${(err as Error).message}` });
    }
  }

  const byLocale: Partial<Record<Locale, ParsedLessonMarkdown>> = {};
  for (const [i, locale] of LOCALES.entries()) {
    if (sizes[i + 1] === undefined) continue;
    const file = rel(localeFile(locale));
    try {
      const parsed = parseLessonMarkdown(readText(join(abs, localeFile(locale))), file, locale);
      problems.push(...parsed.problems);
      if (manifest) checkLocale(manifest, parsed, file, problems);
      byLocale[locale] = parsed;
    } catch (err) {
      problems.push({ file, line: 1, message: `cannot read: ${(err as Error).message}` });
    }
  }
  const complete = LOCALES.every((l) => byLocale[l] !== undefined);
  if (manifest && complete) checkLocalePair(manifest, byLocale as Record<Locale, ParsedLessonMarkdown>, folder, problems);

  const rank = (p: LessonProblem): number => names.findIndex((n) => p.file === rel(n));
  problems.sort((a, b) => rank(a) - rank(b) || a.line - b.line);
  if (problems.length > 0 || !manifest || !complete) return { problems };
  const lesson = buildLesson(manifest, byLocale as Record<Locale, ParsedLessonMarkdown>, abs, source);
  return { lesson, problems, idLine };
}
