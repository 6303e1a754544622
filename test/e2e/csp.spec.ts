// The strict CSP holds on every screen: no style attribute and no <style>
// element without the page's nonce (electron/server/http-server.ts,
// renderer/src/lib/style-nonce.ts). The app runs under it with each terminal
// renderer (DOM, WebGL, and the default choice) through Home, "Report a
// problem", Settings and its confirmations, a lesson with its terminals, the
// terminal search, the network map with a container's menu, details dialog and
// shell, the shortcut list, an instructor folder's consent dialog and the lab
// reset, and the browser reports no CSP violation anywhere.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startServe, type ServeHandle } from '../support/serve';

const COURSE = resolve(__dirname, '../fixtures/courses/instructor-course');
const BOX = 'e2e-csp-box';
const HOST = '[data-testid="terminal"][data-terminal="host"]';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}
function removeBox(): void {
  if (docker('ps', '-a', '--format', '{{.Names}}').split('\n').includes(BOX)) docker('rm', '-f', BOX);
}

let serve: ServeHandle;

test.beforeAll(async () => {
  removeBox();
  docker('run', '-d', '--name', BOX, 'busybox', 'sleep', '600');
  serve = await startServe({ args: ['--lessons', COURSE] });
});
test.afterAll(async () => {
  await serve?.stop();
  removeBox();
});

/** Records every CSP violation the page reports, from its first script on. */
async function watch(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective}: ${e.blockedURI} ${e.sample} at ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.splice(0))), ...console.splice(0)];
}

async function noViolations(violations: () => Promise<string[]>, where: string): Promise<void> {
  expect(await violations(), where).toEqual([]);
}

/** The terminal's own <style> elements took effect: they hold rules (a refused one holds none). */
async function terminalStylesApplied(page: Page): Promise<void> {
  const rules = await page.evaluate((sel) => [...document.querySelectorAll(`${sel} style`)].map((s) => (s as HTMLStyleElement).sheet?.cssRules.length ?? 0), HOST);
  expect(rules.length).toBeGreaterThan(0);
  expect(rules.every((n) => n > 0), `rules per <style>: ${rules.join(',')}`).toBe(true);
}

async function openLesson(page: Page, id: string): Promise<void> {
  await page.locator('.brand').click();
  await page.locator(`[data-testid="lesson-card"][data-lesson-id="${id}"]`).click();
  await expect(page.locator(HOST)).toHaveAttribute('data-phase', 'running');
}

for (const renderer of ['dom', 'webgl', ''] as const) {
  test(`no CSP violation on any screen (${renderer || 'default'} terminal renderer)`, async ({ page }) => {
    const violations = await watch(page);
    const response = await page.goto(await serve.launchUrl(renderer ? { query: `renderer=${renderer}` } : {}));
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("style-src 'self';");
    expect(policy).not.toContain('unsafe-inline');

    await expect(page.locator('[data-testid="lesson-card"]').first()).toBeVisible();
    await page.getByTestId('report-problem-button').click();
    await expect(page.getByTestId('report-problem-result')).toBeVisible();
    await noViolations(violations, 'home');

    await page.getByTestId('settings-link').click();
    await expect(page.getByTestId('settings')).toBeVisible();
    await page.getByTestId('theme-dark').check();
    await page.getByTestId('reset-progress').click();
    await page.getByTestId('reset-progress-confirm').click();
    await expect(page.getByTestId('reset-progress-done')).toBeVisible();
    await page.getByTestId('theme-light').check();
    await noViolations(violations, 'settings');

    await openLesson(page, 'dns');
    if (renderer !== 'webgl') {
      await expect(page.locator(`${HOST} .xterm-rows`)).toContainText(/[$#]/);
      await terminalStylesApplied(page);
    }
    await page.locator(HOST).click();
    await page.keyboard.press('Control+Shift+F');
    await expect(page.getByTestId('terminal-search')).toBeFocused();
    await page.keyboard.press('Escape');
    await page.keyboard.press('F6');
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcut-help')).toBeHidden();
    await noViolations(violations, 'lesson');

    const box = page.getByTestId('network-map').locator(`[data-node="container:${BOX}"]`);
    await expect(box).toBeVisible();
    await box.click();
    await expect(page.getByTestId('map-menu')).toBeVisible();
    await page.getByTestId('map-network-details').click();
    await expect(page.getByTestId('map-details-json')).toContainText('"SandboxKey"');
    await page.getByTestId('map-details-close').click();
    await box.click();
    await page.getByTestId('map-open-shell').click();
    await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${BOX}"]`)).toBeVisible();
    await expect(page.locator(`[data-testid="terminal"][data-terminal="${BOX}"]`)).toHaveAttribute('data-phase', 'running');
    await noViolations(violations, 'network map');

    await page.getByTestId('reset-lab').click();
    await page.getByTestId('reset-lab-confirm').click();
    await expect(page.getByTestId('reset-summary')).toBeVisible();
    await noViolations(violations, 'lab reset');

    await openLesson(page, 'instructor-quiz');
    await page.getByTestId('run-in-terminal').first().click();
    await expect(page.getByTestId('consent-dialog')).toBeVisible();
    await page.getByTestId('consent-cancel').click();
    await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
    await noViolations(violations, 'consent dialog');
  });
}
