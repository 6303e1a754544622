// A deliberately shallow shell syntax check for lesson snippets: quotes,
// backticks and $( ) must close. It catches the typos that would leave a
// learner's terminal waiting at a `>` prompt, not every shell error.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LOCALES, type LessonProblem } from '../../api/types';
import { localeFile, MANIFEST_FILE } from './lesson-files';
import { parseLessonMarkdown } from './markdown-sections';
import { lazyParse, positionOf, quickData, toData } from './yaml-positions';

interface ShellIssue {
  message: string;
  /** 0-based line inside the snippet where the unclosed construct starts. */
  line: number;
}

/** Returns the first unbalanced construct in a shell snippet, or undefined when it looks whole. */
export function checkShellSnippet(text: string): ShellIssue | undefined {
  // Open constructs, innermost last: a quote, a backtick or $( .
  const open: { kind: "'" | '"' | '`' | '$('; line: number }[] = [];
  let line = 0;
  let atWordStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const top = open[open.length - 1]?.kind;
    if (ch === '\n') line++;
    if (top === "'") {
      if (ch === "'") open.pop();
      continue;
    }
    if (ch === '\\') {
      if (text[i + 1] === '\n') line++;
      i++;
      continue;
    }
    if (top === '"') {
      if (ch === '"') open.pop();
      else if (ch === '`') open.push({ kind: '`', line });
      else if (ch === '$' && text[i + 1] === '(') {
        open.push({ kind: '$(', line });
        i++;
      }
      continue;
    }
    // Unquoted (or inside ` or $( ): comments run to the end of the line.
    if (ch === '#' && atWordStart) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    atWordStart = ch === undefined || /[\s;&|(]/.test(ch);
    if (ch === "'" || ch === '"') open.push({ kind: ch, line });
    else if (ch === '`') {
      if (top === '`') open.pop();
      else open.push({ kind: '`', line });
    } else if (ch === '$' && text[i + 1] === '(') {
      open.push({ kind: '$(', line });
      i++;
      atWordStart = true;
    } else if (ch === '(' && top === '$(') {
      // A nested plain parenthesis inside $( ): count it so its ) does not close the $( .
      open.push({ kind: '$(', line });
    } else if (ch === ')' && top === '$(') open.pop();
  }
  const unclosed = open[0];
  if (!unclosed) return undefined;
  const what = unclosed.kind === '$(' ? '$( without its )' : `unbalanced ${unclosed.kind}`;
  return { message: `${what} in shell command`, line: unclosed.line };
}

/**
 * Checks every runnable snippet of one lesson folder: sh code blocks in each
 * locale and the solution / near-miss commands of lesson.yaml. Files that do
 * not parse are skipped here (the loader already reports them).
 */
export async function lintLessonShell(dir: string): Promise<LessonProblem[]> {
  const folder = basename(dir);
  const problems: LessonProblem[] = [];
  for (const locale of LOCALES) {
    const file = `${folder}/${localeFile(locale)}`;
    let text: string;
    try {
      text = await readFile(join(dir, localeFile(locale)), 'utf8');
    } catch {
      continue;
    }
    const parsed = parseLessonMarkdown(text, file);
    const blocks = [...parsed.introCodeBlocks, ...parsed.sections.flatMap((s) => s.codeBlocks)];
    for (const block of blocks) {
      if (block.role === 'output') continue;
      const issue = checkShellSnippet(block.content);
      // +1: the snippet starts on the line after the opening fence.
      if (issue) problems.push({ file, line: block.line + 1 + issue.line, message: issue.message });
    }
  }
  let yamlText: string;
  try {
    yamlText = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return problems;
  }
  // The Document with positions is built only when a snippet has a problem to point at.
  const full = lazyParse(yamlText);
  const quick = quickData(yamlText);
  let data: { value: unknown } | { error: string };
  if (quick) data = quick;
  else if (full().errors.length > 0) return problems;
  else data = toData(full());
  if ('error' in data) return problems;
  const manifest: unknown = data.value;
  const steps = (manifest as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return problems;
  steps.forEach((step: unknown, s) => {
    const { solution, nearMisses } = (step ?? {}) as { solution?: unknown; nearMisses?: unknown };
    const check = (cmd: unknown, path: (string | number)[]): void => {
      if (typeof cmd !== 'string') return;
      const issue = checkShellSnippet(cmd);
      if (!issue) return;
      const pos = positionOf(full(), path);
      problems.push({ file: `${folder}/${MANIFEST_FILE}`, line: pos.line, column: pos.column, message: issue.message });
    };
    if (Array.isArray(solution)) solution.forEach((cmd: unknown, i) => check(cmd, ['steps', s, 'solution', i]));
    if (Array.isArray(nearMisses)) {
      nearMisses.forEach((nm: unknown, n) => {
        const commands = (nm as { commands?: unknown } | null)?.commands;
        if (Array.isArray(commands)) commands.forEach((cmd: unknown, i) => check(cmd, ['steps', s, 'nearMisses', n, 'commands', i]));
      });
    }
  });
  return problems;
}
