// What a lesson test found, and how it is printed: one row per checkpoint
// (before, after, near-misses held), the failures in words, and the final
// `N passed, M failed` line.
import type { CheckpointState } from '../../electron/api/types';

/** One checkpoint of the main run: not passed at the start, passed after its step. */
export interface CheckpointResult {
  lessonId: string;
  stepId: string;
  checkpointId: string;
  /** Status right before its step's solution ran ('-' when the run never got there). */
  before: CheckpointState | '-';
  /** Status when the lab opened. */
  atStart: CheckpointState | '-';
  /** Status after its step's solution (and quizzes), once polling ended. */
  after: CheckpointState | '-';
  ok: boolean;
  /** Why it failed, when it did. */
  problem?: string;
  /** A remark that is not a failure. */
  note?: string;
}

/** One checkpoint named in a near-miss's `fails`: it must stay unpassed. */
export interface NearMissResult {
  lessonId: string;
  stepId: string;
  label: string;
  checkpointId: string;
  ok: boolean;
  /** The reason the lab gave for not passing it (or what went wrong). */
  reason?: string;
}

/** Lesson-level checks: it loads, its lab resets to nothing. */
export interface LessonCheck {
  lessonId: string;
  what: string;
  ok: boolean;
  problem?: string;
}

export interface RunReport {
  checkpoints: CheckpointResult[];
  nearMisses: NearMissResult[];
  lessonChecks: LessonCheck[];
}

export function emptyReport(): RunReport {
  return { checkpoints: [], nearMisses: [], lessonChecks: [] };
}

export function counts(report: RunReport): { passed: number; failed: number } {
  const all = [...report.checkpoints, ...report.nearMisses, ...report.lessonChecks];
  const passed = all.filter((r) => r.ok).length;
  return { passed, failed: all.length - passed };
}

/** The last line, alone: `N passed, M failed`. */
export function summaryLine(report: RunReport): string {
  const { passed, failed } = counts(report);
  return `${passed} passed, ${failed} failed`;
}

/** Display width: wide (CJK) characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ? 2 : 1;
  }
  return w;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** A plain-text table: a header, a rule, the rows; columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => (i === widths.length - 1 ? (cells[i] ?? '') : pad(cells[i] ?? '', w)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** "2/2 held", "1/2 held", or "-" when no near-miss names the checkpoint. */
export function nearMissCell(results: readonly NearMissResult[], lessonId: string, checkpointId: string): string {
  const mine = results.filter((r) => r.lessonId === lessonId && r.checkpointId === checkpointId);
  if (mine.length === 0) return '-';
  return `${mine.filter((r) => r.ok).length}/${mine.length} held`;
}

export const TABLE_HEADERS = ['lesson', 'step', 'checkpoint', 'before', 'after', 'near-misses', 'result'] as const;

export function tableRows(report: RunReport): string[][] {
  const rows: string[][] = [];
  const lessons = [...new Set([...report.lessonChecks, ...report.checkpoints, ...report.nearMisses].map((r) => r.lessonId))];
  for (const lessonId of lessons) {
    for (const c of report.checkpoints.filter((r) => r.lessonId === lessonId)) {
      const before = c.before === 'passed' && c.atStart !== 'passed' ? 'passed*' : c.before;
      const nm = nearMissCell(report.nearMisses, lessonId, c.checkpointId);
      const nmOk = report.nearMisses.filter((r) => r.lessonId === lessonId && r.checkpointId === c.checkpointId).every((r) => r.ok);
      rows.push([lessonId, c.stepId, c.checkpointId, before, c.after, nm, c.ok && nmOk ? 'ok' : 'FAIL']);
    }
    // Near-miss checks naming a checkpoint the main run never listed (a typo in `fails`).
    const listed = new Set(report.checkpoints.filter((r) => r.lessonId === lessonId).map((r) => r.checkpointId));
    for (const id of new Set(report.nearMisses.filter((r) => r.lessonId === lessonId && !listed.has(r.checkpointId)).map((r) => r.checkpointId))) {
      const nmOk = report.nearMisses.filter((r) => r.lessonId === lessonId && r.checkpointId === id).every((r) => r.ok);
      rows.push([lessonId, '?', id, '-', '-', nearMissCell(report.nearMisses, lessonId, id), nmOk ? 'ok' : 'FAIL']);
    }
    for (const l of report.lessonChecks.filter((r) => r.lessonId === lessonId)) {
      rows.push([lessonId, `(${l.what})`, '', '', '', '', l.ok ? 'ok' : 'FAIL']);
    }
  }
  return rows;
}

/** Everything that failed, one line each, in words an author can act on. */
export function failureLines(report: RunReport): string[] {
  const out: string[] = [];
  for (const l of report.lessonChecks) if (!l.ok) out.push(`FAIL ${l.lessonId} (${l.what}): ${l.problem ?? 'failed'}`);
  for (const c of report.checkpoints) if (!c.ok) out.push(`FAIL ${c.lessonId} / ${c.stepId} / ${c.checkpointId}: ${c.problem ?? 'failed'}`);
  for (const n of report.nearMisses) {
    if (!n.ok) out.push(`FAIL ${n.lessonId} / ${n.stepId} / near-miss "${n.label}": ${n.checkpointId} ${n.reason ?? 'passed'}`);
  }
  return out;
}

export function noteLines(report: RunReport): string[] {
  return report.checkpoints.filter((c) => c.note).map((c) => `note ${c.lessonId} / ${c.stepId} / ${c.checkpointId}: ${c.note ?? ''}`);
}

/** The whole printed report: table, notes, failures, then the summary alone on the last line. */
export function formatReport(report: RunReport): string {
  const parts = [formatTable(TABLE_HEADERS, tableRows(report))];
  const notes = noteLines(report);
  if (notes.length > 0) parts.push(notes.join('\n'));
  const failures = failureLines(report);
  if (failures.length > 0) parts.push(failures.join('\n'));
  parts.push(summaryLine(report));
  return parts.join('\n\n');
}
