// Lesson Markdown → HTML. Raw HTML is disabled and links are limited to
// http/https/mailto here; the result is still passed through sanitize() before
// it reaches the DOM. Code blocks become runnable by their info string:
//   ```sh / bash / shell      → run in the host shell
//   ```sh terminal=NAME       → run in a shell inside container NAME
//   ```text / output          → plain, not runnable
// A Run button names what the main process should type, never the text: the
// lesson's text comes with `block=ID` in each runnable fence (written by the
// loader), a shown solution with `solution=FROM+COUNT`. A fence with neither
// gets no Run button.
// `::: checkpoint ID` renders an inline badge whose status the view updates live,
// and `::: quiz ID` a slot the view mounts an interactive quiz into.
import type { SolutionCommand } from '../../../electron/api/types';
import MarkdownIt, { type MarkdownIt as MarkdownItInstance, type Token } from 'markdown-it';
import container from 'markdown-it-container';
import { highlightCode } from './highlight';
import { isContainerName, isSafeUrl } from './terminal-input';

export interface MarkdownLabels {
  run: string;
  runIn(name: string): string;
  copy: string;
  checkpointTitle(id: string): string;
}

interface RenderEnv {
  labels: MarkdownLabels;
}

function labelsOf(env: unknown): MarkdownLabels {
  const labels = (env as Partial<RenderEnv> | undefined)?.labels;
  if (!labels) throw new Error('renderMarkdown() passes the labels');
  return labels;
}

const RUNNABLE = new Set(['sh', 'bash', 'shell']);
const BLOCK_ID = /^[a-zA-Z-]{1,16}\.\d{1,4}$/;

/** What a Run button asks for: a block of the lesson's text, or commands of the step's solution. */
export type RunRef = { kind: 'block'; block: string } | { kind: 'solution'; from: number; count: number };
const CHECKPOINT = /^checkpoint\s+([a-z0-9][a-z0-9-]{0,63})\s*$/;
const QUIZ = /^quiz\s+([a-z0-9][a-z0-9-]{0,63})\s*$/;

