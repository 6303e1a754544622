// The class report as a printable, self-contained HTML page (A4 landscape), in the UI's
// language: learners × the lesson's checkpoints with their states, then each learner's failure
// reasons, stuck signals, hints revealed and solutions used. Learners choose their own names and
// their apps word the reasons, so every piece of text is escaped (printable-html.ts).
// Pure: the caller passes the record, the columns and the time.
import type { Locale } from '../../api/types';
import { escapeHtml as e, fillText, formatReportDate, printablePage } from '../report/printable-html';
import { DEFAULT_STUCK_POLICY, stuckSignals, type ClassRecord, type StuckPolicy } from './class-record';

export interface ClassReportInput {
  record: ClassRecord;
  lessonId: string;
  lessonTitle: string;
  /** The grid's columns in order, titles already in the report's language. */
  checkpoints: { id: string; title: string }[];
  locale: Locale;
  now: number;
  policy?: StuckPolicy;
  /** For the date; the system's zone when left out. */
  timeZone?: string;
}

const TEXT = {
  en: {
    title: 'NetLab class report',
    class: 'Class: {name}',
    lesson: 'Lesson: {title}',
    exported: 'Exported {date} · {learners} learners',
    learner: 'Learner',
    step: 'Step',
    passed: 'Passed',
    hints: 'Hints',
    solutions: 'Solutions',
    stuck: 'Stuck',
    checkpoints: 'Checkpoints',
    checkpointPassed: '{passed} of {reporting} passed',
    common: 'most common failure: {reason} ({count})',
    legend: '✓ passed · ✗ failed · ○ pending · – not reported',
    details: 'Reasons, hints and solutions',
    failedBecause: '{checkpoint}: {reason} ({attempts} failed checks)',
    hintsUsed: 'Hints revealed: {list}',
    solutionsUsed: 'Solutions used: {list}',
    coach: 'Latest coach hint: {hint}',
    otherLesson: 'on another lesson ({lesson})',
    notStarted: 'not started',
    hand: 'hand raised',
    noProgress: 'no progress for {minutes} min',
    failing: 'failing {checkpoint} repeatedly',
    noReason: 'no reason given',
    none: 'No learners in the class.',
    nothing: 'Nothing to add.',
  },
  'zh-CN': {
    title: 'NetLab 课堂报告',
    class: '课堂：{name}',
    lesson: '课程：{title}',
    exported: '导出于 {date} · {learners} 名学员',
    learner: '学员',
    step: '步骤',
    passed: '已通过',
    hints: '提示',
    solutions: '答案',
    stuck: '卡住',
    checkpoints: '检查点',
    checkpointPassed: '{reporting} 人中 {passed} 人通过',
    common: '最常见的失败原因：{reason}（{count}）',
    legend: '✓ 已通过 · ✗ 未通过 · ○ 待检查 · – 未报告',
    details: '原因、提示与答案',
    failedBecause: '{checkpoint}：{reason}（{attempts} 次检查未通过）',
    hintsUsed: '已查看的提示：{list}',
    solutionsUsed: '已使用的答案：{list}',
    coach: '教练最近的提示：{hint}',
    otherLesson: '在学习其他课程（{lesson}）',
    notStarted: '尚未开始',
    hand: '已举手',
    noProgress: '{minutes} 分钟没有进展',
    failing: '{checkpoint} 反复未通过',
    noReason: '没有给出原因',
    none: '课堂里没有学员。',
    nothing: '无。',
  },
} satisfies Record<Locale, Record<string, string>>;

type TextKey = keyof (typeof TEXT)['en'];

const MARK = { passed: '✓', failed: '✗', pending: '○' } as const;

// Landscape: a lesson's checkpoints are numbered columns, titled in the list below the grid.
const STYLE = `
  @page { size: A4 landscape; margin: 10mm; }
  body { max-width: 277mm; font-size: 9.5pt; }
  table.grid th, table.grid td { padding: 0.4mm 1mm; border: 1px solid #ddd; }
  table.grid td.cp, table.grid th.cp { text-align: center; width: 5mm; }
  td.passed { color: #1a7f37; }
  td.failed { color: #b42318; font-weight: 600; }
  td.pending, td.none { color: #888; }
  tr.stuck th { border-left: 3px solid #b54708; }
  .stuck-why { color: #b54708; }
  ol.columns { columns: 2; margin: 1mm 0; padding-left: 6mm; }
  ul.details { margin: 0.5mm 0 1.5mm; padding-left: 5mm; }
  .who { font-weight: 600; margin: 1.5mm 0 0; }
`;

