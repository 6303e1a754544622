import { describe, expect, it } from 'vitest';
import type { ClassDashboard, ClassLearnerRow } from '../../../electron/api/contract';
import { cellView, presence, reuseUnchanged, sameData, sharedLines, stuckPhrases } from './classroom';
import { translate } from './i18n';

const row = (over: Partial<ClassLearnerRow> = {}): ClassLearnerRow => ({
  id: 'l-1',
  name: 'Ada',
  connected: true,
  left: false,
  lessonId: 'engine-kinds',
  stepId: 'first',
  secondsOnStep: 0,
  handRaised: false,
  stuck: { stuck: false, noProgress: false, repeatedFailure: null, handRaised: false },
  cells: {},
  sharing: null,
  ...over,
});

describe('cellView', () => {
  it('gives every state a mark and a word, and keeps the reason', () => {
    expect(cellView({ status: 'failed', reason: 'no network yet', failedAttempts: 2 })).toEqual({ status: 'failed', mark: '✗', word: 'class.cellFailed', reason: 'no network yet' });
    expect(cellView({ status: 'passed', reason: null, failedAttempts: 0 })).toMatchObject({ status: 'passed', mark: '✓' });
    expect(cellView(undefined)).toMatchObject({ status: 'pending', word: 'class.cellPending', reason: null });
  });
});

describe('stuckPhrases', () => {
  it('names each signal, with the instructor\'s minutes', () => {
    expect(stuckPhrases(row(), 5)).toEqual([]);
    const stuck = row({ stuck: { stuck: true, noProgress: true, repeatedFailure: 'listed', handRaised: true } });
    expect(stuckPhrases(stuck, 7).map((p) => translate('en', p.key, p.params))).toEqual(['hand raised', 'no progress for 7 min', 'failing listed repeatedly']);
  });
});

describe('presence', () => {
  it('tells left from offline', () => {
    expect(presence(row())).toBe('class.presenceOnline');
    expect(presence(row({ connected: false }))).toBe('class.presenceOffline');
    expect(presence(row({ connected: false, left: true }))).toBe('class.presenceLeft');
  });
});

describe('sharedLines', () => {
  it('lists every shared item with its current value, and nothing about terminals', () => {
    const lines = sharedLines({
      name: 'Ada',
      progress: { lessonId: 'engine-kinds', stepId: 'first', checkpoints: [{ id: 'listed', status: 'failed', reason: 'run docker network ls', failedAttempts: 1 }], hintsRevealed: ['h1'], solutionsUsed: [], secondsOnStep: 125, coachHint: 'try ls' },
    }).map((p) => translate('en', p.key, p.params));
    expect(lines.join('\n')).toContain('Ada');
    expect(lines.join('\n')).toContain('engine-kinds / first');
    expect(lines.join('\n')).toContain('listed: failed (run docker network ls)');
    expect(lines.join('\n')).toContain('2 min');
    expect(lines.join('\n')).not.toMatch(/\{\w+\}/);
    const empty = sharedLines({ name: 'Ada', progress: null }).map((p) => translate('en', p.key, p.params));
    expect(empty.join('\n')).not.toMatch(/\{\w+\}/);
  });
});

describe('reuseUnchanged', () => {
  const dash = (learners: ClassLearnerRow[]): ClassDashboard => ({
    hosting: true, address: '127.0.0.1:1', reach: '', shortCode: 'A', fullCode: 'A.B', fingerprint: 'f', qrSvg: null, announced: false, warning: null, stuckMinutes: 5,
    lesson: { lessonId: 'engine-kinds', title: 'E' },
    checkpoints: [{ id: 'listed', title: { en: 'Listed' } }],
    learners,
    summary: [{ checkpointId: 'listed', passed: 0, failed: 0, reporting: 2, commonFailure: null }],
    offers: [],
    version: { feed: 'f', seq: 0 },
  });

  it('keeps the objects of rows, columns and summary that did not change, and takes the new ones that did', () => {
    const prev = dash([row({ id: 'l-1' }), row({ id: 'l-2', name: 'Bo' })]);
    const changedRow = row({ id: 'l-2', name: 'Bo', cells: { listed: { status: 'passed', reason: null, failedAttempts: 0 } } });
    const next = dash([row({ id: 'l-1' }), changedRow]);
    next.summary = [{ checkpointId: 'listed', passed: 1, failed: 0, reporting: 2, commonFailure: null }];
    const merged = reuseUnchanged(prev, next);
    expect(merged).toEqual(next);
    expect(merged.learners[0]).toBe(prev.learners[0]);
    expect(merged.learners[1]).toBe(changedRow);
    expect(merged.checkpoints).toBe(prev.checkpoints);
    expect(merged.summary).toBe(next.summary);
    // Nothing changed: the very same list of rows.
    expect(reuseUnchanged(merged, dash([row({ id: 'l-1' }), changedRow])).learners).toBe(merged.learners);
    // A new learner, or one gone: a new list.
    expect(reuseUnchanged(merged, dash([row({ id: 'l-1' })])).learners).toHaveLength(1);
    expect(reuseUnchanged(null, next)).toBe(next);
  });
});

describe('sameData', () => {
  it('compares JSON data deeply', () => {
    expect(sameData({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBe(true);
    expect(sameData({ a: [1, { b: null }] }, { a: [1, { b: 0 }] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameData({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameData(null, {})).toBe(false);
  });
});
