import { describe, expect, it } from 'vitest';
import { applyProgress, newLearner, type ClassRecord } from './class-record';
import { classReportHtml, type ClassReportInput } from './class-report-html';
import { Progress } from './protocol';

const T0 = Date.UTC(2026, 11, 7, 10, 0);
const HOSTILE = '<img src=x onerror=alert(1)>';
const p = (cps: object[], extra: Partial<Progress> = {}): Progress =>
  Progress.parse({ type: 'progress', lessonId: 'bridge', stepId: 's2', checkpoints: cps, hintsRevealed: ['h1'], solutionsUsed: [], secondsOnStep: 90, coachHint: null, ...extra });

function input(overrides: Partial<ClassReportInput> = {}): ClassReportInput {
  const ada = applyProgress(newLearner('l-1', 'Ada', 'k', T0), p([{ id: 'ping', status: 'passed' }, { id: 'dns', status: 'failed', reason: 'no DNS <b>yet</b>', failedAttempts: 4 }]), T0);
  const evil = {
    ...applyProgress(newLearner('l-2', `</th><script>alert("x")</script>${HOSTILE}`, 'k', T0), p([{ id: 'ping', status: 'pending' }], { solutionsUsed: ['sol.1'], coachHint: '<svg onload=alert(2)>' }), T0),
    handRaised: true,
  };
  const elsewhere = applyProgress(newLearner('l-3', 'Bo', 'k', T0), { ...p([]), lessonId: 'other' }, T0);
  const gone = { ...newLearner('l-4', 'Gone', 'k', 0), left: true };
  const record: ClassRecord = { className: 'Room "B" & <co>', createdAt: 0, currentLesson: { lessonId: 'bridge', title: 'Bridge' }, learners: [ada, evil, elsewhere, gone] };
  return {
    record,
    lessonId: 'bridge',
    lessonTitle: 'Bridges & <friends>',
    checkpoints: [
      { id: 'ping', title: 'Ping works' },
      { id: 'dns', title: 'Names resolve' },
    ],
    locale: 'en',
    now: T0 + 60_000,
    timeZone: 'UTC',
    ...overrides,
  };
}

describe('classReportHtml', () => {
  it('lists learners still in class × checkpoints with states, reasons, stuck signals, hints and solutions', () => {
    const html = classReportHtml(input());
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toMatch(/<tr data-learner="l-1" class="stuck"><th scope="row">Ada<\/th><td>s2<\/td><td>1\/2<\/td><td class="cp passed" data-checkpoint-id="ping" data-status="passed">✓<\/td><td class="cp failed" data-checkpoint-id="dns" data-status="failed">✗<\/td><td>1<\/td><td>0<\/td><td class="stuck-why">failing Names resolve repeatedly<\/td><\/tr>/);
    expect(html).toContain('Names resolve: no DNS &lt;b&gt;yet&lt;/b&gt; (4 failed checks)');
    expect(html).toContain('Hints revealed: h1');
    expect(html).toContain('Solutions used: sol.1');
    expect(html).toContain('hand raised');
    expect(html).toContain('on another lesson (other)');
    expect(html).toContain('Ping works <span class="meta">(1 of 2 passed)</span>');
    expect(html).toContain('most common failure: no DNS &lt;b&gt;yet&lt;/b&gt; (1)');
    expect(html).toContain('Exported Dec 7, 2026, 10:01 AM · 3 learners');
    expect(html).not.toContain('Gone');
  });

  it('escapes hostile names, reasons, coach hints and class names: no markup of theirs survives', () => {
    const html = classReportHtml(input());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;/th&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Room &quot;B&quot; &amp; &lt;co&gt;');
    expect(html).toContain('Bridges &amp; &lt;friends&gt;');
    // The only tags are the report's own.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['body', 'h1', 'h2', 'head', 'html', 'li', 'meta', 'ol', 'p', 'section', 'span', 'style', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr', 'ul'].sort());
  });

  it('speaks the UI language', () => {
    const html = classReportHtml(input({ locale: 'zh-CN' }));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('NetLab 课堂报告');
    expect(html).toContain('已举手');
    expect(html).toContain('2 人中 1 人通过');
  });

  it('says so when nobody is in the class', () => {
    const base = input();
    const html = classReportHtml({ ...base, record: { ...base.record, learners: [] } });
    expect(html).toContain('No learners in the class.');
  });
});