/** What a fence's info string asks for: which terminal runs what, if anything. */
export function parseFenceInfo(info: string): { lang: string; terminal?: string; run?: RunRef } {
  const [lang = '', ...rest] = info.trim().split(/\s+/);
  const lower = lang.toLowerCase();
  if (!RUNNABLE.has(lower)) return { lang: lower };
  let terminal = 'host';
  let run: RunRef | undefined;
  for (const attr of rest) {
    const [key, raw = ''] = attr.split(/=(.*)/s);
    const value = raw.replace(/^["']|["']$/g, '');
    if (key === 'terminal') {
      // An invalid name cannot be opened: leave the block plain rather than guess.
      // 'host' and 'docker-host' are names too; the terminal tabs route them.
      if (value !== 'host' && !isContainerName(value)) return { lang: lower };
      terminal = value;
    } else if (key === 'block' && BLOCK_ID.test(value)) {
      run = { kind: 'block', block: value };
    } else if (key === 'solution') {
      const m = /^(\d{1,3})\+(\d{1,3})$/.exec(value);
      if (m) run = { kind: 'solution', from: Number(m[1]), count: Number(m[2]) };
    }
  }
  return { lang: lower, terminal, ...(run ? { run } : {}) };
}

/** The Run button's data attributes for a target, and back. */
function runAttr(run: RunRef): string {
  return run.kind === 'block' ? run.block : `solution:${run.from}+${run.count}`;
}

export function runRefOf(attr: string | undefined): RunRef | undefined {
  if (!attr) return undefined;
  const m = /^solution:(\d{1,3})\+(\d{1,3})$/.exec(attr);
  if (m) return { kind: 'solution', from: Number(m[1]), count: Number(m[2]) };
  return BLOCK_ID.test(attr) ? { kind: 'block', block: attr } : undefined;
}

function createMarkdown(): MarkdownItInstance {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  // Hostnames in networking lessons ("web.local") must not turn into links.
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
  md.validateLink = (url: string): boolean => isSafeUrl(url);
  const escape = md.utils.escapeHtml;

  md.renderer.rules.link_open = (tokens, idx, options, _env, self): string => {
    const token = tokens[idx];
    if (token) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
    }
    return self.renderToken(tokens, idx, options);
  };

  md.renderer.rules.fence = (tokens, idx, _options, env: unknown): string => {
    const token = tokens[idx];
    if (!token) return '';
    const { lang, terminal, run } = parseFenceInfo(token.info);
    const langClass = lang ? ` class="language-${escape(lang)}"` : '';
    // Highlighted: escaped text plus <span class="hljs-*">; plain for text/output samples.
    const code = `<pre><code${langClass}>${highlightCode(token.content, lang, escape)}</code></pre>`;
    if (!terminal || !run) return `<div class="code-block">${code}</div>\n`;
    // A runnable block can take focus, so Ctrl+Enter runs it from the keyboard.
    const focusable = code.replace('<pre>', '<pre tabindex="0">');
    const labels = labelsOf(env);
    const runLabel = terminal === 'host' ? labels.run : labels.runIn(terminal);
    const target = escape(terminal);
    return (
      `<div class="code-block runnable" data-terminal="${target}">${focusable}` +
      `<div class="code-actions">` +
      `<button type="button" class="run" data-testid="run-in-terminal" data-terminal="${target}" data-run="${escape(runAttr(run))}">${escape(runLabel)}</button>` +
      `<button type="button" class="copy" data-testid="copy-code">${escape(labels.copy)}</button>` +
      `</div></div>\n`
    );
  };

  md.use(container, 'checkpoint', {
    validate: (params: string): boolean => CHECKPOINT.test(params.trim()),
    render: (tokens: Token[], idx: number, _options: unknown, env: unknown): string => {
      const token = tokens[idx];
      if (!token) return '';
      if (token.nesting !== 1) return '</div></div>\n';
      const id = CHECKPOINT.exec(token.info.trim())?.[1] ?? '';
      const title = labelsOf(env).checkpointTitle(id);
      return (
        `<div class="checkpoint-inline" data-testid="checkpoint-inline" data-checkpoint-id="${escape(id)}" data-status="pending">` +
        `<div class="cp-head"><span class="cp-icon" aria-hidden="true"></span>` +
        `<span class="cp-title">${md.renderInline(title)}</span><span class="cp-status"></span></div>` +
        `<div class="cp-body">`
      );
    },
  });
  md.use(container, 'quiz', {
    validate: (params: string): boolean => QUIZ.test(params.trim()),
    render: (tokens: Token[], idx: number): string => {
      const token = tokens[idx];
      if (!token) return '';
      if (token.nesting !== 1) return '</div>\n';
      const id = QUIZ.exec(token.info.trim())?.[1] ?? '';
      // Any text inside the marker renders above the quiz, which is mounted at the end of the slot.
      return `<div class="quiz-slot" data-quiz-slot="${escape(id)}">`;
    },
  });
  return md;
}

const md: MarkdownItInstance = createMarkdown();

/** Renders lesson Markdown to (unsanitized) HTML; always sanitize before inserting. */
export function renderMarkdown(source: string, labels: MarkdownLabels): string {
  return md.render(source, { labels } satisfies RenderEnv);
}

/** Inline Markdown (code spans, emphasis, links) for short texts such as quiz questions; sanitize before inserting. */
export function renderInlineMarkdown(source: string): string {
  return md.renderInline(source);
}

/** A step's solution as runnable blocks: consecutive commands for the same terminal share one block. */
export function solutionMarkdown(commands: readonly SolutionCommand[]): string {
  const longestFence = Math.max(2, ...commands.map((c) => (c.command.match(/`+/g) ?? []).reduce((n, m) => Math.max(n, m.length), 0)));
  const fence = '`'.repeat(longestFence + 1);
  const groups: { terminal: string; from: number; lines: string[] }[] = [];
  commands.forEach(({ terminal, command }, i) => {
    const last = groups[groups.length - 1];
    if (last && last.terminal === terminal) last.lines.push(command);
    else groups.push({ terminal, from: i, lines: [command] });
  });
  return groups
    .map((g) => {
      const attrs = `${g.terminal === 'host' ? '' : ` terminal=${g.terminal}`} solution=${g.from}+${g.lines.length}`;
      return `${fence}sh${attrs}\n${g.lines.join('\n')}\n${fence}\n`;
    })
    .join('\n');
}
