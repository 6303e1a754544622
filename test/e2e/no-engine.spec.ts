// NetLab where no Docker engine answers: the app starts, lists its lessons,
// says what to do about Docker, keeps Settings working, and gives a host shell
// (zsh, or PowerShell on Windows). Tagged @no-engine: the desktop CI jobs on
// runners without Docker (macOS, Windows) run these specs only
// (.github/workflows/ci.yml), and `npm test` runs them in browser mode, where
// DOCKER_HOST points at an endpoint nobody listens on.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/app-target';

const NOWHERE =
  process.platform === 'win32' ? `npipe:////./pipe/netlab-no-engine-${randomBytes(6).toString('hex')}` : `unix://${join(tmpdir(), `netlab-no-engine-${randomBytes(6).toString('hex')}.sock`)}`;

test('starts, lists the lessons and says how to start Docker', { tag: '@no-engine' }, async ({ launchApp }) => {
  const app = await launchApp({ env: { DOCKER_HOST: NOWHERE } });
  await app.open();
  const { page } = app;
  // The built-in course is listed without an engine.
  await expect(page.getByTestId('lesson-card').first()).toBeVisible();
  expect(await page.getByTestId('lesson-card').count()).toBeGreaterThanOrEqual(8);
  // Preflight names the endpoint and what to do, in the UI's language.
  const problem = page.getByTestId('engine-problem');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(NOWHERE.replace(/^unix:\/\//, ''));
  await expect(problem).toContainText('Docker does not seem to be running');
  await expect(page.getByTestId('engine-ok')).toHaveCount(0);

  // Settings work without an engine, and the advice follows the language chosen there.
  await page.getByTestId('settings-link').click();
  await expect(page.getByTestId('settings')).toBeVisible();
  await expect(page.getByTestId('data-dir-current')).toContainText(app.dataDir);
  await page.getByTestId('settings-locale').selectOption('zh-CN');
  await page.locator('.brand').click();
  await expect(page.getByTestId('engine-problem')).toContainText('Docker 似乎没有运行');
  await page.getByTestId('settings-link').click();
  await page.getByTestId('settings-locale').selectOption('en');
  await expect(page.getByTestId('settings-link')).toHaveText('Settings');
});

test('gives a host shell without an engine: zsh, or PowerShell on Windows', { tag: '@no-engine' }, async ({ launchApp }) => {
  const windows = process.platform === 'win32';
  const app = await launchApp({ env: { DOCKER_HOST: NOWHERE }, shell: windows ? 'powershell' : 'zsh' });
  await app.open({ query: 'renderer=dom' });
  const { page } = app;
  await page.getByTestId('lesson-card').first().click();
  const host = page.locator('[data-testid="terminal"][data-terminal="host"]');
  await page.locator('[data-testid="terminal-tab"][data-terminal="host"]').click();
  await host.click();
  // What the shell prints, not what was typed: the typed line holds "(6*7)", the output "42netlab".
  await page.keyboard.type(windows ? 'echo "$(6*7)netlab"' : 'echo $((6*7))netlab');
  await page.keyboard.press('Enter');
  await expect(host.locator('.xterm-rows')).toContainText('42netlab');
  // The shell that answered is the one asked for.
  await page.keyboard.type(windows ? 'echo "$($PSVersionTable.PSEdition)-shell"' : 'echo ${ZSH_NAME}-shell');
  await page.keyboard.press('Enter');
  await expect(host.locator('.xterm-rows')).toContainText(windows ? /(Desktop|Core)-shell/ : 'zsh-shell');
});
