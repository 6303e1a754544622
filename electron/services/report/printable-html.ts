// What the printable HTML reports share (the learner's progress report, progress/progress-report.ts,
// and the class report, classroom/class-report-html.ts): escaping, dates in the UI's language, the
// page's frame and base style. Self-contained: no scripts, no external files (the page's CSP says so).
import type { Locale } from '../../api/types';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A date and time in the report's language (and the given zone, else the system's). */
export function formatReportDate(iso: string | number, locale: Locale, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}

/** Fills `{name}` placeholders from a report's dictionary. */
export function fillText(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

// Type, headings, the meta lines, tags and tables, compact enough to print.
const BASE_STYLE = `
  * { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif;
    font-size: 10.5pt; line-height: 1.35; color: #111; background: #fff; margin: 0 auto; padding: 8mm 0; }
  h1 { font-size: 16pt; margin: 0 0 2mm; }
  .meta { color: #444; margin: 0 0 1mm; }
  section { break-inside: avoid; margin: 3mm 0; }
  h2 { font-size: 11.5pt; margin: 0 0 1mm; }
  .tag { font-size: 8.5pt; font-weight: normal; color: #444; border: 1px solid #aaa; border-radius: 3px; padding: 0 1.5mm; margin-left: 2mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 0.6mm 1.5mm; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { font-size: 9pt; color: #444; }
  @media print { body { padding: 0; } }
`;

export interface PrintablePage {
  locale: Locale;
  /** Plain text: escaped here. */
  title: string;
  /** The report's own rules, after the base style (its @page, widths, marks). */
  style: string;
  /** Already-escaped HTML. */
  body: string;
}

export function printablePage({ locale, title, style, body }: PrintablePage): string {
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${BASE_STYLE}${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
