// A stuck engine in browser mode: the services talk to Docker through a proxy
// that stalls. Opening a lesson shows a "still working" line saying what it
// waits for, the page stays usable, the open fails with a clear timeout message,
// and Retry works once the engine answers again.
import { expect, test } from '@playwright/test';
import { startServe } from '../support/serve';
import { startSlowDockerProxy } from '../support/slow-docker-proxy';

test('a stalled engine: progress while waiting, a clear timeout, then Retry works', async ({ page }) => {
  const proxy = await startSlowDockerProxy();
  const serve = await startServe({ env: { DOCKER_HOST: proxy.dockerHost, NETLAB_ENGINE_TIMEOUT_MS: '5000', NETLAB_SLOW_AFTER_MS: '300' } });
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
    await expect(page.locator('[data-testid="lesson-card"][data-lesson-id="joined"]')).toBeVisible();
    proxy.stall();
    await page.locator('[data-testid="lesson-card"][data-lesson-id="joined"]').click();

    const progress = page.locator('[data-testid="operation-progress"] [data-op="lab.open"]');
    await expect(progress).toContainText(`waiting for the Docker engine at ${proxy.dockerHost} while opening the lab`);
    // The page is not frozen: the language switches while the engine is silent.
    await page.locator('[data-testid="locale-switch"]').selectOption('zh-CN');
    await expect(progress).toContainText('打开实验');
    await page.locator('[data-testid="locale-switch"]').selectOption('en');

    const error = page.locator('[data-testid="lab-error"]');
    await expect(error).toContainText(`The Docker engine at ${proxy.dockerHost} did not answer within 5 s while opening the lab`);
    await expect(progress).toBeHidden();

    proxy.resume();
    await error.getByRole('button').click();
    await expect(error).toBeHidden();
    await expect(page.locator('[data-testid="reset-lab"]')).toBeEnabled();
  } finally {
    await serve.stop();
    await proxy.close();
  }
});
