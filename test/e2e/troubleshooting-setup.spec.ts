// Lesson 15 in the browser: opening it sets the lab up by itself. The lesson
// shows "This lab starts with:" and its commands, in English and in Chinese,
// and the five broken setups exist on the engine with the lab's label; a
// reset removes them and builds the same start again.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { dictionaries } from '../../renderer/src/lib/i18n';
import { expect, test } from '../support/app-target';

const LESSON_DIR = resolve(__dirname, '../../lessons/15-troubleshooting');
let lesson: LoadedLesson;

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

function existing(): { containers: string[]; networks: string[] } {
  const containers = docker('ps', '-a', '--format', '{{.Names}}').split('\n');
  const networks = docker('network', 'ls', '--format', '{{.Name}}').split('\n');
  return {
    containers: lesson.lesson.names.containers.filter((n) => containers.includes(n)),
    networks: lesson.lesson.names.networks.filter((n) => networks.includes(n)),
  };
}

function clearLabNames(): void {
  const { containers, networks } = existing();
  if (containers.length) docker('rm', '-f', ...containers);
  for (const net of networks) docker('network', 'rm', net);
}

const SET_UP = { containers: ['ts1-web', 'ts1-client', 'ts2-web', 'ts2-client', 'ts3-db', 'ts3-app', 'ts4-app', 'ts4-side', 'ts5-api', 'ts5-web'], networks: ['ts3-net', 'ts5-front', 'ts5-back'] };

test.beforeAll(async () => {
  const loaded = await parseLesson(LESSON_DIR, 'builtin');
  if (!loaded.lesson) throw new Error(`lesson 15 does not load: ${JSON.stringify(loaded.problems)}`);
  lesson = loaded.lesson;
});

test.beforeEach(() => clearLabNames());
test.afterAll(() => clearLabNames());

test('opening lesson 15 sets up its broken labs, shows what ran, and a reset builds the same start', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await app.open();
    await expect(page.locator('[data-testid="lesson-part"][data-part="challenges"]')).toContainText(dictionaries.en['home.partChallenges']);
    await page.locator('[data-testid="lesson-card"][data-lesson-id="troubleshooting"]').click();
    const setup = page.locator('[data-testid="lab-setup"]');
    await expect(setup).toContainText(dictionaries.en['setup.heading']);
    await expect(setup).toContainText('docker run -d --name ts4-side --network container:ts4-app busybox sleep 86400');
    await expect(setup).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect.poll(() => existing()).toEqual({ containers: SET_UP.containers, networks: [...SET_UP.networks] });
    // The lab's own: each carries the lab label.
    for (const name of SET_UP.containers) expect(docker('inspect', '-f', '{{index .Config.Labels "dev.netlab.lab"}}', name)).toMatch(/^[0-9a-f]{16}$/);
    // A stopped partner is part of the broken start.
    expect(docker('inspect', '-f', '{{.State.Running}}', 'ts4-app')).toBe('false');

    // The learner fixes one challenge, then resets: the same broken start again.
    docker('start', 'ts4-app');
    await page.locator('[data-testid="reset-lab"]').click();
    await page.locator('[data-testid="reset-lab-confirm"]').click();
    // The summary shows once the reset is done, and the setup starts at the same moment.
    await expect(page.locator('[data-testid="reset-summary"]')).toBeVisible({ timeout: 60_000 });
    await expect(setup).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect.poll(() => existing()).toEqual({ containers: SET_UP.containers, networks: [...SET_UP.networks] });
    expect(docker('inspect', '-f', '{{.State.Running}}', 'ts4-app')).toBe('false');

    // In Chinese too.
    await page.getByTestId('locale-switch').selectOption('zh-CN');
    await expect(setup).toContainText(dictionaries['zh-CN']['setup.heading']);
  } finally {
    await app.stop();
  }
});
