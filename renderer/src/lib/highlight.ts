// Syntax highlighting for lesson code blocks. highlight.js core with only the
// languages the lessons use keeps the bundle small; its output is escaped text
// plus <span class="hljs-*">, and still goes through sanitize() afterwards.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import json from 'highlight.js/lib/languages/json';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('json', json);
hljs.registerLanguage('yaml', yaml);

/** Fence languages → highlight.js grammars. Anything else (text, output) stays plain. */
const GRAMMARS: Record<string, string> = {
  sh: 'bash',
  bash: 'bash',
  shell: 'bash',
  console: 'bash',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
};

/** The grammar for a fence language, or undefined for plain text. */
function grammarFor(lang: string): string | undefined {
  return GRAMMARS[lang.toLowerCase()];
}

/**
 * Highlighted HTML for a code block's text; plain (escaped) text for
 * languages without a grammar, so output samples never look like code.
 */
export function highlightCode(code: string, lang: string, escape: (text: string) => string): string {
  const grammar = grammarFor(lang);
  if (!grammar) return escape(code);
  try {
    return hljs.highlight(code, { language: grammar, ignoreIllegals: true }).value;
  } catch {
    return escape(code);
  }
}

const HLJS_CLASS = /^hljs-[a-z][a-z0-9_-]*$/;

/**
 * The sanitizer's rule for a <span> inside <code>: only highlight.js token
 * classes survive (sub-scope classes such as `function_` are dropped too).
 * Returns the class attribute to keep, or '' to remove it.
 */
export function keepHighlightClasses(classAttr: string): string {
  return classAttr
    .split(/\s+/)
    .filter((name) => HLJS_CLASS.test(name))
    .join(' ');
}
