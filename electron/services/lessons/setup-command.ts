// A lesson's `setup:` commands run without a shell: each host entry is one
// `docker …` command, split into words here and handed to the docker CLI as
// its arguments (execFile). Nothing a shell would expand or chain is allowed,
// so what the consent dialog lists is exactly what runs, on every platform.
import { splitCommandLine } from '../coach/command-line';

/** Characters a shell would treat specially even in a word: refused rather than passed on literally. */
const SHELL_ONLY = /[$`<>*?~]/;

/** The docker CLI's arguments for a setup command, or why it cannot be one. */
export function setupArgs(command: string): { args: string[] } | { problem: string } {
  if (command.includes('\n')) return { problem: 'a setup command is one line' };
  const parts = splitCommandLine(command);
  if (parts.length !== 1) return { problem: 'a setup command is one docker command: no ;, &&, || or | (write one entry per command)' };
  const words = parts[0]?.words ?? [];
  if (words[0] !== 'docker' || words.length < 2) return { problem: 'a setup command starts with docker' };
  // The tokenizer keeps quotes' contents; a special character outside them would mean something else to a shell.
  const unquoted = command.replace(/'[^']*'|"[^"]*"/g, '');
  if (SHELL_ONLY.test(unquoted)) return { problem: 'a setup command runs without a shell: no $, `, <, >, *, ? or ~ outside quotes' };
  if (command.includes('$') || command.includes('`')) return { problem: 'a setup command runs without a shell: no $ or ` (nothing is expanded)' };
  return { args: words.slice(1) };
}

/** Names a host command creates, so reset can find them (`--name X`, `docker network create X`). */
export function createdNames(command: string): { kind: 'container' | 'network'; name: string }[] {
  const out: { kind: 'container' | 'network'; name: string }[] = [];
  for (const m of command.matchAll(/(?:^|\s)--name(?:=|\s+)["']?([a-zA-Z0-9][a-zA-Z0-9_.-]*)/g)) {
    if (m[1]) out.push({ kind: 'container', name: m[1] });
  }
  const net = /\bdocker\s+network\s+create\b(.*)$/.exec(command);
  if (net) {
    const words = (net[1] ?? '').trim().split(/\s+/).filter((w) => w !== '' && !w.startsWith('-'));
    const last = words[words.length - 1];
    if (last) out.push({ kind: 'network', name: last });
  }
  return out;
}
