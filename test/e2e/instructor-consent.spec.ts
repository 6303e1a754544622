// An instructor's lesson in the real UI: its checks wait for consent and say so;
// the consent dialog lists every command it can type and every check it runs,
// whole and wrapped, with Allow after them all; nothing runs on Cancel; once
// allowed, a Run types the block and the check inside the new container passes.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe } from '../support/serve';
import { docker } from '../support/lab';

const LONG = `echo ${'netlab-a-long-and-harmless-argument '.repeat(8).trim()} ; echo netlab-tail-you-must-see`;

function removeLeftovers(): void {
  const stale = docker('ps', '-a', '--filter', 'name=^itest-pr-', '--format', '{{.Names}}').split('\n').filter(Boolean);
  if (stale.length) docker('rm', '-f', ...stale);
}

test('an instructor lesson asks before its commands and checks run, showing all of them', async ({ page }) => {
  removeLeftovers();
  const course = join(await mkdtemp(join(tmpdir(), 'netlab-consent-course-')), 'course');
  await cp(resolve(__dirname, '../fixtures/courses/probe-course'), course, { recursive: true });
  // A command long enough to hide its tail behind a scroll bar, were it not wrapped.
  for (const file of ['en.md', 'zh-CN.md']) {
    const path = join(course, 'probe-consent', file);
    await writeFile(path, `${await readFile(path, 'utf8')}\n\`\`\`sh\n${LONG}\n\`\`\`\n`);
  }
  const serve = await startServe({ args: ['--lessons', course] });
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom', route: '#/lesson/probe-consent' }));
    const waiting = page.getByTestId('probes-waiting');
    await expect(waiting).toBeVisible();

    // Review: every command once, every probe with its container.
    await page.getByTestId('review-consent').click();
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog).toBeVisible();
    const commands = dialog.getByTestId('consent-commands').locator('li');
    await expect(commands).toHaveCount(3);
    await expect(dialog.getByTestId('consent-commands')).toContainText('docker run -di --name itest-pr-web busybox');
    await expect(dialog.getByTestId('consent-probes')).toContainText('itest-pr-web');
    await expect(dialog.getByTestId('consent-probes')).toContainText('ls /bin/sh');
    // The long command is whole, wrapped, never scrolled sideways; Allow comes after every command.
    const long = commands.filter({ hasText: 'netlab-tail-you-must-see' }).locator('pre');
    await expect(long).toContainText(LONG);
    const { scrollWidth, clientWidth, bottom } = await long.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, bottom: el.getBoundingClientRect().bottom }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    const allowTop = await dialog.getByTestId('consent-allow').evaluate((el) => el.getBoundingClientRect().top);
    expect(allowTop).toBeGreaterThan(bottom);
    await page.getByTestId('consent-cancel').click();
    await expect(dialog).toHaveCount(0);
    await expect(waiting).toBeVisible();

    // A Run asks first; Cancel runs nothing.
    await page.getByTestId('run-in-terminal').first().click();
    await expect(dialog).toBeVisible();
    await page.getByTestId('consent-cancel').click();
    await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText(/[$#]/);
    expect(docker('ps', '-a', '--filter', 'name=^itest-pr-web$', '--format', '{{.Names}}')).toBe('');

    // Allow: the notice goes, the block runs, and the check inside the new container passes.
    await page.getByTestId('run-in-terminal').first().click();
    await page.getByTestId('consent-allow').click();
    await expect(dialog).toHaveCount(0);
    await expect(waiting).toHaveCount(0);
    await expect(page.locator('[data-testid="checkpoint"][data-checkpoint-id="web-probed"]')).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  } finally {
    await serve.stop();
    removeLeftovers();
  }
});
