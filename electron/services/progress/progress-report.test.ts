import { describe, expect, it } from 'vitest';
import { buildProgressExport, escapeHtml, type ReportInput } from './progress-report';

const l = (en: string, zh = `${en}（中）`): { en: string; 'zh-CN': string } => ({ en, 'zh-CN': zh });

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    locale: 'en',
    exportedAt: '2026-11-25T10:00:00.000Z',
    appVersion: '1.2.3',
    timeZone: 'UTC',
    lessons: [
      {
        id: 'dns',
        title: l('Names <and> "DNS"'),
        source: 'builtin',
        steps: [{ id: 's1', title: l('Create a network') }],
        checkpoints: [
          { id: 'net', title: l('Network exists'), kind: 'lab' },
          { id: 'q1', title: l('Why DNS?'), kind: 'quiz' },
        ],
      },
      { id: 'mine', title: l('<script>alert(1)</script>'), source: 'extra', steps: [], checkpoints: [{ id: 'c', title: l('C'), kind: 'lab' }] },
    ],
    progress: {
      dns: { stepId: 's1', passed: { net: '2026-11-24T09:30:00.000Z' } },
      gone: { passed: { old: '2026-01-01T00:00:00.000Z' } },
    },
    ...overrides,
  };
}

describe('buildProgressExport', () => {
  it('exports every lesson with each checkpoint and when it passed', () => {
    const data = JSON.parse(buildProgressExport(input()).json);
    expect(data).toMatchObject({ format: 'netlab-progress', version: 1, app: { version: '1.2.3' }, exportedAt: '2026-11-25T10:00:00.000Z' });
    expect(data.summary).toEqual({ lessons: 3, lessonsComplete: 0, checkpointsPassed: 2, checkpointsTotal: 4 });
    expect(data.lessons[0]).toEqual({
      id: 'dns',
      title: 'Names <and> "DNS"',
      source: 'builtin',
      currentStep: 'Create a network',
      passed: 1,
      total: 2,
      complete: false,
      checkpoints: [
        { id: 'net', title: 'Network exists', kind: 'lab', passedAt: '2026-11-24T09:30:00.000Z' },
        { id: 'q1', title: 'Why DNS?', kind: 'quiz', passedAt: null },
      ],
    });
    // Progress of a lesson no longer installed is kept, by id.
    expect(data.lessons[2]).toMatchObject({ id: 'gone', checkpoints: [{ id: 'old', passedAt: '2026-01-01T00:00:00.000Z' }] });
  });

  it('marks a lesson complete when every checkpoint passed', () => {
    const data = JSON.parse(buildProgressExport(input({ progress: { mine: { passed: { c: '2026-11-20T00:00:00.000Z' } } } })).json);
    expect(data.lessons[1]).toMatchObject({ id: 'mine', complete: true, passed: 1, total: 1 });
    expect(data.summary.lessonsComplete).toBe(1);
  });

  it('writes a self-contained, printable HTML page with every text escaped', () => {
    const { html, fileBase } = buildProgressExport(input());
    expect(fileBase).toBe('netlab-progress-2026-11-25');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@page');
    expect(html).toContain('Names &lt;and&gt; &quot;DNS&quot;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).toContain('Nov 24, 2026, 9:30');
    expect(html).toContain('not yet');
    expect(html).toContain('extra lesson');
  });

  it('follows the UI locale', () => {
    const { html, json } = buildProgressExport(input({ locale: 'zh-CN' }));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('NetLab 学习进度报告');
    expect(html).toContain('尚未通过');
    expect(html).toContain('Network exists（中）');
    expect(JSON.parse(json).lessons[0].title).toBe('Names <and> "DNS"（中）');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
