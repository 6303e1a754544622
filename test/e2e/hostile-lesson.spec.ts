// A booby-trapped lesson (raw HTML, <script>, event handlers, javascript: and
// data: links, in the text, the front matter, titles and hints) renders inert:
// no script ever runs in the renderer, and the lesson still works. Both targets.
import { resolve } from 'node:path';
import { expect, test } from '../support/app-target';

test('no script from a hostile lesson runs, and it still renders', async ({ launchApp }) => {
  const app = await launchApp({ lessons: resolve(__dirname, '../fixtures/courses/hostile') });
  const { page } = app;
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await app.open();
    const card = page.locator('[data-testid="lesson-card"][data-lesson-id="booby-trap"]');
    await expect(card).toBeVisible();
    await card.click();
    await expect(page.locator('[data-testid="checkpoint"][data-checkpoint-id="saw-hello"]')).toBeVisible();
    // The hostile text is shown as text or dropped, never run.
    await expect(page.getByText('deep quote')).toBeVisible();
    await page.getByTestId('show-hint').click();
    for (const name of ['click me', 'data']) {
      const link = page.getByText(name, { exact: true });
      if (await link.count()) {
        const href = await link.first().getAttribute('href');
        expect(href ?? '').not.toMatch(/^(javascript|data):/i);
        await link.first().click({ noWaitAfter: true }).catch(() => undefined);
      }
    }
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await page.locator('iframe, [onerror], [onload], [onclick], [ontoggle]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  } finally {
    await app.stop();
  }
});
