// The classroom screens' pure logic: what a grid cell shows (a mark and a word, never colour
// alone), why a learner is stuck, and the "what will be shared" list a learner reads before
// joining. Words are message keys, so both languages come from i18n.ts.
import type { ClassCell, ClassDashboard, ClassLearnerRow, ClassSharePreview } from '../../../electron/api/contract';
import type { MessageKey, MessageParams } from './i18n';

export type CellStatus = ClassCell['status'];

export interface CellView {
  status: CellStatus;
  mark: string;
  word: MessageKey;
  reason: string | null;
}

const MARKS: Record<CellStatus, { mark: string; word: MessageKey }> = {
  passed: { mark: '✓', word: 'class.cellPassed' },
  failed: { mark: '✗', word: 'class.cellFailed' },
  pending: { mark: '…', word: 'class.cellPending' },
};

/** A learner who has not reported a checkpoint is pending on it. */
export function cellView(cell: ClassCell | undefined): CellView {
  const status = cell?.status ?? 'pending';
  return { status, ...MARKS[status], reason: cell?.reason ?? null };
}

export interface Phrase {
  key: MessageKey;
  params?: MessageParams;
}

/** Each reason a learner counts as stuck, in words. */
export function stuckPhrases(row: ClassLearnerRow, stuckMinutes: number): Phrase[] {
  const out: Phrase[] = [];
  if (row.stuck.handRaised) out.push({ key: 'class.stuckHand' });
  if (row.stuck.noProgress) out.push({ key: 'class.stuckNoProgress', params: { minutes: stuckMinutes } });
  if (row.stuck.repeatedFailure) out.push({ key: 'class.stuckFailing', params: { checkpoint: row.stuck.repeatedFailure } });
  return out;
}

/** The learner's row state in words: connected, offline (may come back) or left. */
export function presence(row: ClassLearnerRow): MessageKey {
  return row.left ? 'class.presenceLeft' : row.connected ? 'class.presenceOnline' : 'class.presenceOffline';
}

/**
 * Everything joining shares, each with its current value when the app has one. Terminal contents
 * and commands have no line here because they are never sent.
 */
export function sharedLines(preview: ClassSharePreview): Phrase[] {
  const p = preview.progress;
  const none = { value: '—' };
  return [
    { key: 'join.shareName', params: { value: preview.name } },
    { key: 'join.shareLesson', params: p ? { value: `${p.lessonId} / ${p.stepId}` } : none },
    {
      key: 'join.shareCheckpoints',
      params: p && p.checkpoints.length ? { value: p.checkpoints.map((c) => `${c.id}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`).join('; ') } : none,
    },
    { key: 'join.shareHints', params: { hints: p?.hintsRevealed.length ?? 0, solutions: p?.solutionsUsed.length ?? 0 } },
    { key: 'join.shareTime', params: p ? { value: `${Math.floor(p.secondsOnStep / 60)} min` } : none },
    { key: 'join.shareCoach', params: p?.coachHint ? { value: p.coachHint } : none },
    { key: 'join.shareHand' },
  ];
}

/**
 * The new dashboard, holding the previous one's objects wherever nothing changed: its rows, the
 * columns, the summary. The grid's keyed each blocks then redraw only the rows that changed, not
 * 100 × 70 cells per event (bench/scenarios/class-dashboard.ts).
 */
export function reuseUnchanged(prev: ClassDashboard | null, next: ClassDashboard): ClassDashboard {
  if (!prev) return next;
  const same = <T>(a: T, b: T): T => (sameData(a, b) ? a : b);
  const before = new Map(prev.learners.map((l) => [l.id, l]));
  const learners = next.learners.map((l) => {
    const old = before.get(l.id);
    return old ? same(old, l) : l;
  });
  const unchangedRows = learners.length === prev.learners.length && learners.every((l, i) => l === prev.learners[i]);
  return {
    ...next,
    learners: unchangedRows ? prev.learners : learners,
    checkpoints: same(prev.checkpoints, next.checkpoints),
    summary: same(prev.summary, next.summary),
  };
}

/** Deep equality of JSON data, without building strings: it runs over every row of every event. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
