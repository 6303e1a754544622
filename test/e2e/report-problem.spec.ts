// "Report a problem" in browser mode: the Home page's button writes the report
// into the server's data dir, shows where, and offers the same text as a
// download; the page's session credential and launch codes never appear in
// it. The favicon is served too.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parseLaunchFragment } from '../../electron/api/launch-link';
import { startServe } from '../support/serve';

test('writes a report, shows its path and downloads it, without the credential or a launch code', async ({ page }) => {
  const serve = await startServe();
  try {
    const launchUrl = await serve.launchUrl();
    const pageCode = parseLaunchFragment(new URL(launchUrl).hash).code ?? '';
    expect(pageCode).not.toBe('');
    await page.goto(launchUrl);
    await page.locator('[data-testid="report-problem-button"]').click();
    const result = page.locator('[data-testid="report-problem-result"]');
    await expect(result).toContainText(join(serve.dataDir, 'reports', 'netlab-report-'));
    const file = /(\/\S+\.txt)/.exec((await result.textContent()) ?? '')?.[1] ?? '';
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).toContain('NetLab problem report');
    expect(onDisk).toContain('(browser mode)');
    expect(onDisk).toMatch(/Docker engine: {2}\d+\.\d+/);
    expect(onDisk).toContain('"msg":"serving"');
    for (const secret of [serve.token, serve.printedCode, pageCode]) expect(onDisk).not.toContain(secret);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="report-problem-download"]').click()]);
    expect(download.suggestedFilename()).toBe(file.split('/').pop());
    const downloaded = await readFile((await download.path()) ?? '', 'utf8');
    expect(downloaded).toBe(onDisk);

    // The favicon the page links to is the app icon, a PNG.
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    const icon = await page.request.get(new URL(href ?? '', page.url()).toString());
    expect(icon.status()).toBe(200);
    expect((await icon.body()).subarray(1, 4).toString('ascii')).toBe('PNG');
  } finally {
    await serve.stop();
  }
});
