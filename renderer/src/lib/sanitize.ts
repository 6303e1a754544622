// The last gate before {@html}: DOMPurify with the HTML profile only, and
// links restricted to http/https/mailto opening outside the app.
import DOMPurify from 'dompurify';
import { keepHighlightClasses } from './highlight';
import { renderInlineMarkdown } from './markdown';
import { isSafeUrl } from './terminal-input';

const purify = DOMPurify(window);

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href');
  if (!href || !isSafeUrl(href)) {
    node.removeAttribute('href');
    node.removeAttribute('target');
    return;
  }
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

// Inside <code>, a <span> may carry highlight.js token classes and nothing else.
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'SPAN' || !node.parentElement?.closest('code')) return;
  const classes = keepHighlightClasses(node.getAttribute('class') ?? '');
  for (const attr of [...node.attributes]) node.removeAttribute(attr.name);
  if (classes) node.setAttribute('class', classes);
});

export function sanitize(html: string): string {
  // DOMPurify returns its input untouched without a DOM: refuse rather than pass it through.
  if (!purify.isSupported) throw new Error('HTML sanitizer unavailable');
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    ADD_ATTR: ['target'],
    FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'iframe'],
  });
}

/**
 * The classroom's join QR code before {@html}: svg, path and rect with their drawing attributes,
 * nothing else (the main process checked it too: join-qr.ts isPlainQrSvg).
 */
export function sanitizeQrSvg(svg: string): string {
  if (!purify.isSupported) throw new Error('HTML sanitizer unavailable');
  return purify.sanitize(svg, {
    ALLOWED_TAGS: ['svg', 'path', 'rect'],
    ALLOWED_ATTR: ['xmlns', 'viewBox', 'width', 'height', 'shape-rendering', 'fill', 'stroke', 'd', 'x', 'y'],
  });
}

/** Short lesson text (a checkpoint title, a quiz question or answer) with inline Markdown, ready for {@html}. */
export function sanitizedInline(text: string): string {
  return sanitize(renderInlineMarkdown(text));
}
