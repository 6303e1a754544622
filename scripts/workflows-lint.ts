// npm run workflows:lint [DIR]: checks every GitHub Actions workflow in DIR
// (.github/workflows by default) offline, against the workflow schema that
// @action-validator/core carries in its WebAssembly build, and prints
// `file:line:column: problem` or `file: path: problem` for each finding. One rule of
// this project's on top: every action is pinned to a full commit SHA.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DIR = join(ROOT, '.github', 'workflows');

export interface WorkflowProblem {
  file: string;
  /** `line:column` for a YAML error, else the JSON pointer of the offending key (`/jobs/build`). */
  where: string;
  message: string;
}

/** The innermost errors: a failed "one of" names each alternative's own errors. */
function leaves(error: ValidationError): ValidationError[] {
  const nested = 'states' in error ? (error.states ?? []).flatMap((state) => state.errors.flatMap(leaves)) : [];
  return nested.length > 0 ? nested : [error];
}

function describeError(error: ValidationError): { where: string; message: string } {
  const message = error.detail ? `${error.title}: ${error.detail}` : error.title;
  if ('location' in error && error.location) return { where: `${error.location.line}:${error.location.column}`, message };
  return { where: 'path' in error && error.path ? error.path : '/', message };
}

/** A tag or branch can be moved to other code; a commit SHA cannot. */
const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

/** Every `uses:` of a step or a job (a called workflow) that is not pinned to a commit. */
function unpinned(text: string): { where: string; message: string }[] {
  const workflow = parse(text) as { jobs?: Record<string, { uses?: unknown; steps?: { uses?: unknown }[] }> } | null;
  const found: { where: string; message: string }[] = [];
  const check = (uses: unknown, where: string): void => {
    if (typeof uses !== 'string' || uses.startsWith('./') || uses.startsWith('docker://') || PINNED.test(uses)) return;
    found.push({ where, message: `${uses} is not pinned: use owner/repo@<full commit SHA> # <version>` });
  };
  for (const [id, job] of Object.entries(workflow?.jobs ?? {})) {
    check(job?.uses, `/jobs/${id}/uses`);
    (Array.isArray(job?.steps) ? job.steps : []).forEach((step, i) => check(step?.uses, `/jobs/${id}/steps/${i}/uses`));
  }
  return found;
}

/** Problems in one workflow's text; `file` only labels them. */
export function lintWorkflow(file: string, text: string): WorkflowProblem[] {
  const errors = validateWorkflow(text).errors;
  const found = errors.flatMap(leaves).map(describeError);
  // Only a workflow that parses can be read for its actions.
  if (!errors.some((error) => 'location' in error && error.location)) found.push(...unpinned(text));
  const seen = new Set<string>();
  const problems: WorkflowProblem[] = [];
  for (const problem of found) {
    const key = `${problem.where}\0${problem.message}`;
    if (!seen.has(key)) problems.push({ file, ...problem });
    seen.add(key);
  }
  return problems;
}

/** The workflow files of `dir` (*.yml, *.yaml), sorted; an error when there are none. */
export function workflowFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new Error(`${dir}: no such folder (give the folder that holds the workflows)`);
  }
  const files = names.filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name));
  if (files.length === 0) throw new Error(`${dir}: no workflow files (*.yml, *.yaml) in it`);
  return files;
}

export function lintWorkflowDir(dir: string): { files: string[]; problems: WorkflowProblem[] } {
  const files = workflowFiles(dir);
  const label = (file: string): string => {
    const rel = relative(process.cwd(), file);
    return rel.startsWith('..') ? file : rel;
  };
  return { files, problems: files.flatMap((file) => lintWorkflow(label(file), readFileSync(file, 'utf8'))) };
}

export function main(args: string[]): number {
  const dir = resolve(args[0] ?? DEFAULT_DIR);
  try {
    const { files, problems } = lintWorkflowDir(dir);
    for (const p of problems) console.error(p.where.startsWith('/') ? `${p.file}: ${p.where}: ${p.message}` : `${p.file}:${p.where}: ${p.message}`);
    console.log(`workflows:lint: ${files.length} workflow(s), ${problems.length} problem(s)`);
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`workflows:lint: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
