// Accessibility, in browser mode against the real Docker engine. axe-core
// audits every screen and dialog (Home, a lesson with terminals, the map and
// checkpoints in every state, Settings, the shortcut help, the consent dialog
// of an instructor's lesson, the name-conflict question, report-a-problem, the
// map's menu and details, the terminal search) in both languages and both
// themes, and finds no WCAG 2.1 A or AA violation.
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { clearLessonNames, docker, typeInHostShell, waitForHostPrompt } from '../support/lab';
import { startServe, type ServeHandle } from '../support/serve';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCALES = ['en', 'zh-CN'] as const;
const THEMES = ['light', 'dark'] as const;
const DNS_DIR = resolve(__dirname, '../../lessons/07-dns');
/** The container lesson 08 (joined) needs: a learner's own one raises the name-conflict question. */
const CONFLICT_NAME = 'web1';

let dns: LoadedLesson;

interface Finding {
  where: string;
  rule: string;
  nodes: string[];
}

/** Runs axe on the page as it is now; every violation is kept with where it was found. */
async function audit(page: Page, where: string, findings: Finding[]): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  for (const v of result.violations) {
    // A violation already found on an earlier screen is reported once, where it was first seen.
    const nodes = v.nodes
      .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`)
      .filter((node) => !findings.some((f) => f.rule.startsWith(`${v.id}:`) && f.nodes.includes(node)));
    if (nodes.length) findings.push({ where, rule: `${v.id}: ${v.help}`, nodes });
  }
}

/** In-app navigation (the page keeps its session). */
async function go(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => (location.hash = r), route);
}

function web1Id(): string {
  return docker('ps', '-aq', '--no-trunc', '--filter', `name=^/${CONFLICT_NAME}$`);
}

test.beforeAll(async () => {
  const loaded = await parseLesson(DNS_DIR, 'builtin');
  if (!loaded.lesson) throw new Error(`the DNS lesson does not load: ${JSON.stringify(loaded.problems)}`);
  dns = loaded.lesson;
  clearLessonNames(dns);
});
test.afterAll(() => clearLessonNames(dns));

for (const locale of LOCALES) {
  for (const theme of THEMES) {
    test(`no WCAG 2.1 A/AA violation on any screen or dialog (${locale}, ${theme})`, async ({ page }) => {
      test.setTimeout(240_000);
      const findings: Finding[] = [];
      // The learner's own web1, unless one is there already (then it is left as it is).
      const mine = web1Id() ? undefined : docker('run', '-d', '--name', CONFLICT_NAME, '--label', 'netlab-e2e=a11y', 'busybox', 'sleep', '600');
      const course = join(await mkdtemp(join(tmpdir(), 'netlab-a11y-course-')), 'course');
      await cp(resolve(__dirname, '../fixtures/courses/probe-course'), course, { recursive: true });
      let serve: ServeHandle | undefined;
      try {
        serve = await startServe({ args: ['--lessons', course] });
        await page.addInitScript(
          ([l, th]) => {
            localStorage.setItem('netlab.locale', l);
            localStorage.setItem('netlab.theme', th);
          },
          [locale, theme] as const,
        );
        await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);

        // Home, with the workshop tools open and a problem report written.
        await expect(page.getByTestId('lesson-card').first()).toBeVisible();
        await expect(page.getByTestId('engine-ok')).toBeVisible();
        await audit(page, 'home', findings);
        await page.locator('[data-testid="workshop-tools"] summary').click();
        await page.getByTestId('report-problem-button').click();
        await expect(page.getByTestId('report-problem-result')).toBeVisible();
        await audit(page, 'home: workshop tools, problem report', findings);

        // Settings, and its reset confirmation.
        await page.getByTestId('settings-link').click();
        await expect(page.getByTestId('data-dir-current')).toBeVisible();
        await audit(page, 'settings', findings);
        await page.getByTestId('reset-progress').click();
        await audit(page, 'settings: reset confirmation', findings);

        // The DNS lesson with terminals, the map and checkpoints passed, failed and pending.
        await go(page, '#/lesson/dns');
        await waitForHostPrompt(page);
        await typeInHostShell(page, 'docker network create custom_network');
        await typeInHostShell(page, 'docker run -di --name custom_bbox02 busybox');
        await expect(page.locator('[data-testid="checkpoint"][data-status="passed"]').first()).toBeVisible();
        await expect(page.locator('[data-testid="checkpoint"][data-status="failed"]').first()).toBeVisible();
        await expect(page.locator('[data-testid="network-map"] [data-node="container:custom_bbox02"]')).toBeVisible();
        await audit(page, 'lesson', findings);

        await page.getByTestId('terminal-search-open').click();
        await page.keyboard.type('docker');
        await audit(page, 'lesson: terminal search', findings);
        await page.keyboard.press('Escape');

        const box = page.locator('[data-testid="network-map"] [data-node="container:custom_bbox02"]');
        await box.focus();
        await page.keyboard.press('Enter');
        await expect(page.getByTestId('map-menu')).toBeVisible();
        await audit(page, 'lesson: map menu', findings);
        await page.getByTestId('map-network-details').click();
        await expect(page.getByTestId('map-details-json')).toBeVisible();
        await audit(page, 'lesson: map details', findings);
        await page.getByTestId('map-details-close').click();

        await page.getByTestId('step-next').click();
        await page.getByTestId('show-hint').click();
        await page.getByTestId('show-solution').click();
        await audit(page, 'lesson: hint, solution confirmation', findings);
        await page.getByTestId('show-solution-confirm').click();
        await expect(page.getByTestId('solution')).toBeVisible();
        await page.getByTestId('reset-lab').click();
        await audit(page, 'lesson: solution, reset confirmation', findings);
        await page.getByTestId('reset-lab-confirm').click();
        await expect(page.getByTestId('reset-summary')).toBeVisible();
        await audit(page, 'lesson: reset summary', findings);

        await page.getByTestId('shortcuts-open').click();
        await expect(page.getByTestId('shortcut-help')).toBeVisible();
        await audit(page, 'shortcut help', findings);
        await page.getByTestId('shortcut-help-close').click();

        // The consent dialog of an instructor's lesson.
        await go(page, '#/lesson/probe-consent');
        await page.getByTestId('review-consent').click();
        await expect(page.getByTestId('consent-dialog')).toBeVisible();
        await audit(page, 'consent dialog', findings);
        await page.getByTestId('consent-cancel').click();

        // The name-conflict question, and its confirmation step.
        await go(page, '#/lesson/joined');
        await expect(page.locator(`[data-testid="name-conflict"][data-name="${CONFLICT_NAME}"]`)).toBeVisible();
        await audit(page, 'name conflict', findings);
        await page.getByTestId('conflict-remove').click();
        await expect(page.getByTestId('conflict-remove-confirm')).toBeVisible();
        await audit(page, 'name conflict: confirmation', findings);

        expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
      } finally {
        await serve?.stop();
        if (mine && web1Id() === mine) docker('rm', '-f', mine);
        clearLessonNames(dns);
      }
    });
  }
}
