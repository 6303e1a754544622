// The terminal's renderer: WebGL on a GPU, the DOM renderer where WebGL runs in
// software (CI's Chromium has SwiftShader only), and a forced choice with
// ?renderer=webgl|dom. Every path draws a working shell.
import { expect, test, type Page } from '@playwright/test';
import { isSoftwareRenderer } from '../../renderer/src/lib/terminal-renderer';
import { startServe, type ServeHandle } from '../support/serve';

const HOST = '[data-testid="terminal"][data-terminal="host"]';

async function openLesson(page: Page, serve: ServeHandle, query: string): Promise<void> {
  await page.goto(await serve.launchUrl({ query }));
  await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
  await expect(page.locator(HOST)).toHaveAttribute('data-phase', 'running');
}

async function expectDom(page: Page): Promise<void> {
  await expect(page.locator(`${HOST} .xterm-rows`)).toContainText(/[$#]/);
  await expect(page.locator(`${HOST} canvas`)).toHaveCount(0);
}

async function expectWebgl(page: Page): Promise<void> {
  await expect(page.locator(`${HOST} canvas`).first()).toBeAttached();
  await expect(page.locator(`${HOST} .xterm-rows`)).toHaveCount(0);
}

test('WebGL on a GPU, the DOM renderer on software GL, and ?renderer= forces either', async ({ page }) => {
  const serve = await startServe();
  try {
    const gl = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('webgl2');
      const info = ctx?.getExtension('WEBGL_debug_renderer_info');
      return ctx && info ? String(ctx.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    });
    // Whichever machine runs this, the default must match what its GL is.
    await openLesson(page, serve, '');
    if (gl === '' || isSoftwareRenderer(gl)) await expectDom(page);
    else await expectWebgl(page);

    await openLesson(page, serve, 'renderer=webgl');
    await expectWebgl(page);
    await openLesson(page, serve, 'renderer=dom');
    await expectDom(page);
  } finally {
    await serve.stop();
  }
});
