// A learner's progress as two files they can hand in: a JSON export and a
// printable one-page HTML report (lessons, checkpoints, when each passed).
// Pure: the caller passes the lessons, the progress and the time.
import type { Locale, Localized, LessonProgress } from '../../api/types';
import { escapeHtml, fillText, formatReportDate, printablePage } from '../report/printable-html';

export { escapeHtml };

const EXPORT_FORMAT = 'netlab-progress';
const EXPORT_VERSION = 1;

interface ReportLesson {
  id: string;
  title: Localized;
  source: 'builtin' | 'extra';
  steps: { id: string; title: Localized }[];
  checkpoints: { id: string; title: Localized; kind: 'lab' | 'quiz' }[];
}

export interface ReportInput {
  locale: Locale;
  /** ISO time of the export. */
  exportedAt: string;
  appVersion: string;
  lessons: ReportLesson[];
  progress: Record<string, LessonProgress>;
  /** For the dates in the HTML report; the system's zone when left out. */
  timeZone?: string;
}

interface ExportedCheckpoint {
  id: string;
  title: string;
  kind: 'lab' | 'quiz';
  passedAt: string | null;
}

interface ExportedLesson {
  id: string;
  title: string;
  source: 'builtin' | 'extra';
  currentStep: string | null;
  passed: number;
  total: number;
  complete: boolean;
  checkpoints: ExportedCheckpoint[];
}

interface ProgressExportData {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  app: { name: 'NetLab'; version: string };
  exportedAt: string;
  locale: Locale;
  summary: { lessons: number; lessonsComplete: number; checkpointsPassed: number; checkpointsTotal: number };
  lessons: ExportedLesson[];
}

interface ProgressExport {
  json: string;
  html: string;
  /** A file name without extension, e.g. netlab-progress-2026-11-25. */
  fileBase: string;
}

const TEXT = {
  en: {
    title: 'NetLab progress report',
    exported: 'Exported {date} · NetLab {version}',
    summary: '{complete} of {lessons} lessons complete · {passed} of {total} checkpoints passed',
    lesson: 'Lesson',
    checkpoint: 'Checkpoint',
    passedAt: 'Passed',
    notYet: 'not yet',
    quiz: 'quiz',
    extra: 'extra lesson',
    complete: 'complete',
    step: 'Current step: {step}',
    none: 'No lessons.',
    name: 'Name: ',
  },
  'zh-CN': {
    title: 'NetLab 学习进度报告',
    exported: '导出于 {date} · NetLab {version}',
    summary: '已完成 {complete}/{lessons} 门课程 · 已通过 {passed}/{total} 个检查点',
    lesson: '课程',
    checkpoint: '检查点',
    passedAt: '通过时间',
    notYet: '尚未通过',
    quiz: '测验',
    extra: '附加课程',
    complete: '已完成',
    step: '当前步骤：{step}',
    none: '没有课程。',
    name: '姓名：',
  },
} satisfies Record<Locale, Record<string, string>>;

type TextKey = keyof (typeof TEXT)['en'];

function say(locale: Locale, key: TextKey, params: Record<string, string | number> = {}): string {
  return fillText(TEXT[locale][key], params);
}

function pick(text: Localized, locale: Locale): string {
  return text[locale] || text.en;
}

