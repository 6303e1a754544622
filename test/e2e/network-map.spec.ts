// The live network map, against the real Docker engine, on both targets: the
// learner's commands in the host shell appear on the map (network, container,
// one link per network with its IP), a container offers its shell and its
// inspect network section, a stopped one is dimmed, and a reset clears the map.
import { execFileSync } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { expect, test, type RunningApp } from '../support/app-target';

const LESSON_DIR = resolve(__dirname, '../../lessons/06-user-defined');
const NETWORK = 'custom_network';
const BOX = 'bbox08';
let lesson: LoadedLesson;

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** Clears this lesson's names, left over from an earlier run, before and after. */
function clearLabNames(): void {
  const existing = docker('ps', '-a', '--format', '{{.Names}}').split('\n');
  const stale = lesson.lesson.names.containers.filter((n) => existing.includes(n));
  if (stale.length) docker('rm', '-f', ...stale);
  const networks = docker('network', 'ls', '--format', '{{.Name}}').split('\n');
  for (const net of lesson.lesson.names.networks) if (networks.includes(net)) docker('network', 'rm', net);
}

async function openLesson(app: RunningApp): Promise<void> {
  const { page } = app;
  // The DOM renderer keeps terminal text readable by the test (WebGL draws on a canvas).
  await app.open({ query: 'renderer=dom' });
  await page.locator(`[data-testid="lesson-card"][data-lesson-id="${lesson.lesson.id}"]`).click();
  await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText(/[$#]/);
}

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.locator('[data-testid="terminal-tab"][data-terminal="host"]').click();
  await page.locator('[data-testid="terminal"][data-terminal="host"]').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

function mapNode(map: Locator, id: string): Locator {
  return map.locator(`[data-node="${id}"]`);
}

test.beforeAll(async () => {
  const loaded = await parseLesson(LESSON_DIR, 'builtin');
  if (!loaded.lesson) throw new Error(`the lesson does not load: ${JSON.stringify(loaded.problems)}`);
  lesson = loaded.lesson;
  // The test types the lesson's own names.
  expect(lesson.lesson.names.networks).toContain(NETWORK);
  expect(lesson.lesson.names.containers).toContain(BOX);
});

test.beforeEach(() => clearLabNames());
test.afterAll(() => clearLabNames());

test('the map follows the lab: a network and a container appear, offer a shell and details, dim when stopped, vanish on reset', async ({ launchApp }, testInfo) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await openLesson(app);
    const map = page.getByTestId('network-map');
    await expect(map).toBeVisible();
    await expect(mapNode(map, 'network:bridge')).toBeVisible();
    await expect(mapNode(map, `network:${NETWORK}`)).toHaveCount(0);

    // Measured, not asserted: when each node first shows, against Docker's own creation time.
    await page.evaluate((ids) => {
      const seen: Record<string, number> = {};
      (window as unknown as { mapSeen: Record<string, number> }).mapSeen = seen;
      new MutationObserver(() => {
        for (const id of ids) if (!seen[id] && document.querySelector(`[data-node="${id}"]`)) seen[id] = Date.now();
      }).observe(document.body, { subtree: true, childList: true });
    }, [`network:${NETWORK}`, `container:${BOX}`]);

    await typeCommand(page, `docker network create ${NETWORK}`);
    await expect(mapNode(map, `network:${NETWORK}`)).toBeVisible();
    const subnet = docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', NETWORK);
    await expect(mapNode(map, `network:${NETWORK}`)).toContainText(subnet);

    await typeCommand(page, `docker run -di --name ${BOX} --net ${NETWORK} busybox`);
    const box = mapNode(map, `container:${BOX}`);
    await expect(box).toBeVisible();
    const link = map.locator(`[data-edge="attach:${BOX}:${NETWORK}"]`);
    await expect(link).toHaveAttribute('data-from', `container:${BOX}`);
    await expect(link).toHaveAttribute('data-to', `network:${NETWORK}`);
    const ip = docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${NETWORK}").IPAddress}}`, BOX);
    await expect(map.locator(`[data-label="attach:${BOX}:${NETWORK}"]`)).toContainText(ip);
    await expect(box).toHaveAttribute('data-state', 'running');
    const seen = await page.evaluate(() => (window as unknown as { mapSeen: Record<string, number> }).mapSeen);
    const createdNet = Date.parse(docker('network', 'inspect', '-f', '{{.Created}}', NETWORK));
    const createdBox = Date.parse(docker('inspect', '-f', '{{.Created}}', BOX));
    testInfo.annotations.push({
      type: 'measured',
      description: `map latency: network ${seen[`network:${NETWORK}`]! - createdNet} ms after Docker created it, container ${seen[`container:${BOX}`]! - createdBox} ms after Docker created it`,
    });
    console.log(testInfo.annotations.at(-1)?.description);
    await expect(box).toHaveAttribute('aria-label', new RegExp(`${BOX}.*${NETWORK}.*${ip.replace(/\./g, '\\.')}`));

    // A second network is a second link.
    await typeCommand(page, `docker network connect bridge ${BOX}`);
    await expect(map.locator(`[data-edge="attach:${BOX}:bridge"]`)).toHaveAttribute('data-to', 'network:bridge');
    await expect(link).toHaveCount(1);

    // Network details: Docker's own inspect section, from the keyboard.
    await box.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-menu')).toBeVisible();
    await expect(page.getByTestId('map-open-shell')).toBeFocused();
    await page.getByTestId('map-network-details').click();
    const details = page.getByTestId('map-details-json');
    await expect(details).toContainText(`"${NETWORK}"`);
    await expect(details).toContainText(`"IPAddress": "${ip}"`);
    await expect(details).toContainText('"SandboxKey"');

    await page.screenshot({ path: testInfo.outputPath('network-map.png') });
    await page.getByTestId('map-details-close').click();
    // docs/screenshots/network-map.png is written by screens.spec.ts.
    await page.screenshot({ path: testInfo.outputPath('lesson-view-with-map.png') });

    // Open a shell: a terminal tab for the container, with its prompt.
    await box.click();
    await page.getByTestId('map-open-shell').click();
    await expect(page.getByTestId('map-menu')).toHaveCount(0);
    await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${BOX}"]`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`[data-testid="terminal"][data-terminal="${BOX}"] .xterm-rows`)).toContainText(/[$#]/);

    // The container's name in the lesson text leads to the same shell, by mouse or keyboard; a network's name does not.
    await page.locator('[data-testid="terminal-tab"][data-terminal="host"]').click();
    await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${BOX}"]`)).toHaveAttribute('aria-selected', 'false');
    const nameInText = page.locator(`.text-pane [data-testid="container-name"][data-container="${BOX}"]`).first();
    await nameInText.click();
    await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${BOX}"]`)).toHaveAttribute('aria-selected', 'true');
    await page.locator('[data-testid="terminal-tab"][data-terminal="host"]').click();
    await nameInText.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${BOX}"]`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`.text-pane code:text-is("${NETWORK}")`).first()).not.toHaveAttribute('data-container', /.*/);

    // Stopped: still on the map, dimmed.
    await typeCommand(page, `docker stop -t 0 ${BOX}`);
    await expect(box).toHaveAttribute('data-state', 'exited');
    await expect(box).toHaveClass(/stopped/);
    expect(await box.evaluate((el) => Number(getComputedStyle(el).opacity))).toBeLessThan(1);

    await page.getByTestId('reset-lab').click();
    await page.getByTestId('reset-lab-confirm').click();
    await expect(page.getByTestId('reset-summary')).toBeVisible();
    await expect(box).toHaveCount(0);
    await expect(mapNode(map, `network:${NETWORK}`)).toHaveCount(0);
    await expect(mapNode(map, 'network:bridge')).toBeVisible();
  } finally {
    await app.stop();
  }
});

