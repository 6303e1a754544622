// Accessibility, in browser mode against the real Docker engine. axe-core
// audits every screen and dialog (Home, a lesson with terminals, the map as a
// map and as tables, checkpoints passed, not yet and waiting, the terminals in
// screen-reader mode, Settings, the shortcut help, the consent dialog of an
// instructor's lesson, the name-conflict question, report-a-problem, the map's
// menu and details, the terminal search, the inline confirmations) in both
// languages and both themes, and finds no WCAG 2.1 A or AA violation. Nothing
// is excluded from the audit. Then what an audit cannot see, each both ways:
// screen-reader mode from the keyboard and from Settings, the map's tables by
// keyboard, checkpoint changes in a polite live region, no focus trap, focus
// given back by every dialog and confirmation.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { clearLessonNames, docker, typeInHostShell, waitForHostPrompt } from '../support/lab';
import { startServe, type ServeHandle } from '../support/serve';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCALES = ['en', 'zh-CN'] as const;
const THEMES = ['light', 'dark'] as const;
const DNS_DIR = resolve(__dirname, '../../lessons/07-dns');
/** The container lesson 08 (joined) needs: a learner's own one raises the name-conflict question. */
const CONFLICT_NAME = 'web1';

let dns: LoadedLesson;

interface Finding {
  where: string;
  rule: string;
  nodes: string[];
}