function progressExportData(input: ReportInput): ProgressExportData {
  const { locale } = input;
  const known = new Set(input.lessons.map((l) => l.id));
  const lessons: ExportedLesson[] = input.lessons.map((l) => {
    const p = input.progress[l.id];
    const checkpoints = l.checkpoints.map((c) => ({
      id: c.id,
      title: pick(c.title, locale),
      kind: c.kind,
      passedAt: p?.passed[c.id] ?? null,
    }));
    const passed = checkpoints.filter((c) => c.passedAt).length;
    const step = p?.stepId ? l.steps.find((s) => s.id === p.stepId) : undefined;
    return {
      id: l.id,
      title: pick(l.title, locale),
      source: l.source,
      currentStep: step ? pick(step.title, locale) : (p?.stepId ?? null),
      passed,
      total: checkpoints.length,
      complete: checkpoints.length > 0 && passed === checkpoints.length,
      checkpoints,
    };
  });
  // Progress for a lesson that is no longer installed (e.g. a removed extra folder) is kept, by id.
  for (const [id, p] of Object.entries(input.progress)) {
    if (known.has(id)) continue;
    const checkpoints = Object.entries(p.passed).map(([cid, at]) => ({ id: cid, title: cid, kind: 'lab' as const, passedAt: at }));
    lessons.push({ id, title: id, source: 'extra', currentStep: p.stepId ?? null, passed: checkpoints.length, total: checkpoints.length, complete: false, checkpoints });
  }
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    app: { name: 'NetLab', version: input.appVersion },
    exportedAt: input.exportedAt,
    locale,
    summary: {
      lessons: lessons.length,
      lessonsComplete: lessons.filter((l) => l.complete).length,
      checkpointsPassed: lessons.reduce((n, l) => n + l.passed, 0),
      checkpointsTotal: lessons.reduce((n, l) => n + l.total, 0),
    },
    lessons,
  };
}

// Compact enough for a dozen lessons on one A4 page; no scripts, no external files.
const STYLE = `
  @page { size: A4; margin: 14mm; }
  body { max-width: 190mm; }
  .name { margin: 4mm 0; }
  .name span { display: inline-block; min-width: 70mm; border-bottom: 1px solid #888; }
  td.when { white-space: nowrap; width: 42mm; }
  tr.passed td.mark { color: #1a7f37; }
  tr.open td { color: #666; }
  td.mark { width: 5mm; }
`;

function reportHtml(data: ProgressExportData, timeZone: string | undefined): string {
  const { locale } = data;
  const e = escapeHtml;
  const sections = data.lessons.map((l) => {
    const tags = [l.source === 'extra' ? say(locale, 'extra') : '', l.complete ? say(locale, 'complete') : '']
      .filter(Boolean)
      .map((tag) => `<span class="tag">${e(tag)}</span>`)
      .join('');
    const rows = l.checkpoints
      .map((c) => {
        const when = c.passedAt ? e(formatReportDate(c.passedAt, locale, timeZone)) : e(say(locale, 'notYet'));
        const kind = c.kind === 'quiz' ? ` <span class="tag">${e(say(locale, 'quiz'))}</span>` : '';
        return `<tr class="${c.passedAt ? 'passed' : 'open'}"><td class="mark">${c.passedAt ? '✓' : '○'}</td><td>${e(c.title)}${kind}</td><td class="when">${when}</td></tr>`;
      })
      .join('');
    const step = l.currentStep ? `<p class="meta">${e(say(locale, 'step', { step: l.currentStep }))}</p>` : '';
    return `<section data-lesson="${e(l.id)}"><h2>${e(l.title)} <span class="tag">${l.passed}/${l.total}</span>${tags}</h2>${step}
<table><thead><tr><th></th><th>${e(say(locale, 'checkpoint'))}</th><th>${e(say(locale, 'passedAt'))}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  });
  const s = data.summary;
  const body = `<h1>${e(say(locale, 'title'))}</h1>
<p class="meta">${e(say(locale, 'exported', { date: formatReportDate(data.exportedAt, locale, timeZone), version: data.app.version }))}</p>
<p class="meta">${e(say(locale, 'summary', { complete: s.lessonsComplete, lessons: s.lessons, passed: s.checkpointsPassed, total: s.checkpointsTotal }))}</p>
<p class="name">${e(say(locale, 'name'))}<span>&nbsp;</span></p>
${sections.length ? sections.join('\n') : `<p>${e(say(locale, 'none'))}</p>`}`;
  return printablePage({ locale, title: say(locale, 'title'), style: STYLE, body });
}

export function buildProgressExport(input: ReportInput): ProgressExport {
  const data = progressExportData(input);
  return {
    json: `${JSON.stringify(data, null, 2)}\n`,
    html: reportHtml(data, input.timeZone),
    fileBase: `netlab-progress-${input.exportedAt.slice(0, 10)}`,
  };
}
