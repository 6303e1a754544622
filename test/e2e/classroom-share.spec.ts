// The read-only terminal share in browser mode: two `serve` instances (the instructor's and a
// learner's, each with its own data dir) and two pages. No engine is needed (DOCKER_HOST points
// where nobody listens: the lesson's host shell still runs), so it is tagged @no-engine. The learner
// joins, opens a lesson, shares the host terminal (the indicator shows in the class bar and on
// the tab), the instructor opens it from the grid and sees what the learner's shell printed,
// keys typed in the viewer go nowhere, and after one click on Stop the indicator is gone and
// nothing more arrives. Leaving the class with a share on ends it too.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { freePort } from '../support/free-port';
import { typeInHostShell, waitForHostPrompt } from '../support/lab';
import { hostAndJoin } from '../support/classroom';
import { startServe, type ServeHandle } from '../support/serve';

const KINDS = resolve(__dirname, '../fixtures/courses/kinds-course');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NOWHERE = `unix://${join(tmpdir(), `netlab-no-engine-${randomBytes(6).toString('hex')}.sock`)}`;

async function expectNoViolations(page: Page, where: string, exclude?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(WCAG);
  if (exclude) builder = builder.exclude(exclude);
  const result = await builder.analyze();
  expect(result.violations.map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('a learner shares the host terminal read-only, the instructor watches it, and Stop ends it', { tag: '@no-engine' }, async ({ browser }) => {
  const port = await freePort();
  const serves: ServeHandle[] = [];
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const instructor = await startServe({ args: ['--lessons', KINDS], env: { DOCKER_HOST: NOWHERE } });
    serves.push(instructor);
    const learnerServe = await startServe({ args: ['--lessons', KINDS], env: { DOCKER_HOST: NOWHERE } });
    serves.push(learnerServe);
    const teach = await contexts[0]!.newPage();
    const learn = await contexts[1]!.newPage();

    // ---- the instructor hosts; the learner joins with the full code (it carries the pin)
    await hostAndJoin({ page: teach, serve: instructor }, { page: learn, serve: learnerServe, name: 'Ada' }, port);
    const bar = learn.getByTestId('class-bar');
    const row = teach.locator('[data-testid="class-grid"] [role="row"][data-learner-name="Ada"]');
    await expect(row).toHaveAttribute('data-presence', 'connected');
    await expect(row.getByTestId('view-share')).toHaveCount(0);

    // ---- the learner opens a lesson: its host terminal can be shared
    await learn.evaluate(() => (location.hash = '#/lesson/engine-kinds'));
    await waitForHostPrompt(learn);
    await expect(bar).toHaveAttribute('data-state', 'joined');
    // Output from before the share never leaves.
    await typeInHostShell(learn, 'echo BEFORE-SHARE-$((6*7))');
    await expect(learn.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText('BEFORE-SHARE-42');
    await expect(bar.getByTestId('share-indicator')).toHaveCount(0);
    await bar.getByTestId('share-open').click();
    await expect(bar.getByTestId('share-terminal')).toHaveValue(/^host-/);
    await expectNoViolations(learn, 'class bar: share picker', '[data-testid="terminal"]');
    await bar.getByTestId('share-start').click();
    await expect(bar.getByTestId('share-indicator')).toBeVisible();
    await expect(bar.getByTestId('share-indicator')).toContainText('read-only');
    const hostTab = learn.locator('.tab', { has: learn.locator('[data-testid="terminal-tab"][data-terminal="host"]') });
    await expect(hostTab.getByTestId('share-indicator')).toBeVisible();
    await expectNoViolations(learn, 'class bar: sharing', '[data-testid="terminal"]');

    // ---- the dashboard marks the row; the instructor opens the viewer
    await expect(row.getByTestId('learner-sharing')).toBeVisible();
    await row.getByTestId('view-share').click();
    const viewer = teach.getByTestId('share-viewer');
    await expect(viewer).toBeVisible();
    await expect(viewer).toHaveAttribute('data-learner', /^l-/);
    await typeInHostShell(learn, 'echo SHARED-$((6*7))-LINE');
    // The computed text: the shell's output, not only the echoed keys.
    const screen = viewer.locator('.xterm-rows');
    await expect(screen).toContainText('SHARED-42-LINE');
    await expect(screen).not.toContainText('BEFORE-SHARE-42');
    // Keys typed in the viewer reach nothing: the learner's terminal shows no such text.
    await viewer.locator('.xterm').click();
    await teach.keyboard.type('INSTRUCTOR-KEYS');
    await teach.keyboard.press('Enter');
    await typeInHostShell(learn, 'echo AFTER-KEYS-$((6*7))');
    await expect(screen).toContainText('AFTER-KEYS-42');
    await expect(learn.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).not.toContainText('INSTRUCTOR-KEYS');
    await expectNoViolations(teach, 'dashboard with the share viewer', '[data-testid="share-viewer"] .xterm');
    await teach.screenshot({ path: 'test-results/classroom-share-viewer.png', fullPage: true });

    // ---- one click stops it: the indicators go, the viewer says so, and nothing more arrives
    await bar.getByTestId('share-stop').click();
    await expect(bar.getByTestId('share-indicator')).toHaveCount(0);
    await expect(hostTab.getByTestId('share-indicator')).toHaveCount(0);
    await expect(viewer.getByTestId('share-ended')).toBeVisible();
    await expect(row.getByTestId('learner-sharing')).toHaveCount(0);
    await typeInHostShell(learn, 'echo AFTER-STOP-$((6*7))');
    await expect(learn.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText('AFTER-STOP-42');
    // A later event (the hand) arrives at the dashboard: anything sent before it would have too.
    await bar.getByTestId('class-hand').click();
    await expect(row.getByTestId('raised-hand')).toBeVisible();
    await expect(screen).not.toContainText('AFTER-STOP-42');

    // ---- sharing again, then leaving the class, ends the share as well
    await teach.getByTestId('share-viewer-close').click();
    await expect(viewer).toHaveCount(0);
    await bar.getByTestId('share-open').click();
    await bar.getByTestId('share-start').click();
    await expect(bar.getByTestId('share-indicator')).toBeVisible();
    await expect(row.getByTestId('learner-sharing')).toBeVisible();
    await bar.getByTestId('class-leave').click();
    await expect(bar).toHaveAttribute('data-state', 'left');
    await expect(bar.getByTestId('share-indicator')).toHaveCount(0);
    await expect(hostTab.getByTestId('share-indicator')).toHaveCount(0);
    await expect(row).toHaveAttribute('data-presence', 'left');
    await expect(row.getByTestId('learner-sharing')).toHaveCount(0);
  } finally {
    for (const c of contexts) await c.close();
    for (const s of serves) await s.stop();
  }
});
