import { describe, expect, it } from 'vitest';
import type { ClassLearnerRow } from '../../../electron/api/contract';
import { cellView, presence, sharedLines, stuckPhrases } from './classroom';
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
