// A live class in browser mode: two `serve` instances (the instructor's and a learner's, each
// with its own data dir) and two pages, against the real engine. The instructor hosts on
// 127.0.0.1:<free port>; the learner types the short code read from the dashboard, compares the
// hub fingerprint, sees what will be shared before anything is sent, joins, opens the lesson the instructor suggests, and passes a
// checkpoint: the dashboard cell turns passed. A broadcast reaches the learner; after leaving,
// the dashboard shows "left" and a checkpoint passed later never reaches it. axe audits the
// dashboard, the "what is shared" screen and the class bar. The printable class report downloads with the learner's row.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { freePort } from '../support/free-port';
import { docker, typeInHostShell, waitForHostPrompt } from '../support/lab';
import { startServe, type ServeHandle } from '../support/serve';

const KINDS = resolve(__dirname, '../fixtures/courses/kinds-course');
const DOCS = resolve(__dirname, '../../docs/screenshots');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The names engine-kinds declares; this spec creates only the network. */
function removeLeftovers(): void {
  const stale = docker('ps', '-a', '--filter', 'name=^itest-ew-', '--format', '{{.Names}}').split('\n').filter(Boolean);
  if (stale.length) docker('rm', '-f', ...stale);
  if (docker('network', 'ls', '--filter', 'name=^itest-ew-net$', '--format', '{{.Name}}')) docker('network', 'rm', 'itest-ew-net');
}

