// A lesson's screen whose files are aborted on the way (Chromium drops a page's
// requests when the machine's addresses change, which Docker does whenever it
// adds a bridge or a veth: ERR_NETWORK_CHANGED) reloads the page once and opens.
import { expect, test } from '@playwright/test';
import { startServe } from '../support/serve';

test('a lesson screen whose files were aborted once opens after one reload', async ({ page }) => {
  const serve = await startServe();
  try {
    let aborted = 0;
    await page.route(/\/assets\/LessonView-[^/]+\.css$/, async (route) => {
      if (aborted++ === 0) await route.abort('internetdisconnected');
      else await route.continue();
    });
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(await serve.launchUrl());
    await page.getByTestId('lesson-card').first().click();
    await expect(page.getByTestId('lesson-view')).toBeVisible();
    expect(aborted).toBeGreaterThanOrEqual(2);
    expect(loads).toBe(2);
    await expect(page.getByText('Something went wrong')).toHaveCount(0);
  } finally {
    await serve.stop();
  }
});
