// Splits one locale's lesson Markdown (en.md, zh-CN.md) into front matter,
// intro and per-step sections, and checks the parts of the format that need no
// manifest: headings, fenced-code info strings, hint and checkpoint blocks.
// Positions come from markdown-it's token maps, so they survive code fences
// that happen to contain `##` or `:::` lines.
import MarkdownIt from 'markdown-it';
import container from 'markdown-it-container';
import type { Token } from 'markdown-it';
import type { LessonProblem } from '../../api/types';
import { findHiddenCharacter, hiddenCharacterMessage } from './hidden-characters';
import { frontMatterSchema, ID_PATTERN, type FrontMatter } from './lesson-schema';
import { parseYaml, positionOf, quickData, toData } from './yaml-positions';

type CodeBlockRole = 'host' | 'container' | 'output';

interface CodeBlock {
  role: CodeBlockRole;
  /** For a runnable block (host or container): its id in the lesson, written into the served fence as `block=ID`. */
  id?: string;
  /** For role 'container': the container terminal it runs in. */
  terminal?: string;
  info: string;
  content: string;
  /** 1-based line of the opening fence in the file. */
  line: number;
}

interface MarkdownHint {
  text: string;
  line: number;
}

/** `::: checkpoint ID` or `::: quiz ID`: where the live checkpoint or the quiz is shown. */
interface CheckpointMarker {
  id: string;
  line: number;
  kind: 'checkpoint' | 'quiz';
}

interface MarkdownSection {
  stepId: string;
  title: string;
  /** 1-based line of the heading. */
  line: number;
  /** Section Markdown without its heading and with hint blocks removed. */
  body: string;
  hints: MarkdownHint[];
  checkpoints: CheckpointMarker[];
  codeBlocks: CodeBlock[];
}

export interface ParsedLessonMarkdown {
  frontMatter?: FrontMatter;
  intro: string;
  sections: MarkdownSection[];
  /** Code blocks of the intro (they belong to no step). */
  introCodeBlocks: CodeBlock[];
  /** Number of lines in the file (problems about something missing point at the end). */
  lineCount: number;
  problems: LessonProblem[];
}

const HOST_LANGS = new Set(['sh', 'bash', 'shell']);
const OUTPUT_LANGS = new Set(['text', 'output']);
const HEADING_ID = /^(.*?)\s*\{#([^}]*)\}\s*$/;
const CLOSING_FENCE = /^\s*:{3,}\s*$/;

// One container rule that accepts any name: we read the name from token.info
// and report unknown ones instead of letting them render as stray text.
const md = new MarkdownIt({ html: false });
md.use(container, 'block', { validate: (params: string): boolean => params.trim().length > 0 });
// Only the block structure is read here (an inline token's content is set without it); inline parsing was most of the time.
md.core.ruler.disable(['inline', 'text_join']);

/** Reads a fenced block's info string; undefined when it is not one of ours. */
export function classifyInfo(info: string): { role: CodeBlockRole; terminal?: string } | undefined {
  const [lang = '', ...attrs] = info.trim().split(/\s+/);
  if (OUTPUT_LANGS.has(lang) && attrs.length === 0) return { role: 'output' };
  if (!HOST_LANGS.has(lang)) return undefined;
  if (attrs.length === 0) return { role: 'host' };
  const terminal = /^terminal=(.+)$/.exec(attrs[0] ?? '')?.[1];
  if (attrs.length === 1 && terminal) return { role: 'container', terminal };
  return undefined;
}

interface Split {
  frontMatterText?: string;
  /** Lines before the body (front matter and its fences). */
  bodyOffset: number;
  body: string;
  problem?: string;
}

function splitFrontMatter(text: string): Split {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') {
    return { bodyOffset: 0, body: text, problem: 'missing front matter: start the file with a --- block holding title and summary' };
  }
  const close = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (close < 0) return { bodyOffset: 0, body: text, problem: 'front matter is never closed with ---' };
  return {
    frontMatterText: lines.slice(1, close).join('\n'),
    bodyOffset: close + 1,
    body: lines.slice(close + 1).join('\n'),
  };
}

