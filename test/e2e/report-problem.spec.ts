// "Report a problem": the Home page's button writes the report into the
// app's data dir and shows where; the page's secrets (browser mode's session
// credential and launch codes) never appear in it. Both targets. Browser mode
// also offers the same text as a download, and serves the favicon.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../support/app-target';
import type { Page } from '@playwright/test';

/** Writes the report from Home and reads it from the disk. */
async function writeReport(page: Page, dataDir: string): Promise<{ file: string; onDisk: string }> {
  await page.locator('[data-testid="report-problem-button"]').click();
  const result = page.locator('[data-testid="report-problem-result"]');
  await expect(result).toContainText(join(dataDir, 'reports', 'netlab-report-'));
  const file = /(\S+netlab-report-\S+\.txt)/.exec((await result.textContent()) ?? '')?.[1] ?? '';
  return { file, onDisk: await readFile(file, 'utf8') };
}

test('writes a report and shows its path, without the credential or a launch code', async ({ launchApp }) => {
  const app = await launchApp();
  await app.open();
  const { onDisk } = await writeReport(app.page, app.dataDir);
  expect(onDisk).toContain('NetLab problem report');
  expect(onDisk).toContain(app.target === 'browser' ? '(browser mode)' : '(desktop app)');
  expect(onDisk).toMatch(/Docker engine: {2}\d+\.\d+/);
  // The log's tail: this run's start line (browser mode also logs where it serves).
  expect(onDisk).toContain('"msg":"netlab starting"');
  if (app.target === 'browser') expect(onDisk).toContain('"msg":"serving"');
  const secrets = app.secrets();
  if (app.target === 'browser') expect(secrets.length).toBeGreaterThanOrEqual(3);
  for (const secret of secrets) expect(onDisk).not.toContain(secret);
});

test('browser mode: the report downloads as the same text, and the favicon is served', async ({ launchApp, target }) => {
  test.skip(target !== 'browser', 'a download link and an HTTP favicon exist in browser mode only (the desktop app shows the file)');
  const app = await launchApp();
  const { page } = app;
  await app.open();
  const { file, onDisk } = await writeReport(page, app.dataDir);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="report-problem-download"]').click()]);
  expect(download.suggestedFilename()).toBe(file.split('/').pop());
  const downloaded = await readFile((await download.path()) ?? '', 'utf8');
  expect(downloaded).toBe(onDisk);

  // The favicon the page links to is the app icon, a PNG.
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await page.request.get(new URL(href ?? '', page.url()).toString());
  expect(icon.status()).toBe(200);
  expect((await icon.body()).subarray(1, 4).toString('ascii')).toBe('PNG');
});