/** Runs axe on the page as it is now; every violation is kept with where it was found. */
async function audit(page: Page, where: string, findings: Finding[]): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  for (const v of result.violations) {
    // A violation already found on an earlier screen is reported once, where it was first seen.
    const nodes = v.nodes
      .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`)
      .filter((node) => !findings.some((f) => f.rule.startsWith(`${v.id}:`) && f.nodes.includes(node)));
    if (nodes.length) findings.push({ where, rule: `${v.id}: ${v.help}`, nodes });
  }
}

/** In-app navigation (the page keeps its session). */
async function go(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => (location.hash = r), route);
}

function web1Id(): string {
  return docker('ps', '-aq', '--no-trunc', '--filter', `name=^/${CONFLICT_NAME}$`);
}

test.beforeAll(async () => {
  const loaded = await parseLesson(DNS_DIR, 'builtin');
  if (!loaded.lesson) throw new Error(`the DNS lesson does not load: ${JSON.stringify(loaded.problems)}`);
  dns = loaded.lesson;
  clearLessonNames(dns);
});
test.afterAll(() => clearLessonNames(dns));

for (const locale of LOCALES) {
  for (const theme of THEMES) {
    test(`no WCAG 2.1 A/AA violation on any screen or dialog (${locale}, ${theme})`, async ({ page }) => {
      test.setTimeout(240_000);
      const findings: Finding[] = [];
      // The learner's own web1, unless one is there already (then it is left as it is).
      const mine = web1Id() ? undefined : docker('run', '-d', '--name', CONFLICT_NAME, '--label', 'netlab-e2e=a11y', 'busybox', 'sleep', '600');
      const course = join(await mkdtemp(join(tmpdir(), 'netlab-a11y-course-')), 'course');
      await cp(resolve(__dirname, '../fixtures/courses/probe-course'), course, { recursive: true });
      let serve: ServeHandle | undefined;
      try {
        serve = await startServe({ args: ['--lessons', course] });
        await page.addInitScript(
          ([l, th]) => {
            localStorage.setItem('netlab.locale', l);
            localStorage.setItem('netlab.theme', th);
          },
          [locale, theme] as const,
        );
        await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);

        // Home, with the workshop tools open and a problem report written.
        await expect(page.getByTestId('lesson-card').first()).toBeVisible();
        await expect(page.getByTestId('engine-ok')).toBeVisible();
        await audit(page, 'home', findings);
        await page.locator('[data-testid="workshop-tools"] summary').click();
        await page.getByTestId('report-problem-button').click();
        await expect(page.getByTestId('report-problem-result')).toBeVisible();
        await audit(page, 'home: workshop tools, problem report', findings);

        // Settings, and its reset confirmation.
        await page.getByTestId('settings-link').click();
        await expect(page.getByTestId('data-dir-current')).toBeVisible();
        await audit(page, 'settings', findings);
        await page.getByTestId('reset-progress').click();
        await audit(page, 'settings: reset confirmation', findings);

        // The DNS lesson with terminals, the map and checkpoints passed, failed and pending.
        await go(page, '#/lesson/dns');
        await waitForHostPrompt(page);
        await typeInHostShell(page, 'docker network create custom_network');
        await typeInHostShell(page, 'docker run -di --name custom_bbox02 busybox');
        await expect(page.locator('[data-testid="checkpoint"][data-status="passed"]').first()).toBeVisible();
        await expect(page.locator('[data-testid="checkpoint"][data-status="failed"]').first()).toBeVisible();
        await expect(page.locator('[data-testid="network-map"] [data-node="container:custom_bbox02"]')).toBeVisible();
        await audit(page, 'lesson', findings);

        // The map's text alternative, and the terminals in screen-reader mode.
        await page.getByTestId('network-map-view').click();
        await expect(page.locator('[data-testid="network-map-table"] tr[data-container="custom_bbox02"]')).toBeVisible();
        await audit(page, 'lesson: map as tables', findings);
        await page.getByTestId('network-map-view').click();
        await page.locator('[data-testid="terminal"][data-terminal="host"]').click();
        await page.keyboard.press('Alt+Shift+R');
        await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-accessibility')).toHaveCount(1);
        await audit(page, 'lesson: screen-reader mode', findings);
        await page.keyboard.press('Alt+Shift+R');
        await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-accessibility')).toHaveCount(0);

        await page.getByTestId('terminal-search-open').click();
        await page.keyboard.type('docker');
        await audit(page, 'lesson: terminal search', findings);
        await page.keyboard.press('Escape');

        const box = page.locator('[data-testid="network-map"] [data-node="container:custom_bbox02"]');
        await box.focus();
        await page.keyboard.press('Enter');
        await expect(page.getByTestId('map-menu')).toBeVisible();
        await audit(page, 'lesson: map menu', findings);
        await page.getByTestId('map-network-details').click();
        await expect(page.getByTestId('map-details-json')).toBeVisible();
        await audit(page, 'lesson: map details', findings);
        await page.getByTestId('map-details-close').click();

        await page.getByTestId('step-next').click();
        await page.getByTestId('show-hint').click();
        await page.getByTestId('show-solution').click();
        await audit(page, 'lesson: hint, solution confirmation', findings);
        await page.getByTestId('show-solution-confirm').click();
        await expect(page.getByTestId('solution')).toBeVisible();
        await page.getByTestId('reset-lab').click();
        await audit(page, 'lesson: solution, reset confirmation', findings);
        await page.getByTestId('reset-lab-confirm').click();
        await expect(page.getByTestId('reset-summary')).toBeVisible();
        await audit(page, 'lesson: reset summary', findings);

        await page.getByTestId('shortcuts-open').click();
        await expect(page.getByTestId('shortcut-help')).toBeVisible();
        await audit(page, 'shortcut help', findings);
        await page.getByTestId('shortcut-help-close').click();

        // The consent dialog of an instructor's lesson.
        await go(page, '#/lesson/probe-consent');
        await page.getByTestId('review-consent').click();
        await expect(page.getByTestId('consent-dialog')).toBeVisible();
        await audit(page, 'consent dialog', findings);
        await page.getByTestId('consent-cancel').click();

        // The name-conflict question, and its confirmation step.
        await go(page, '#/lesson/joined');
        // Scoped to web1's row: other leftovers by the lesson's names may be listed too.
        const conflict = page.locator(`[data-testid="name-conflict"][data-name="${CONFLICT_NAME}"]`);
        await expect(conflict).toBeVisible();
        await audit(page, 'name conflict', findings);
        await conflict.getByTestId('conflict-remove').click();
        await expect(page.getByTestId('conflict-remove-confirm')).toBeVisible();
        await audit(page, 'name conflict: confirmation', findings);
        // Its Cancel has the focus, and gives it back to Remove.
        await page.keyboard.press('Enter');
        await expect(page.getByTestId('conflict-remove-confirm')).toHaveCount(0);
        await expect(conflict.getByTestId('conflict-remove')).toBeFocused();
        expect(web1Id(), 'Cancel removes nothing').not.toBe('');

        // Home when the engine cannot be reached: preflight's advice.
        await serve.stop();
        serve = await startServe({ env: { DOCKER_HOST: `unix://${join(course, 'no-engine.sock')}` } });
        await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
        await expect(page.getByTestId('engine-problem')).toBeVisible();
        await audit(page, 'home: no engine', findings);

        expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
      } finally {
        await serve?.stop();
        if (mine && web1Id() === mine) docker('rm', '-f', mine);
        clearLessonNames(dns);
      }
    });
  }
}

