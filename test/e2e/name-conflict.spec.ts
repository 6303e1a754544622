// The learner already has a container named web1, which lesson 08 (joined)
// needs. In browser mode against the real engine: the lesson says so;
// "Continue" (and a reset) leave it alone; "Remove" removes it only after the confirm step.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { startServe, type ServeHandle } from '../support/serve';

const NAME = 'web1';
/** The container this test created, so cleanup never touches another web1. */
let mine: string | undefined;

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** The id of the container named web1, or '' when there is none. */
function web1Id(): string {
  return docker('ps', '-aq', '--no-trunc', '--filter', `name=^/${NAME}$`);
}

function createLearnersWeb1(): string {
  if (web1Id()) throw new Error(`a container named ${NAME} already exists; this test will not touch it`);
  mine = docker('run', '-d', '--name', NAME, '--label', 'netlab-e2e=name-conflict', 'busybox', 'sleep', '600');
  return mine;
}

function removeMine(): void {
  if (mine && web1Id() === mine) docker('rm', '-f', mine);
  mine = undefined;
}

async function openJoined(page: Page, serve: ServeHandle): Promise<void> {
  await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
  await page.locator('[data-testid="lesson-card"][data-lesson-id="joined"]').click();
  await expect(page.locator('[data-testid="lesson-view"]')).toBeVisible();
}

test.afterEach(() => removeMine());

test('"Continue" and a reset leave the learner\'s own web1 alone', async ({ page }) => {
  const id = createLearnersWeb1();
  const serve = await startServe();
  try {
    await openJoined(page, serve);
    const panel = page.locator('[data-testid="name-conflicts"]');
    await expect(panel.locator(`[data-testid="name-conflict"][data-name="${NAME}"]`)).toContainText(id.slice(0, 12));
    await page.locator('[data-testid="conflict-continue"]').click();
    await expect(panel).toBeHidden();
    expect(web1Id()).toBe(id);

    await page.locator('[data-testid="reset-lab"]').click();
    await page.locator('[data-testid="reset-lab-confirm"]').click();
    await expect(page.locator('[data-testid="reset-summary"]')).toBeVisible();
    expect(web1Id()).toBe(id);
  } finally {
    await serve.stop();
  }
});

test('"Remove" asks first, then removes exactly that container', async ({ page }) => {
  const id = createLearnersWeb1();
  const serve = await startServe();
  try {
    await openJoined(page, serve);
    const panel = page.locator('[data-testid="name-conflicts"]');
    await expect(panel.locator(`[data-testid="name-conflict"][data-name="${NAME}"]`)).toBeVisible();
    await page.locator('[data-testid="conflict-remove"]').click();
    // Nothing is removed before the confirmation.
    await expect(page.locator('[data-testid="conflict-remove-confirm"]')).toBeVisible();
    expect(web1Id()).toBe(id);
    await page.locator('[data-testid="conflict-remove-confirm"]').click();
    await expect.poll(() => web1Id()).toBe('');
    await expect(panel.locator('[data-testid="name-conflict"]')).toHaveCount(0);
    await expect(panel).toContainText(`${NAME} was removed.`);
  } finally {
    await serve.stop();
  }
});

test('a confirmation for a web1 that was replaced meanwhile removes nothing', async ({ page }) => {
  createLearnersWeb1();
  const serve = await startServe();
  try {
    await openJoined(page, serve);
    await page.locator('[data-testid="conflict-remove"]').click();
    await expect(page.locator('[data-testid="conflict-remove-confirm"]')).toBeVisible();
    // Another web1 takes the name between the question and the answer.
    removeMine();
    mine = docker('run', '-d', '--name', NAME, '--label', 'netlab-e2e=name-conflict', 'busybox', 'sleep', '600');
    await page.locator('[data-testid="conflict-remove-confirm"]').click();
    await expect(page.locator('[data-testid="conflict-error"]')).toContainText('Nothing was changed');
    expect(web1Id()).toBe(mine);
  } finally {
    await serve.stop();
  }
});
