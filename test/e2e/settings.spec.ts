// Settings, on both targets: theme and language switch live (screens.spec.ts
// takes the screenshots of every screen), an instructor's folder is
// validated with file:line errors, its commands wait for consent, the
// exported progress holds a checkpoint after it passed, and the host shell
// chosen runs in the next host terminal.
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/app-target';
import { typeInHostShell } from '../support/lab';

const SHOTS = resolve(__dirname, '../../test-results/screenshots');
const COURSE = resolve(__dirname, '../fixtures/courses/instructor-course');
const BROKEN = resolve(__dirname, '../fixtures/courses/broken-course');

const hostTerminal = (page: Page) => page.locator('[data-testid="terminal"][data-terminal="host"]');

async function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

async function downloadJson(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('theme and language switch from Settings, on every screen', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await app.open();
    await expect(page.getByTestId('lesson-card').first()).toBeVisible();
    const backgrounds = new Set<string>();
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        await page.getByTestId('settings-link').click();
        await expect(page.getByTestId('settings')).toBeVisible();
        await page.getByTestId('settings-locale').selectOption(locale);
        await page.getByTestId(`theme-${theme}`).check();
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await expect(page.getByTestId('settings-link')).toHaveText(locale === 'en' ? 'Settings' : '设置');
        await expect(page.getByTestId('data-dir-current')).toContainText(app.dataDir);
        backgrounds.add(`${theme}:${await background(page)}`);

        await page.locator('.brand').click();
        await expect(page.getByTestId('lesson-card').first()).toBeVisible();
        await expect(page.locator('h1').first()).toHaveText(locale === 'en' ? 'Lessons' : '课程');
      }
    }
    // The two themes really differ, and each looks the same in both languages.
    const light = [...backgrounds].filter((b) => b.startsWith('light:'));
    const dark = [...backgrounds].filter((b) => b.startsWith('dark:'));
    expect(light).toHaveLength(1);
    expect(dark).toHaveLength(1);
    expect(light[0]?.slice(6)).not.toBe(dark[0]?.slice(5));

    // The choice survives a reload; "follow the system" follows Chromium's emulated scheme live.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('settings-link').click();
    await page.getByTestId('theme-system').check();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  } finally {
    await app.stop();
  }
});