test('the audit does see a violation when there is one (a near-miss of the colours)', async ({ page }) => {
  const serve = await startServe();
  try {
    await page.goto(await serve.launchUrl());
    await expect(page.getByTestId('lesson-card').first()).toBeVisible();
    const clean: Finding[] = [];
    await audit(page, 'home', clean);
    expect(clean).toEqual([]);
    // The old light accent (#1f6feb) on the page background: 4.3:1, under AA's 4.5:1.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Old accent on the page background';
      p.id = 'near-miss';
      p.style.color = '#1f6feb';
      p.style.background = '#f7f7f5';
      document.querySelector('.home')?.append(p);
    });
    const found: Finding[] = [];
    await audit(page, 'home with a near-miss', found);
    expect(found.map((f) => f.rule.split(':')[0])).toEqual(['color-contrast']);
    expect(found[0]?.nodes.join()).toContain('#near-miss');
  } finally {
    await serve.stop();
  }
});

// ---- What an audit cannot see: each behaviour, both ways ----------------------

const hostTerminal = (page: Page) => page.locator('[data-testid="terminal"][data-terminal="host"]');
const a11yTree = (page: Page) => hostTerminal(page).locator('.xterm-accessibility');

/** Presses Tab until the focused element matches the selector. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focusedIs(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
}

test('screen-reader mode: Alt+Shift+R in a terminal and the Settings switch turn xterm\'s accessibility tree on and off, live and saved', async ({ page }) => {
  const serve = await startServe();
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom', route: '#/lesson/default-networks' }));
    await waitForHostPrompt(page);
    await expect(a11yTree(page)).toHaveCount(0);

    // From inside the terminal: the key reaches the page, not the shell, and focus stays in the terminal.
    await hostTerminal(page).click();
    await page.keyboard.press('Alt+Shift+R');
    await expect(a11yTree(page)).toHaveCount(1);
    await expect(page.getByTestId('screen-reader-note')).toHaveText('Screen-reader mode is on: the terminals can be read.');
    await expect(hostTerminal(page).locator('textarea')).toBeFocused();
    // The tree holds the terminal's text, and new output lands in it.
    await page.keyboard.type('echo netlab-sr-$((6*7))');
    await page.keyboard.press('Enter');
    await expect(hostTerminal(page).locator('.xterm-accessibility-tree')).toContainText('netlab-sr-42');
    // Alt+R alone is the shell's: the mode stays on.
    await page.keyboard.press('Alt+r');
    await expect(a11yTree(page)).toHaveCount(1);
    await page.keyboard.press('Alt+Shift+R');
    await expect(a11yTree(page)).toHaveCount(0);
    await expect(page.getByTestId('screen-reader-note')).toHaveText('Screen-reader mode is off.');

    // The Settings switch: saved in the settings file, and the lesson's terminals start with it.
    await page.getByTestId('settings-link').click();
    const toggle = page.getByTestId('screen-reader-mode');
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await expect.poll(async () => JSON.parse(await readFile(join(serve.dataDir, 'settings.json'), 'utf8')).screenReaderMode).toBe(true);
    await page.reload();
    await expect(page.getByTestId('screen-reader-mode')).toBeChecked();
    await page.evaluate(() => (location.hash = '#/lesson/default-networks'));
    await waitForHostPrompt(page);
    await expect(a11yTree(page)).toHaveCount(1);
    // The shortcut list names the key.
    await page.getByTestId('shortcuts-open').click();
    await expect(page.getByTestId('shortcut-help')).toContainText('Screen-reader mode for the terminals');
    await page.keyboard.press('Escape');
  } finally {
    await serve.stop();
  }
});

test('the network map as tables: networks, containers and addresses, reached and used with the keyboard', async ({ page }, testInfo) => {
  const net = 'e18a11y-net';
  const box = 'e18a11y-box';
  const cleanup = (): void => {
    if (docker('ps', '-a', '--format', '{{.Names}}').split('\n').includes(box)) docker('rm', '-f', box);
    if (docker('network', 'ls', '--format', '{{.Name}}').split('\n').includes(net)) docker('network', 'rm', net);
  };
  cleanup();
  docker('network', 'create', net);
  docker('run', '-d', '--name', box, '--network', net, 'busybox', 'sleep', '600');
  const ip = docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, box);
  const mac = docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${net}").MacAddress}}`, box);
  const subnet = docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', net);
  const serve = await startServe();
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom', route: '#/lesson/default-networks' }));
    await waitForHostPrompt(page);
    await expect(page.locator(`[data-testid="network-map"] [data-node="container:${box}"]`)).toBeVisible();
    await expect(page.getByTestId('network-map-table')).toHaveCount(0);

    // Out of the terminal forward (Shift+F6: Tab belongs to the shell there), then to the table switch.
    await hostTerminal(page).click();
    await page.keyboard.press('Tab');
    await expect(hostTerminal(page).locator('textarea')).toBeFocused();
    await page.keyboard.press('Shift+F6');
    await expect(page.getByTestId('network-map-toggle')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('network-map-view')).toBeFocused();
    await page.keyboard.press('Enter');
    const table = page.getByTestId('network-map-table');
    await expect(table).toBeVisible();
    await expect(page.getByTestId('network-map')).toHaveCount(0);

    const netRow = table.locator(`[data-testid="map-networks-table"] tr[data-network="${net}"]`);
    await expect(netRow).toContainText(subnet);
    await expect(netRow.locator('td').last()).toHaveText('1');
    const row = table.locator(`[data-testid="map-containers-table"] tr[data-container="${box}"]`);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(net);
    await expect(row).toContainText(ip);
    await expect(row).toContainText(mac);
    await expect(row).toContainText('running');
    await page.screenshot({ path: testInfo.outputPath('network-map-table.png') });
    // Headers tie each cell to its column and row for a screen reader.
    await expect(page.getByRole('table', { name: 'Containers and their addresses' }).getByRole('rowheader', { name: box })).toHaveCount(1);

    // The table updates live: a stopped container says so.
    docker('stop', '-t', '0', box);
    await expect(row).toHaveAttribute('data-state', 'exited');

    // Details from the keyboard: focus moves in, Escape brings it back to the button.
    await tabTo(page, `[data-testid="map-table-details"][aria-label="Network details of ${box}"]`);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-details')).toBeFocused();
    await expect(page.getByTestId('map-details-json')).toContainText(`"${net}"`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('map-details')).toHaveCount(0);
    expect(await focusedIs(page, `[data-testid="map-table-details"][aria-label="Network details of ${box}"]`)).toBe(true);

    // The choice is kept; back to the map.
    await page.reload();
    await expect(page.getByTestId('network-map-table')).toBeVisible();
    await page.getByTestId('network-map-view').click();
    await expect(page.getByTestId('network-map')).toBeVisible();
    await expect(page.getByTestId('network-map-table')).toHaveCount(0);
  } finally {
    await serve.stop();
    cleanup();
  }
});

test('checkpoint changes are announced politely, passed and not yet; their state is never told by colour alone', async ({ page }) => {
  clearLessonNames(dns);
  const serve = await startServe();
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom', route: '#/lesson/dns' }));
    await waitForHostPrompt(page);
    const announcer = page.getByTestId('checkpoint-announcer');
    await expect(announcer).toHaveAttribute('aria-live', 'polite');
    // The lab's first look (nothing exists yet) is shown, not announced.
    await expect(page.locator('[data-testid="checkpoint"][data-status="failed"]').first()).toBeVisible();
    await expect(announcer).toHaveText('');
    const created = dns.lesson.checkpoints.find((c) => c.id === 'network-created');
    const onNetwork = dns.lesson.checkpoints.find((c) => c.id === 'custom-bbox02-on-network');
    expect(created && onNetwork).toBeTruthy();

    await typeInHostShell(page, 'docker network create custom_network');
    await expect(announcer).toContainText(`Checkpoint passed: ${created!.title.en}`);
    // The near-miss: on the default bridge. Said as "not yet", with the reason.
    await typeInHostShell(page, 'docker run -di --name custom_bbox02 busybox');
    await expect(announcer).toContainText(`Checkpoint not passed yet: ${onNetwork!.title.en}`);
    await expect(announcer).toContainText(/bridge/);
    await expect(announcer).not.toContainText('Checkpoint passed');

    // Passed and not yet each have their own mark and their own words, not only their colour
    // (waiting, which the lab's first look replaces at once, too: lesson-progress.test.ts).
    const marks: string[] = [];
    for (const [status, words] of [['passed', 'Passed'], ['failed', 'Not yet']] as const) {
      const item = page.locator(`[data-testid="checkpoint"][data-status="${status}"]`).first();
      await expect(item).toContainText(words);
      marks.push((await item.locator('.icon').textContent()) ?? '');
    }
    expect(marks[0]).not.toBe(marks[1]);
  } finally {
    await serve.stop();
    clearLessonNames(dns);
  }
});

test('focus is never trapped: terminals are left with F6 / Shift+F6, and every dialog and confirmation gives focus back', async ({ page }) => {
  const course = join(await mkdtemp(join(tmpdir(), 'netlab-a11y-course-')), 'course');
  await cp(resolve(__dirname, '../fixtures/courses/probe-course'), course, { recursive: true });
  const serve = await startServe({ args: ['--lessons', course] });
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom', route: '#/lesson/default-networks' }));
    await waitForHostPrompt(page);
    // Tab stays in the terminal (the shell completes with it); F6 leaves back, Shift+F6 forward.
    await hostTerminal(page).click();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(hostTerminal(page).locator('textarea')).toBeFocused();
    await page.keyboard.press('F6');
    await expect(page.locator('[data-testid="step-link"][aria-current="step"]')).toBeFocused();
    await hostTerminal(page).click();
    await page.keyboard.press('Shift+F6');
    await expect(page.getByTestId('network-map-toggle')).toBeFocused();
    // And with screen-reader mode on, the same keys.
    await hostTerminal(page).click();
    await page.keyboard.press('Alt+Shift+R');
    await expect(a11yTree(page)).toHaveCount(1);
    await page.keyboard.press('F6');
    await expect(page.locator('[data-testid="step-link"][aria-current="step"]')).toBeFocused();
    await hostTerminal(page).click();
    await page.keyboard.press('Alt+Shift+R');
    await expect(a11yTree(page)).toHaveCount(0);

    // The shortcut help gives focus back to its button.
    await page.getByTestId('shortcuts-open').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('shortcut-help')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts-open')).toBeFocused();

    // An inline confirmation: Cancel takes focus, and gives it back to what asked.
    await page.getByTestId('reset-lab').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('reset-lab-confirm')).toBeVisible();
    await expect(page.getByRole('group', { name: 'Remove everything this lab created?' }).getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('reset-lab')).toBeFocused();

    await page.getByTestId('show-solution').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('solution')).toHaveCount(0);
    await expect(page.getByTestId('show-solution')).toBeFocused();

    // The consent dialog of an instructor's lesson gives focus back to Review.
    await page.evaluate(() => (location.hash = '#/lesson/probe-consent'));
    await page.getByTestId('review-consent').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('consent-dialog')).toBeVisible();
    await expect(page.getByTestId('consent-cancel')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
    await expect(page.getByTestId('review-consent')).toBeFocused();
  } finally {
    await serve.stop();
  }
});