function parseFrontMatter(fmText: string, file: string, problems: LessonProblem[]): FrontMatter | undefined {
  // The YAML starts on the file's line 2.
  const at = (line: number, column: number, message: string): void => {
    problems.push({ file, line: line + 1, column, message: `front matter: ${message}` });
  };
  // Fast path without positions; a problem is redone below with them.
  const quick = quickData(fmText);
  const clean = quick && frontMatterSchema.safeParse(quick.value ?? {});
  if (clean && clean.success) return clean.data;
  const parsed = parseYaml(fmText);
  if (parsed.errors.length > 0) {
    for (const e of parsed.errors) at(e.line, e.column, e.message);
    return undefined;
  }
  const data = toData(parsed);
  if ('error' in data) {
    at(1, 1, data.error);
    return undefined;
  }
  const result = frontMatterSchema.safeParse(data.value ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const pos = positionOf(parsed, issue.path, key);
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    at(pos.line, pos.column, key !== undefined ? `unknown field "${key}"` : `${where}${issue.message}`);
  }
  return undefined;
}

/** Joins kept lines, squeezing the blank runs that removed hint blocks leave behind. */
function joinBody(lines: string[]): string {
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * `blockPrefix` names this file's runnable blocks (`<prefix>.<n>`, e.g. en.3): the
 * served Markdown carries each id in its fence, and a Run button sends the id back,
 * so the main process runs the block it loaded, never text the page made up.
 */
export function parseLessonMarkdown(rawText: string, file: string, blockPrefix = 'b'): ParsedLessonMarkdown {
  const text = rawText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const problems: LessonProblem[] = [];
  const split = splitFrontMatter(text);
  // A final newline does not start another line.
  const lineCount = text.replace(/\n$/, '').split('\n').length;
  let frontMatter: FrontMatter | undefined;
  if (split.problem !== undefined) problems.push({ file, line: 1, message: split.problem });
  else if (split.frontMatterText !== undefined) frontMatter = parseFrontMatter(split.frontMatterText, file, problems);

  const lines = split.body.split('\n');
  /** File line (1-based) of a body line (0-based). */
  const fileLine = (bodyLine: number): number => split.bodyOffset + bodyLine + 1;
  const report = (bodyLine: number, message: string): void => {
    problems.push({ file, line: fileLine(bodyLine), message });
  };

  const tokens: Token[] = md.parse(split.body, {});
  const headings: { line: number; contentStart: number; stepId: string; title: string }[] = [];
  const hints: { start: number; end: number; text: string }[] = [];
  const markers: CheckpointMarker[] = [];
  const blocks: (CodeBlock & { bodyLine: number })[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t?.map) continue;
    const [start, end] = t.map;
    if (t.type === 'heading_open' && t.tag === 'h2' && t.level === 0) {
      const content = tokens[i + 1]?.content ?? '';
      const m = HEADING_ID.exec(content);
      if (!m) {
        report(start, `level-2 heading "${content}" must end with {#step-id} (use ### for sub-headings)`);
      } else if (!ID_PATTERN.test(m[2] ?? '')) {
        report(start, `step id "${m[2] ?? ''}" is not lowercase letters, digits and dashes`);
      } else {
        headings.push({ line: start, contentStart: end, stepId: m[2] ?? '', title: (m[1] ?? '').trim() });
      }
    } else if (t.type === 'fence') {
      const role = classifyInfo(t.info);
      if (!role) {
        report(start, `unknown code block info "${t.info.trim()}": use sh, sh terminal=CONTAINER, text or output`);
      } else {
        const runnable = role.role !== 'output';
        const hidden = runnable ? findHiddenCharacter(t.content) : undefined;
        if (hidden) report(start + 1 + hidden.line, hiddenCharacterMessage(hidden, 'this runnable block'));
        const id = runnable ? `${blockPrefix}.${blocks.filter((b) => b.id !== undefined).length}` : undefined;
        // The id travels in the fence's info string of the text the renderer gets.
        if (id !== undefined) lines[start] = `${(lines[start] ?? '').trimEnd()} block=${id}`;
        blocks.push({ ...role, ...(id !== undefined ? { id } : {}), info: t.info.trim(), content: t.content, line: fileLine(start), bodyLine: start });
      }
    } else if (t.type === 'code_block') {
      report(start, 'indented code block: use a fenced block (```sh, ```text or ```output)');
    } else if (t.type === 'container_block_open') {
      // map[1] is the closing ::: line when the block is closed.
      const closed = CLOSING_FENCE.test(lines[end] ?? '') && end < lines.length;
      const [name = '', ...args] = t.info.trim().split(/\s+/);
      if (t.level > 0) {
        report(start, `::: ${name} cannot be nested inside another block`);
      } else if (!closed) {
        report(start, `::: ${name} is never closed with :::`);
      } else if (name === 'hint') {
        const body = lines.slice(start + 1, end).join('\n').trim();
        if (args.length > 0) report(start, '::: hint takes no arguments');
        if (body === '') report(start, 'empty hint');
        hints.push({ start, end, text: body });
      } else if (name === 'checkpoint' || name === 'quiz') {
        const id = args[0];
        if (id === undefined || args.length > 1) report(start, `write a ${name} marker as "::: ${name} ${name.toUpperCase()}-ID" followed by ":::"`);
        else markers.push({ id, line: fileLine(start), kind: name });
        if (lines.slice(start + 1, end).some((l) => l.trim() !== '')) report(start + 1, `a ${name} marker holds no text`);
      } else {
        report(start, `unknown block "::: ${name}": use ::: hint, ::: checkpoint ID or ::: quiz ID`);
      }
    }
  }

  // Hint texts again, now that their runnable fences carry their block ids.
  for (const h of hints) h.text = lines.slice(h.start + 1, h.end).join('\n').trim();

  // Section boundaries: each step heading up to the next one.
  const firstHeading = headings[0]?.line ?? lines.length;
  const inRange = (line: number, from: number, to: number): boolean => line >= from && line < to;
  const keptLines = (from: number, to: number): string[] =>
    lines.slice(from, to).filter((_, k) => !hints.some((h) => from + k >= h.start && from + k <= h.end));

  for (const h of hints.filter((h) => h.start < firstHeading)) report(h.start, 'a hint must be inside a step section');
  for (const m of markers.filter((m) => m.line < fileLine(firstHeading))) {
    problems.push({ file, line: m.line, message: `checkpoint marker "${m.id}" must be inside a step section` });
  }

  const sections: MarkdownSection[] = headings.map((h, idx) => {
    const to = headings[idx + 1]?.line ?? lines.length;
    return {
      stepId: h.stepId,
      title: h.title,
      line: fileLine(h.line),
      body: joinBody(keptLines(h.contentStart, to)),
      hints: hints.filter((x) => inRange(x.start, h.contentStart, to)).map((x) => ({ text: x.text, line: fileLine(x.start) })),
      checkpoints: markers.filter((m) => inRange(m.line, fileLine(h.contentStart), fileLine(to))),
      codeBlocks: blocks.filter((b) => inRange(b.bodyLine, h.contentStart, to)).map(({ bodyLine: _, ...b }) => b),
    };
  });

  return {
    ...(frontMatter ? { frontMatter } : {}),
    intro: joinBody(keptLines(0, firstHeading)),
    sections,
    introCodeBlocks: blocks.filter((b) => b.bodyLine < firstHeading).map(({ bodyLine: _, ...b }) => b),
    lineCount,
    problems: problems.sort((a, b) => a.line - b.line),
  };
}
