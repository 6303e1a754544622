// The terminal's renderer: WebGL on a GPU, the DOM renderer where WebGL runs in
// software (this machine's Chromium has SwiftShader only), and a forced choice
// with ?renderer=webgl|dom. Both paths draw a working shell.
import { expect, test, type Page } from '@playwright/test';
import { startServe, type ServeHandle } from '../support/serve';

const HOST = '[data-testid="terminal"][data-terminal="host"]';

async function openLesson(page: Page, serve: ServeHandle, query: string): Promise<void> {
  await page.goto(`${serve.url}${query}`);
  await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
  await expect(page.locator(HOST)).toHaveAttribute('data-phase', 'running');
}

test('software WebGL keeps the DOM renderer; ?renderer=webgl forces WebGL', async ({ page }) => {
  const serve = await startServe();
  try {
    const gl = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('webgl2');
      const info = ctx?.getExtension('WEBGL_debug_renderer_info');
      return ctx && info ? String(ctx.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    });
    test.skip(!/swiftshader|llvmpipe/i.test(gl), `this check needs a software GL renderer (got "${gl}")`);

    await openLesson(page, serve, '');
    await expect(page.locator(`${HOST} .xterm-rows`)).toContainText(/[$#]/);
    await expect(page.locator(`${HOST} canvas`)).toHaveCount(0);

    await openLesson(page, serve, '&renderer=webgl');
    await expect(page.locator(`${HOST} canvas`).first()).toBeAttached();
    await expect(page.locator(`${HOST} .xterm-rows`)).toHaveCount(0);
  } finally {
    await serve.stop();
  }
});
