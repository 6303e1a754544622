import { describe, expect, it } from 'vitest';
import { applyProgress, newLearner, type ClassRecord } from './class-record';
import { classReportCsv, csvCell } from './class-report-csv';
import { Progress } from './protocol';

describe('classReportCsv', () => {
  it('has one row per learner still in class and one column per checkpoint', () => {
    const p = (cps: object[]): Progress => Progress.parse({ type: 'progress', lessonId: 'bridge', stepId: 's2', checkpoints: cps, hintsRevealed: ['h1'], solutionsUsed: [], secondsOnStep: 90, coachHint: null });
    const ada = applyProgress(newLearner('l-1', 'Ada, "the first"', 'k', 0), p([{ id: 'ping', status: 'passed' }, { id: 'dns', status: 'failed', reason: 'no DNS', failedAttempts: 4 }]), 0);
    const bob = { ...applyProgress(newLearner('l-2', '=HYPERLINK("x")', 'k', 0), p([{ id: 'ping', status: 'pending' }]), 0), handRaised: true };
    const gone = { ...newLearner('l-3', 'Gone', 'k', 0), left: true };
    const record: ClassRecord = { className: 'c', createdAt: 0, currentLesson: null, learners: [ada, bob, gone] };
    expect(classReportCsv(record, 'bridge', 0).split('\r\n')).toEqual([
      'learner,lesson,step,passed,ping,dns,hints revealed,solutions used,seconds on step,hand raised,stuck',
      '"Ada, ""the first""",bridge,s2,1,passed,failed: no DNS,1,0,90,no,failing dns',
      `"'=HYPERLINK(""x"")",bridge,s2,0,pending,,1,0,90,yes,hand raised`,
      '',
    ]);
  });

  it('neutralises spreadsheet formulas and quotes separators', () => {
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd|x')).toBe("'-cmd|x");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
});