test('every network mode is drawn as it works: host inside the host, none alone, container mode sharing a stack (dark, Chinese)', async ({ launchApp }, testInfo) => {
  const prefix = 'e2e-map-';
  const own = (n: string): string => `${prefix}${n}`;
  const leftovers = (): void => {
    const names = docker('ps', '-a', '--format', '{{.Names}}').split('\n').filter((n) => n.startsWith(prefix));
    if (names.length) docker('rm', '-f', ...names);
  };
  leftovers();
  docker('run', '-d', '--name', own('web'), 'busybox', 'sleep', '600');
  docker('run', '-d', '--name', own('side'), '--network', `container:${own('web')}`, 'busybox', 'sleep', '600');
  docker('run', '-d', '--name', own('host'), '--network', 'host', 'busybox', 'sleep', '600');
  docker('run', '-d', '--name', own('none'), '--network', 'none', 'busybox', 'sleep', '600');
  const app = await launchApp();
  const { page } = app;
  try {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openLesson(app);
    const map = page.getByTestId('network-map');
    await expect(mapNode(map, `container:${own('side')}`)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('network-map-modes-dark.png') });
    // The docs' picture is browser mode's, at the configured viewport.
    if (app.target === 'browser') await copyFile(testInfo.outputPath('network-map-modes-dark.png'), resolve(__dirname, '../../docs/screenshots/network-map-modes-dark.png'));
    await page.getByTestId('locale-switch').selectOption('zh-CN');
    await expect(map.getByText('Docker 主机')).toBeVisible();

    const box = async (l: Locator): Promise<{ x: number; y: number; width: number; height: number }> => {
      const b = await l.boundingBox();
      if (!b) throw new Error('not drawn');
      return b;
    };
    const within = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean =>
      a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;

    // host mode: inside the Docker host's box, no link.
    const hostBox = await box(map.locator('.group.host > rect'));
    await expect(mapNode(map, `container:${own('host')}`)).toHaveAttribute('data-placement', 'host');
    expect(within(await box(mapNode(map, `container:${own('host')}`)), hostBox)).toBe(true);
    await expect(map.locator(`[data-from="container:${own('host')}"]`)).toHaveCount(0);

    // none: alone, outside the host, only lo.
    const none = mapNode(map, `container:${own('none')}`);
    await expect(none).toHaveAttribute('data-placement', 'none');
    await expect(none).toContainText('lo 127.0.0.1');
    await expect(map.locator(`[data-from="container:${own('none')}"]`)).toHaveCount(0);
    expect(within(await box(none), hostBox)).toBe(false);

    // container mode: one shared-stack box holds both; the sidecar points at web, only web has a link to bridge.
    // (Scoped to web's own stack: another joined pair on this engine draws a stack of its own.)
    const stack = await box(map.locator(`.group.stack[data-owner="${own('web')}"] > rect`));
    expect(within(await box(mapNode(map, `container:${own('web')}`)), stack)).toBe(true);
    expect(within(await box(mapNode(map, `container:${own('side')}`)), stack)).toBe(true);
    await expect(map.locator(`[data-edge="shares:${own('side')}"]`)).toHaveAttribute('data-to', `container:${own('web')}`);
    await expect(map.locator(`[data-edge="attach:${own('web')}:bridge"]`)).toHaveCount(1);
    await expect(map.locator(`[data-from="container:${own('side')}"][data-to^="network:"]`)).toHaveCount(0);
    await expect(mapNode(map, `container:${own('side')}`)).toHaveAttribute('aria-label', new RegExp(`共享 ${own('web')} 的网络栈`));

    // The theme's variables reach the SVG: labels take the page's text colour (light on the dark theme).
    const fill = await map.locator(`[data-node="container:${own('web')}"] text`).first().evaluate((el) => getComputedStyle(el).fill);
    const bodyText = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(fill).toBe(bodyText);
    expect(bodyText).not.toBe('rgb(31, 35, 40)');

    await page.screenshot({ path: testInfo.outputPath('network-map-modes-dark-zh.png') });

    // Removed outside the app: gone from the map too.
    docker('rm', '-f', own('none'));
    await expect(none).toHaveCount(0);
  } finally {
    await app.stop();
    leftovers();
  }
});
