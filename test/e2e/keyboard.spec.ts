// Keyboard alone, against the real Docker engine, on both targets: from Home
// into a lesson, step forward and back, run a code block into the host shell,
// switch terminal tabs, search the terminal, leave it and open the shortcut
// list. No mouse click anywhere. Plus: lesson code blocks are highlighted.
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/app-target';

// The first lesson's first command is `docker network ls`: it creates nothing.
const LESSON = 'default-networks';
const HOST_VIEW = 'netlab-docker-host';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

function containerExists(name: string): boolean {
  return docker('ps', '-a', '--format', '{{.Names}}').split('\n').includes(name);
}

/** Presses Tab until the focused element matches the selector. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const hostTerminal = (page: Page) => page.locator('[data-testid="terminal"][data-terminal="host"]');
const tab = (page: Page, name: string) => page.locator(`[data-testid="terminal-tab"][data-terminal="${name}"]`);

// Each test launches the app afresh, with a fresh data directory, so the lesson starts at its first step.
let hostViewBefore = false;

test.beforeAll(() => {
  hostViewBefore = containerExists(HOST_VIEW);
});

test.afterAll(() => {
  // The Docker host view is the only thing these tests make Docker create.
  if (!hostViewBefore && containerExists(HOST_VIEW)) docker('rm', '-f', HOST_VIEW);
});

test('a lesson can be worked through with the keyboard alone', async ({ launchApp }, testInfo) => {
  const app = await launchApp();
  const { page } = app;
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // The DOM renderer keeps terminal text readable by the test (WebGL draws on a canvas).
  await app.open({ query: 'renderer=dom' });

  // Home → lesson: Tab to the card, Enter opens it.
  await tabTo(page, `[data-testid="lesson-card"][data-lesson-id="${LESSON}"]`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lesson-view')).toHaveAttribute('data-lesson-id', LESSON);
  await expect(hostTerminal(page).locator('.xterm-rows')).toContainText(/[$#]/);
  const step = page.getByTestId('step');
  await expect(step).toHaveAttribute('data-step-id', 'list-networks');

  // Next and previous step; Alt+← must not act as the browser's Back.
  await page.keyboard.press('Alt+ArrowRight');
  await expect(step).toHaveAttribute('data-step-id', 'inspect-networks');
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(step).toHaveAttribute('data-step-id', 'list-networks');
  await expect(page.getByTestId('lesson-view')).toBeVisible();

  // Tab to the step's first runnable block and run it with Ctrl+Enter.
  await tabTo(page, '[data-testid="step"] .code-block.runnable pre');
  await expect(page.locator(':focus')).toHaveText('docker network ls');
  await page.keyboard.press('Control+Enter');
  // Its output lands in the host shell, which takes focus, and the checkpoint sees it.
  await expect(hostTerminal(page).locator('.xterm-rows')).toContainText(/bridge\s+bridge\s+local/);
  await expect(hostTerminal(page).locator('textarea')).toBeFocused();
  await expect(page.locator('[data-testid="checkpoint"][data-checkpoint-id="networks-listed"]')).toHaveAttribute('data-status', 'passed');

  // A second terminal tab (the Docker host view), opened from the tab strip with the keyboard.
  await page.keyboard.press('F6');
  await expect(page.locator('[data-testid="step-link"][aria-current="step"]')).toBeFocused();
  await tabTo(page, '[data-testid="open-docker-host"]');
  await page.keyboard.press('Enter');
  await expect(tab(page, 'docker-host')).toHaveAttribute('aria-selected', 'true');

  // Alt+1 / Alt+2 switch tabs and focus the terminal shown.
  await page.keyboard.press('Alt+1');
  await expect(tab(page, 'host')).toHaveAttribute('aria-selected', 'true');
  await expect(hostTerminal(page).locator('textarea')).toBeFocused();
  await page.keyboard.press('Alt+2');
  await expect(tab(page, 'docker-host')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid="terminal"][data-terminal="docker-host"] textarea')).toBeFocused();
  await page.keyboard.press('Alt+1');
  await expect(tab(page, 'host')).toHaveAttribute('aria-selected', 'true');

  // Search the host terminal's buffer: Ctrl+Shift+F from inside the terminal.
  await page.keyboard.press('Control+Shift+F');
  const search = hostTerminal(page).locator('xpath=..').getByTestId('terminal-search');
  await expect(search).toBeFocused();
  await page.keyboard.type('bridge');
  const count = page.getByTestId('terminal-search-count');
  await expect(count).toHaveText(/^\d+ of \d+$/);
  const total = Number((await count.textContent())?.split(' of ')[1]);
  // `docker network ls` printed bridge twice on one row at least.
  expect(total).toBeGreaterThanOrEqual(2);
  const first = await count.textContent();
  await page.screenshot({ path: testInfo.outputPath('terminal-search.png') });
  // Enter moves to the next match. The search addon highlights again when late output lands (a
  // prompt redraw), which puts it back on the first match: press again until it moves (it never
  // does if Enter is not bound, and the poll fails).
  await expect
    .poll(async () => {
      await page.keyboard.press('Enter');
      return count.textContent();
    })
    .not.toBe(first);
  await page.keyboard.type('-no-such-text');
  await expect(count).toHaveText('No results');
  // Escape closes the search and gives the terminal its focus back.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('terminal-search')).toHaveCount(0);
  await expect(hostTerminal(page).locator('textarea')).toBeFocused();

  // The shortcut list: ? outside the terminal opens it, Escape closes it.
  await page.keyboard.press('F6');
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Ctrl');
  await page.screenshot({ path: testInfo.outputPath('shortcut-help.png') });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // Focus went back where it was; the step keys work again.
  await page.keyboard.press('Alt+ArrowRight');
  await expect(step).toHaveAttribute('data-step-id', 'inspect-networks');
  expect(pageErrors).toEqual([]);
});

test('lesson code blocks are highlighted, output samples are not', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  await app.open({ query: 'renderer=dom', route: `#/lesson/${LESSON}` });
  const step = page.getByTestId('step');
  await expect(step).toHaveAttribute('data-step-id', 'list-networks');
  // `docker network ls`: highlight.js marks `ls` as a built-in; the text is unchanged.
  const block = step.locator('.code-block.runnable pre code').first();
  await expect(block).toHaveText('docker network ls');
  await expect(block.locator('span.hljs-built_in')).toHaveText('ls');
  // The sanitizer keeps only hljs-* classes and no other attribute on the spans.
  const spans = page.locator('.markdown pre code span');
  expect(await spans.count()).toBeGreaterThan(0);
  const attrs = await spans.evaluateAll((els) => els.flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`)));
  for (const attr of attrs) expect(attr).toMatch(/^class=hljs-[a-z_-]+( hljs-[a-z_-]+)*$/);
  // Output samples stay plain text, and only runnable blocks take focus.
  await expect(step.locator('pre code.language-text')).not.toHaveCount(0);
  await expect(page.locator('.markdown pre code.language-text span, .markdown pre code.language-output span')).toHaveCount(0);
  await expect(page.locator('.markdown .code-block:not(.runnable) pre[tabindex]')).toHaveCount(0);
});
