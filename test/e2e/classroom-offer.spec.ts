// An instructor offers a lesson folder to the class, in browser mode: two `serve` instances (the
// instructor's and a learner's, each with its own data dir) and two pages. The learner sees a
// notice, and nothing is downloaded until they review and accept it; the lesson then appears on
// Home, and its first Run shows the consent dialog listing its commands (the same consent as a
// folder opened in Settings). axe audits the offer dialog.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { freePort } from '../support/free-port';
import { hostAndJoin } from '../support/classroom';
import { startServe, type ServeHandle } from '../support/serve';

const COURSE = resolve(__dirname, '../fixtures/courses/instructor-course');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test('a learner accepts an offered lesson folder; its commands wait for consent', async ({ browser }) => {
  const port = await freePort();
  const serves: ServeHandle[] = [];
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const instructor = await startServe({ removeDataDir: true });
    serves.push(instructor);
    const learnerServe = await startServe({ removeDataDir: true });
    serves.push(learnerServe);
    const teach = await contexts[0]!.newPage();
    const learn = await contexts[1]!.newPage();

    // ---- the instructor hosts; the learner joins with the full code (it carries the pin)
    await hostAndJoin({ page: teach, serve: instructor }, { page: learn, serve: learnerServe, name: 'Ada' }, port);

    // ---- no lesson suggested yet (no checkpoint columns): Ada's row still lays its cells side by side
    const adaRow = teach.locator('[data-testid="class-grid"] [role="row"][data-learner-name="Ada"]');
    const nameBox = await adaRow.getByRole('rowheader').boundingBox();
    const statusBox = await adaRow.locator('.status-cell').boundingBox();
    expect(statusBox!.y).toBe(nameBox!.y);
    expect(statusBox!.x).toBeGreaterThan(nameBox!.x + nameBox!.width - 1);

    // ---- a path that is no folder is refused with a message; the course folder is offered
    await teach.getByTestId('class-offer-kind').selectOption('lesson-folder');
    await teach.getByTestId('class-offer-path').fill(join(COURSE, 'no-such-folder'));
    await teach.getByTestId('class-offer').click();
    await expect(teach.getByTestId('class-error')).toContainText('is not a folder');
    await teach.getByTestId('class-offer-path').fill(COURSE);
    await teach.getByTestId('class-offer').click();
    await expect(teach.locator('[data-testid="class-offers"] li')).toHaveCount(1);
    await expect(teach.locator('[data-testid="class-offers"] li')).toContainText('instructor-course');

    // ---- the learner sees a notice only: nothing downloaded, nothing added
    const notice = learn.getByTestId('class-offer');
    await expect(notice).toHaveAttribute('data-offer-status', 'offered');
    await expect(notice).toContainText('instructor-course');
    const content = join(learnerServe.dataDir, 'class-content');
    expect(existsSync(content)).toBe(false);
    await learn.getByTestId('class-offer-review').click();
    const dialog = learn.getByTestId('offer-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('SHA-256');
    await expect(learn.getByTestId('offer-later')).toBeFocused();
    const audit = await new AxeBuilder({ page: learn }).withTags(WCAG).analyze();
    expect(audit.violations.map((v) => `offer dialog: ${v.id}`)).toEqual([]);
    // Opening it downloaded nothing either.
    expect(existsSync(content)).toBe(false);

    // ---- accept: downloaded, verified, unpacked, added beside the course
    await learn.getByTestId('offer-accept').click();
    await expect(notice).toHaveAttribute('data-offer-status', 'done');
    await expect(learn.getByTestId('class-offer-done')).toContainText('instructor-quiz');
    const [offerId] = await readdir(content);
    expect(offerId).toMatch(/^o-[0-9a-f]{16}$/);
    expect(await readFile(join(content, offerId!, 'instructor-quiz', 'lesson.yaml'), 'utf8')).toBe(await readFile(join(COURSE, 'instructor-quiz', 'lesson.yaml'), 'utf8'));

    // ---- a second offer, withdrawn while the learner reviews it: the dialog closes, nothing is fetched
    await teach.getByTestId('class-offer-path').fill(join(COURSE, 'instructor-quiz'));
    await teach.getByTestId('class-offer').click();
    await expect(teach.locator('[data-testid="class-offers"] li')).toHaveCount(2);
    const second = learn.locator('[data-testid="class-offer"][data-offer-status="offered"]');
    await expect(second).toHaveCount(1);
    const secondId = await second.getAttribute('data-offer-id');
    await second.getByTestId('class-offer-review').click();
    await expect(dialog).toBeVisible();
    await teach.locator(`[data-testid="class-offers"] li[data-offer-id="${secondId}"]`).getByTestId('class-offer-withdraw').click();
    await expect(teach.locator('[data-testid="class-offers"] li')).toHaveCount(1);
    await expect(dialog).toBeHidden();
    await expect(learn.locator(`[data-testid="class-offer"][data-offer-id="${secondId}"]`)).toHaveAttribute('data-offer-status', 'withdrawn');
    await expect(learn.getByTestId('class-offer-withdrawn')).toContainText('instructor-quiz');
    expect(await readdir(content)).toEqual([offerId]);

    // ---- the lesson is on Home, marked as an instructor's; its first Run asks, listing the commands
    await learn.goto(await learnerServe.launchUrl({ query: 'renderer=dom', route: '#/' }));
    const card = learn.locator('[data-testid="lesson-card"][data-lesson-id="instructor-quiz"]');
    await expect(card).toBeVisible();
    await card.click();
    await learn.getByTestId('run-in-terminal').first().click();
    const consent = learn.getByTestId('consent-dialog');
    await expect(consent).toBeVisible();
    await expect(learn.getByTestId('consent-commands')).toContainText('echo netlab-consent-ran');
    await expect(consent).toContainText(join(content, offerId!));
    await learn.getByTestId('consent-cancel').click();
    await expect(consent).toBeHidden();
  } finally {
    for (const c of contexts) await c.close();
    for (const s of serves) await s.stop();
  }
});