async function expectNoViolations(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(result.violations.map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('a learner previews, joins, passes a checkpoint the dashboard shows, hears the broadcast, and leaves', async ({ browser }) => {
  removeLeftovers();
  const port = await freePort();
  const serves: ServeHandle[] = [];
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const instructor = await startServe({ args: ['--lessons', KINDS] });
    serves.push(instructor);
    const learnerServe = await startServe({ args: ['--lessons', KINDS] });
    serves.push(learnerServe);
    const teach = await contexts[0]!.newPage();
    const learn = await contexts[1]!.newPage();

    // ---- the instructor hosts on an explicit address and suggests the lesson
    await teach.goto(await instructor.launchUrl({ route: '#/' }));
    await teach.getByTestId('host-class').click();
    await teach.getByTestId('class-address').fill('nowhere');
    await teach.getByTestId('class-host').click();
    await expect(teach.getByTestId('class-error')).toContainText('HOST:PORT');
    await teach.getByTestId('class-address').fill(`127.0.0.1:${port}`);
    await teach.getByTestId('class-host').click();
    await expect(teach.getByTestId('join-code')).toHaveText(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await expect(teach.getByTestId('class-reach')).toContainText('this computer only');
    await expect(teach.getByTestId('class-hub-address')).toHaveText(`127.0.0.1:${port}`);
    const shortCode = (await teach.getByTestId('join-code').textContent())!;
    const fullCode = (await teach.getByTestId('class-full-code').textContent())!;
    expect(fullCode.startsWith(`${shortCode}.`)).toBe(true);
    // The projector's QR code: an image with a name, drawn as paths.
    await expect(teach.getByTestId('class-qr')).toHaveAttribute('aria-label', /QR code/);
    await expect(teach.getByTestId('class-qr').locator('svg path').first()).toBeAttached();
    await teach.getByTestId('class-lesson').selectOption('engine-kinds');
    await teach.getByTestId('class-set-lesson').click();
    await expect(teach.locator('[data-checkpoint-column="listed"]')).toBeVisible();
    await expect(teach.getByTestId('class-empty')).toBeVisible();

    // ---- the learner types the short code: the hub's fingerprint must be compared before Join
    await learn.goto(await learnerServe.launchUrl({ query: 'renderer=dom', route: '#/join' }));
    await learn.getByTestId('join-address').fill(`127.0.0.1:${port}`);
    await learn.getByTestId('join-code-input').fill(shortCode);
    await learn.getByTestId('join-name').fill('Ada');
    await learn.getByTestId('join-review').click();
    await expect(learn.getByTestId('join-fingerprint')).toHaveText((await teach.getByTestId('class-fingerprint').textContent())!);
    await expect(learn.getByTestId('join-confirm')).toBeDisabled();
    await expect(learn.getByTestId('join-fingerprint-match')).toBeFocused();
    await learn.getByTestId('join-fingerprint-match').check();
    await expect(learn.getByTestId('join-confirm')).toBeEnabled();
    await expectNoViolations(learn, 'join: compare the fingerprint');
    await expect(teach.getByTestId('class-empty')).toBeVisible();

    // ---- the shared list, before anything is sent
    const shared = learn.getByTestId('join-shared');
    await expect(shared).toContainText('Your name: Ada');
    await expect(shared).toContainText('Checkpoint states with their reasons');
    await expect(shared).toContainText('never sent');
    await expectNoViolations(learn, 'join: what is shared');
    // docs/classroom.md shows these two screens.
    await learn.screenshot({ path: resolve(DOCS, 'classroom-join-shared.png'), fullPage: true });
    // Still nothing on the dashboard: the preview sent nothing.
    await teach.reload();
    await expect(teach.getByTestId('class-empty')).toBeVisible();

    // ---- join: the learner's row appears; the prompt (not a jump) offers the lesson
    await learn.getByTestId('join-confirm').click();
    await expect(learn.getByTestId('class-bar')).toHaveAttribute('data-state', 'joined');
    const row = teach.locator('[data-testid="class-grid"] [role="row"][data-learner-name="Ada"]');
    await expect(row).toHaveAttribute('data-presence', 'connected');
    await expect(learn.getByTestId('class-lesson-prompt')).toHaveAttribute('data-lesson-id', 'engine-kinds');
    await expect(learn).toHaveURL(/#\/join$/);
    await learn.getByTestId('class-prompt-open').click();
    await waitForHostPrompt(learn);
    const listed = row.locator('[role="cell"][data-checkpoint-id="listed"]');
    await expect(row).toHaveAttribute('data-learner', /^l-/);
    // The grid is not a <table> (bench: class-dashboard) but reads as one: named by its caption,
    // Ada's row headed by her name, the checkpoint's column by its title.
    const table = teach.getByRole('table', { name: /^Learners × checkpoints of / });
    await expect(table.getByRole('row').filter({ has: teach.getByRole('rowheader', { name: 'Ada' }) })).toHaveCount(1);
    await expect(table.getByRole('columnheader').and(teach.locator('[data-checkpoint-column="listed"]'))).toHaveCount(1);
    await expect(table.getByRole('row').filter({ hasText: 'Ada' }).getByRole('cell')).toHaveCount(5);
    await expect(listed).not.toHaveAttribute('data-status', 'passed');

    // ---- progress flows: docker network ls in the host shell passes "listed"
    await typeInHostShell(learn, 'docker network ls');
    await expect(listed).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
    await expect(listed).toContainText('passed');
    await expect(teach.locator('[data-summary-checkpoint="listed"] [data-testid="summary-passed"]')).toHaveText('1 of 1 passed');

    // ---- a raised hand marks the learner stuck, in words
    await learn.getByTestId('class-hand').click();
    await expect(row.getByTestId('raised-hand')).toBeVisible();
    await expect(row.getByTestId('learner-stuck')).toContainText('hand raised');
    // A cell's reason shows on keyboard focus as on hover.
    const failing = row.locator('[role="cell"][data-checkpoint-id="made-net"] .cell-value');
    await expect(row.locator('[role="cell"][data-checkpoint-id="made-net"]')).toHaveAttribute('data-status', 'failed');
    // The reason is read by screen readers in place, and seen only on hover or focus (a 1 px clip before).
    const tipWidth = (): Promise<number> => failing.getByTestId('cell-reason').evaluate((el) => el.getBoundingClientRect().width);
    expect(await tipWidth()).toBeLessThanOrEqual(1);
    await failing.focus();
    await expect.poll(tipWidth).toBeGreaterThan(50);
    await expect(failing.getByTestId('cell-reason')).not.toBeEmpty();
    await expectNoViolations(teach, 'dashboard with a learner');
    await teach.screenshot({ path: resolve(DOCS, 'classroom-dashboard.png'), fullPage: true });
    // The same dashboard in Chinese: every string from the zh-CN dictionary, still no violation.
    await teach.getByTestId('locale-switch').selectOption('zh-CN');
    await expect(row.getByTestId('learner-stuck')).toContainText('已举手');
    await expect(listed).toContainText('已通过');
    await expectNoViolations(teach, 'dashboard (zh-CN)');
    await teach.getByTestId('locale-switch').selectOption('en');
    // And in the dark theme.
    await teach.evaluate(() => localStorage.setItem('netlab.theme', 'dark'));
    await teach.reload();
    await expect(teach.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(listed).toHaveAttribute('data-status', 'passed');
    await expectNoViolations(teach, 'dashboard (dark)');
    await teach.evaluate(() => localStorage.setItem('netlab.theme', 'light'));

    // ---- the printable class report: the download holds the learner and the checkpoint
    await teach.getByTestId('class-export-report').click();
    await expect(teach.getByTestId('class-exported-report')).toContainText('.html');
    const [download] = await Promise.all([teach.waitForEvent('download'), teach.getByTestId('class-download-report').click()]);
    expect(download.suggestedFilename()).toMatch(/^class-engine-kinds-.*\.html$/);
    const reportHtml = await readFile((await download.path())!, 'utf8');
    expect(reportHtml).toContain('<th scope="row">Ada</th>');
    expect(reportHtml).toMatch(/<td class="cp passed" data-checkpoint-id="listed" data-status="passed">/);
    expect(reportHtml).toContain('hand raised');

    // ---- a broadcast reaches the learner
    await teach.getByTestId('class-message').fill('Five minutes left');
    await teach.getByTestId('class-broadcast').click();
    await expect(learn.getByTestId('class-broadcast-text')).toContainText('Five minutes left');
    await expectNoViolations(learn, 'lesson with the class bar');

    // ---- leave: the dashboard shows it, and a checkpoint passed afterwards never arrives
    await learn.getByTestId('class-leave').click();
    await expect(learn.getByTestId('class-bar')).toHaveAttribute('data-state', 'left');
    await expect(row).toHaveAttribute('data-presence', 'left');
    await typeInHostShell(learn, 'docker network create itest-ew-net');
    await expect(learn.locator('[data-testid="checkpoint"][data-checkpoint-id="made-net"]')).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
    await teach.reload();
    await expect(row).toHaveAttribute('data-presence', 'left');
    await expect(row.locator('[role="cell"][data-checkpoint-id="listed"]')).toHaveAttribute('data-status', 'passed');
    await expect(row.locator('[role="cell"][data-checkpoint-id="made-net"]')).not.toHaveAttribute('data-status', 'passed');
  } finally {
    for (const c of contexts) await c.close();
    for (const s of serves) await s.stop();
    removeLeftovers();
  }
});
