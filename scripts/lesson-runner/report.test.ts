import { describe, expect, it } from 'vitest';
import {
  counts,
  displayWidth,
  failureLines,
  formatReport,
  formatTable,
  nearMissCell,
  summaryLine,
  tableRows,
  type CheckpointResult,
  type NearMissResult,
  type RunReport,
} from './report';

function cp(checkpointId: string, over: Partial<CheckpointResult> = {}): CheckpointResult {
  return { lessonId: 'dns', stepId: 's1', checkpointId, before: 'failed', atStart: 'failed', after: 'passed', ok: true, ...over };
}
function nm(checkpointId: string, ok: boolean, reason = 'not yet'): NearMissResult {
  return { lessonId: 'dns', stepId: 's1', label: 'typo', checkpointId, ok, reason };
}

describe('table formatting', () => {
  it('pads columns to the widest cell and rules the header', () => {
    const out = formatTable(['a', 'bbb', 'c'], [['xx', 'y', 'z'], ['', 'long cell', 'end']]);
    expect(out.split('\n')).toEqual(['a   bbb        c', '--  ---------  ---', 'xx  y          z', '    long cell  end']);
  });

  it('counts wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('网络')).toBe(4);
    const out = formatTable(['k', 'v'], [['网络', '1'], ['ab', '2']]);
    expect(out.split('\n').slice(2)).toEqual(['网络  1', 'ab    2']);
  });
});

describe('the report', () => {
  const report: RunReport = {
    checkpoints: [cp('one'), cp('two', { ok: false, after: 'failed', problem: 'not passed 20.0 s after its step' }), cp('three', { stepId: 's2', before: 'passed' })],
    nearMisses: [nm('one', true), nm('one', true), nm('two', true), nm('three', false, 'passed, but this near-miss must not pass it')],
    lessonChecks: [{ lessonId: 'dns', what: 'reset', ok: true }],
  };

  it('counts checkpoints, near-miss checks and lesson checks', () => {
    expect(counts(report)).toEqual({ passed: 6, failed: 2 });
    expect(summaryLine(report)).toBe('6 passed, 2 failed');
  });

  it('shows near-misses held per checkpoint', () => {
    expect(nearMissCell(report.nearMisses, 'dns', 'one')).toBe('2/2 held');
    expect(nearMissCell(report.nearMisses, 'dns', 'three')).toBe('0/1 held');
    expect(nearMissCell(report.nearMisses, 'dns', 'nothing')).toBe('-');
  });

  it('has one row per checkpoint plus the reset, failing a row for its own or a near-miss failure', () => {
    expect(tableRows(report)).toEqual([
      ['dns', 's1', 'one', 'failed', 'passed', '2/2 held', 'ok'],
      ['dns', 's1', 'two', 'failed', 'failed', '1/1 held', 'FAIL'],
      // Passed before its own step although not at the start: marked, not failed by itself.
      ['dns', 's2', 'three', 'passed*', 'passed', '0/1 held', 'FAIL'],
      ['dns', '(reset)', '', '', '', '', 'ok'],
    ]);
  });

  it('lists a near-miss check on an unknown checkpoint as its own row', () => {
    const r: RunReport = { checkpoints: [], nearMisses: [nm('ghost', false, 'is not a checkpoint of this lesson')], lessonChecks: [] };
    expect(tableRows(r)).toEqual([['dns', '?', 'ghost', '-', '-', '0/1 held', 'FAIL']]);
  });

  it('explains every failure and ends with the summary alone on the last line', () => {
    expect(failureLines(report)).toEqual([
      'FAIL dns / s1 / two: not passed 20.0 s after its step',
      'FAIL dns / s1 / near-miss "typo": three passed, but this near-miss must not pass it',
    ]);
    const lines = formatReport(report).split('\n');
    expect(lines.at(-1)).toBe('6 passed, 2 failed');
    expect(lines.at(-2)).toBe('');
    expect(lines[0]).toMatch(/^lesson\s+step\s+checkpoint\s+before\s+after\s+near-misses\s+result$/);
  });

  it('reports a lesson that does not load', () => {
    const r: RunReport = { checkpoints: [], nearMisses: [], lessonChecks: [{ lessonId: '03-host', what: 'loads', ok: false, problem: '03-host/lesson.yaml:2: order: bad' }] };
    expect(failureLines(r)).toEqual(['FAIL 03-host (loads): 03-host/lesson.yaml:2: order: bad']);
    expect(summaryLine(r)).toBe('0 passed, 1 failed');
  });
});