export function classReportHtml(input: ClassReportInput): string {
  const { record, lessonId, locale, now } = input;
  const policy = input.policy ?? DEFAULT_STUCK_POLICY;
  const say = (key: TextKey, params: Record<string, string | number> = {}): string => fillText(TEXT[locale][key], params);
  const titleOf = new Map(input.checkpoints.map((c) => [c.id, c.title]));
  const learners = record.learners.filter((l) => !l.left);
  const cols = input.checkpoints;

  const head = `<tr><th>${e(say('learner'))}</th><th>${e(say('step'))}</th><th>${e(say('passed'))}</th>${cols
    .map((c, i) => `<th class="cp" scope="col" title="${e(c.title)}" data-checkpoint-id="${e(c.id)}">${i + 1}</th>`)
    .join('')}<th>${e(say('hints'))}</th><th>${e(say('solutions'))}</th><th>${e(say('stuck'))}</th></tr>`;

  const rows = learners.map((l) => {
    const onLesson = l.lessonId === lessonId;
    const s = stuckSignals(l, now, policy);
    const why = [
      s.handRaised ? say('hand') : '',
      s.repeatedFailure ? say('failing', { checkpoint: titleOf.get(s.repeatedFailure) ?? s.repeatedFailure }) : '',
      s.noProgress ? say('noProgress', { minutes: Math.round(policy.noProgressMs / 60_000) }) : '',
    ].filter(Boolean);
    const cells = cols
      .map((c) => {
        const cp = onLesson ? l.checkpoints[c.id] : undefined;
        if (!cp) return `<td class="cp none" data-checkpoint-id="${e(c.id)}">–</td>`;
        return `<td class="cp ${cp.status}" data-checkpoint-id="${e(c.id)}" data-status="${cp.status}">${MARK[cp.status]}</td>`;
      })
      .join('');
    const passed = onLesson ? Object.values(l.checkpoints).filter((c) => c.status === 'passed').length : 0;
    const step = l.lessonId === null ? say('notStarted') : onLesson ? (l.stepId ?? '') : say('otherLesson', { lesson: l.lessonId });
    return `<tr data-learner="${e(l.id)}"${s.stuck ? ' class="stuck"' : ''}><th scope="row">${e(l.name)}</th><td>${e(step)}</td><td>${passed}/${cols.length}</td>${cells}<td>${l.hintsRevealed.length}</td><td>${l.solutionsUsed.length}</td><td class="stuck-why">${e(why.join('; '))}</td></tr>`;
  });

  // Per checkpoint: how many passed, and the reason most of the room sees.
  const summary = cols.map((c) => {
    let passed = 0;
    let reporting = 0;
    const reasons = new Map<string, number>();
    for (const l of learners) {
      const cp = l.lessonId === lessonId ? l.checkpoints[c.id] : undefined;
      if (!cp) continue;
      reporting++;
      if (cp.status === 'passed') passed++;
      if (cp.status === 'failed') {
        const r = cp.reason ?? say('noReason');
        reasons.set(r, (reasons.get(r) ?? 0) + 1);
      }
    }
    let common: { reason: string; count: number } | null = null;
    for (const [reason, count] of reasons) if (!common || count > common.count) common = { reason, count };
    const tail = [say('checkpointPassed', { passed, reporting }), common ? say('common', common) : ''].filter(Boolean).join(' · ');
    return `<li>${e(c.title)} <span class="meta">(${e(tail)})</span></li>`;
  });

  const details = learners.flatMap((l) => {
    const lines: string[] = [];
    if (l.lessonId === lessonId) {
      for (const [id, cp] of Object.entries(l.checkpoints)) {
        if (cp.status !== 'failed') continue;
        lines.push(say('failedBecause', { checkpoint: titleOf.get(id) ?? id, reason: cp.reason ?? say('noReason'), attempts: cp.failedAttempts }));
      }
    }
    if (l.hintsRevealed.length) lines.push(say('hintsUsed', { list: l.hintsRevealed.join(', ') }));
    if (l.solutionsUsed.length) lines.push(say('solutionsUsed', { list: l.solutionsUsed.join(', ') }));
    if (l.coachHint) lines.push(say('coach', { hint: l.coachHint }));
    if (!lines.length) return [];
    return [`<p class="who">${e(l.name)}</p><ul class="details">${lines.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`];
  });

  const body = `<h1>${e(say('title'))}</h1>
<p class="meta">${e(say('class', { name: record.className }))} · ${e(say('lesson', { title: input.lessonTitle }))}</p>
<p class="meta">${e(say('exported', { date: formatReportDate(now, locale, input.timeZone), learners: learners.length }))}</p>
${
  learners.length
    ? `<section><table class="grid" data-testid="class-report-grid"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table><p class="meta">${e(say('legend'))}</p></section>`
    : `<p>${e(say('none'))}</p>`
}
<section><h2>${e(say('checkpoints'))}</h2><ol class="columns">${summary.join('')}</ol></section>
<section><h2>${e(say('details'))}</h2>${details.length ? details.join('\n') : `<p>${e(say('nothing'))}</p>`}</section>`;
  return printablePage({ locale, title: `${say('title')}: ${record.className}`, style: STYLE, body });
}