test('an instructor folder: file:line errors, consent before its commands, progress export', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await app.open({ query: 'renderer=dom', route: '#/settings' });
    await expect(page.getByTestId('settings')).toBeVisible();

    // A broken folder is refused with the lint's file:line.
    await page.getByTestId('lesson-folder-input').fill(BROKEN);
    await page.getByTestId('lesson-folder-add').click();
    await expect(page.getByTestId('lesson-folder-problems')).toContainText(/bad-lesson[\\/]lesson\.yaml:12/);
    await expect(page.getByTestId('lesson-folder-problems')).toContainText('unknown condition kind');

    await page.getByTestId('lesson-folder-input').fill(COURSE);
    await page.getByTestId('lesson-folder-add').click();
    await expect(page.getByTestId('lesson-folder-added')).toBeVisible();
    await expect(page.getByTestId('lesson-folder')).toContainText(COURSE);

    // Listed beside the built-in course, marked as extra.
    await page.locator('.brand').click();
    const card = page.locator('[data-testid="lesson-card"][data-lesson-id="instructor-quiz"]');
    await expect(card).toBeVisible();
    await expect(page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]')).toBeVisible();
    await card.click();
    await expect(hostTerminal(page).locator('.xterm-rows')).toContainText(/[$#]/);

    // Run: the command is shown first; Cancel runs nothing.
    // (The page's dialog in browser mode, the app's own message box in the desktop app.)
    await page.getByTestId('run-in-terminal').first().click();
    await mkdir(SHOTS, { recursive: true });
    const asked = await app.answerConsent(false, { screenshot: resolve(SHOTS, 'consent-dialog-en-light.png') });
    expect(asked).toContain('echo netlab-consent-ran');
    expect(asked).toContain(COURSE);
    await expect(hostTerminal(page).locator('.xterm-rows')).not.toContainText('netlab-consent-ran');

    // Allow runs it, and the folder is not asked about again.
    await page.getByTestId('run-in-terminal').first().click();
    await app.answerConsent(true);
    await expect(hostTerminal(page).locator('.xterm-rows')).toContainText(/netlab-consent-ran[\s\S]*netlab-consent-ran/);
    await page.getByTestId('do-it-for-me').first().click();
    await page.getByTestId('show-solution-confirm').click();
    await expect(page.getByTestId('do-it-status')).toHaveAttribute('data-outcome', 'done');
    await app.expectNoConsentQuestion();

    // A checkpoint passes (the quiz), and the export holds it with its time.
    await page.locator('[data-testid="quiz"][data-quiz-id="bridge-quiz"] [data-testid="quiz-choice"]').nth(1).click();
    await expect(page.getByTestId('quiz-answered')).toBeVisible();

    await page.getByTestId('settings-link').click();
    const exported = await downloadJson(page, 'export-progress-json');
    expect(exported.name).toMatch(/^netlab-progress-\d{4}-\d\d-\d\d\.json$/);
    const data = JSON.parse(exported.text);
    expect(data.format).toBe('netlab-progress');
    const lesson = data.lessons.find((l: { id: string }) => l.id === 'instructor-quiz');
    expect(lesson).toMatchObject({ source: 'extra', passed: 1, total: 1, complete: true });
    expect(lesson.checkpoints).toEqual([
      expect.objectContaining({ id: 'bridge-quiz', kind: 'quiz', passedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);

    const report = await downloadJson(page, 'export-progress-report');
    expect(report.name).toMatch(/\.html$/);
    expect(report.text).toContain('Instructor quiz (test fixture)');
    expect(report.text).not.toMatch(/<script/i);

    // Reset asks first, then empties the progress.
    await page.getByTestId('reset-progress').click();
    await page.getByTestId('reset-progress-confirm').click();
    await expect(page.getByTestId('reset-progress-done')).toBeVisible();
    const after = JSON.parse((await downloadJson(page, 'export-progress-json')).text);
    expect(after.lessons.find((l: { id: string }) => l.id === 'instructor-quiz').passed).toBe(0);
  } finally {
    await app.stop();
  }
});

test('the host shell chosen in Settings runs in the next host terminal; a path that cannot run is refused', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await app.open({ query: 'renderer=dom', route: '#/settings' });
    await expect(page.getByTestId('shell-current')).toContainText('/bin/bash');
    const select = page.getByTestId('shell-select');
    await expect(select.locator('option').first()).toHaveText('Login shell (default): /bin/bash');

    await select.selectOption('other');
    await page.getByTestId('shell-path').fill('/etc');
    await page.getByTestId('shell-save').click();
    await expect(page.getByTestId('shell-message')).toContainText('/etc is not a file');

    const fish = await select.locator('option', { hasText: /\/fish$/ }).first().getAttribute('value');
    expect(fish).toMatch(/\/fish$/);
    await select.selectOption(fish ?? '');
    await page.getByTestId('shell-save').click();
    await expect(page.getByTestId('shell-message')).toHaveText('Saved. The host terminals opened from now on run it.');
    await expect(page.getByTestId('shell-current')).toContainText(`In use now: ${fish}`);
    // A plain shell says what NetLab still sees in it.
    await expect(select.locator('option', { hasText: /\/dash \(docker commands only\)$|\/sh \(docker commands only\)$/ }).first()).toBeAttached();

    // No restart: the lesson's host terminal, opened now, runs fish.
    await page.locator('.brand').click();
    await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
    const rows = hostTerminal(page).locator('.xterm-rows');
    await expect(rows).toContainText(/[#>]/);
    await typeInHostShell(page, 'echo shell-is-fish-$FISH_VERSION');
    await expect(rows).toContainText(/shell-is-fish-\d+\.\d+/);

    // Back to the login shell.
    await page.getByTestId('settings-link').click();
    await page.getByTestId('shell-select').selectOption('login');
    await page.getByTestId('shell-save').click();
    await expect(page.getByTestId('shell-current')).toContainText('In use now: /bin/bash');
  } finally {
    await app.stop();
  }
});
