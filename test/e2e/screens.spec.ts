// Every screen (Home, a lesson with real lab state, Settings) in both languages
// and both themes, in browser mode against the real Docker engine. Each screen
// must show its language (lang, translated headings), its theme (data-theme, a
// background that differs between light and dark), no raw i18n key, no
// "undefined", and no page error. Screenshots go to test-results/screenshots/;
// this spec is also the one owner of the README's images in docs/screenshots/.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { dictionaries, type MessageKey } from '../../renderer/src/lib/i18n';
import { clearLessonNames, docker, typeInHostShell, waitForHostPrompt } from '../support/lab';
import { startServe } from '../support/serve';

const LESSON_DIR = resolve(__dirname, '../../lessons/07-dns');
const SHOTS = resolve(__dirname, '../../test-results/screenshots');
const DOCS = resolve(__dirname, '../../docs/screenshots');
const LOCALES = ['en', 'zh-CN'] as const;
const THEMES = ['light', 'dark'] as const;
type Locale = (typeof LOCALES)[number];
type Theme = (typeof THEMES)[number];

// The lab the lesson view shows: two containers on the default bridge, two on
// custom_network, one of the first joined to it as well.
const COMMANDS = [
  'docker run -di --name default_bbox01 busybox',
  'docker run -di --name default_bbox02 busybox',
  'docker network create custom_network',
  'docker run -di --name custom_bbox02 --net custom_network busybox',
  'docker run -di --name custom_bbox03 --net custom_network busybox',
  'docker exec custom_bbox02 ping -c 2 custom_bbox03',
  'docker network connect custom_network default_bbox01',
];
const PASSED = ['default-containers-running', 'network-created', 'custom-bbox02-on-network', 'custom-bbox03-on-network', 'ping-custom-by-name', 'default-bbox01-connected'];
const CONTAINERS = ['default_bbox01', 'default_bbox02', 'custom_bbox02', 'custom_bbox03'];

let lesson: LoadedLesson;
const KEYS = new Set(Object.keys(dictionaries.en));

const say = (locale: Locale, key: MessageKey): string => dictionaries[locale][key];

function checkpointTitle(id: string, locale: Locale): string {
  const def = lesson.lesson.checkpoints.find((c) => c.id === id);
  if (!def) throw new Error(`no checkpoint ${id} in the lesson`);
  return def.title[locale] ?? def.title.en;
}

/** Visible text nodes plus accessible names (aria-label, title, placeholder), outside code and terminals. */
async function shownText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent?.trim();
      if (!el || !text || el.closest('code, pre, .xterm')) continue;
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (el.closest('code, pre, .xterm')) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(attr)?.trim();
        if (value) out.push(value);
      }
    }
    return out;
  });
}

/** What every screen must hold in this language and theme; returns the body's background colour. */
async function checkScreen(page: Page, locale: Locale, theme: Theme, errors: string[]): Promise<string> {
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await expect(page.getByTestId('settings-link')).toHaveText(say(locale, 'app.settings'));
  const texts = await shownText(page);
  expect(texts, 'the text walk sees the header').toContain(say(locale, 'app.settings'));
  const bad = texts.filter(
    (t) => KEYS.has(t) || /^[a-z]+\.[a-zA-Z.]+$/.test(t) || /\bundefined\b|\bNaN\b|\[object Object\]/.test(t) || /\{[a-zA-Z]+\}/.test(t),
  );
  expect(bad, 'raw i18n keys, undefined or unfilled placeholders on screen').toEqual([]);
  if (locale === 'zh-CN') expect(texts.filter((t) => /[\u4e00-\u9fff]/.test(t)).length).toBeGreaterThan(3);
  expect(errors, 'page errors').toEqual([]);
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/**
 * The whole screen: the app scrolls inside its main area, so a full-page shot
 * would clip it; the viewport grows to the content for the shot instead.
 */
async function screenshotWhole(page: Page, path: string): Promise<void> {
  const size = page.viewportSize();
  if (!size) throw new Error('no viewport');
  const height = await page.evaluate(() => {
    const main = document.querySelector('.app-main');
    return main ? document.documentElement.clientHeight - main.clientHeight + main.scrollHeight : 0;
  });
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

/** A ping by name in the host shell, so the shots show a terminal at work. */
async function pingByName(page: Page): Promise<void> {
  await typeInHostShell(page, 'docker exec custom_bbox02 ping -c 2 custom_bbox03');
  await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText(' 0% packet loss');
}

async function openDnsLesson(page: Page): Promise<void> {
  await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
  await expect(page.getByTestId('lesson-view')).toBeVisible();
  await waitForHostPrompt(page);
}

test.beforeAll(async () => {
  const loaded = await parseLesson(LESSON_DIR, 'builtin');
  if (!loaded.lesson) throw new Error(`the DNS lesson does not load: ${JSON.stringify(loaded.problems)}`);
  lesson = loaded.lesson;
  // The test types the lesson's own names, which the lab reset knows.
  for (const name of CONTAINERS) expect(lesson.lesson.names.containers).toContain(name);
  expect(lesson.lesson.names.networks).toContain('custom_network');
  clearLessonNames(lesson);
});
test.afterAll(() => clearLessonNames(lesson));

test('Home, a lesson with real lab state, and Settings render in both languages and both themes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await mkdir(SHOTS, { recursive: true });
  await mkdir(DOCS, { recursive: true });
  const serve = await startServe();
  try {
    // The DOM renderer keeps terminal text readable by the test (WebGL draws on a canvas).
    await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
    await openDnsLesson(page);
    for (const command of COMMANDS) await typeInHostShell(page, command);
    for (const id of PASSED) {
      await expect(page.locator(`[data-testid="checkpoint"][data-checkpoint-id="${id}"]`)).toHaveAttribute('data-status', 'passed');
    }
    const passedCount = await page.locator('[data-testid="checkpoint"][data-status="passed"]').count();
    const total = lesson.lesson.checkpoints.length;

    const backgrounds: Record<Theme, Set<string>> = { light: new Set(), dark: new Set() };
    for (const locale of LOCALES) {
      for (const theme of THEMES) {
        // Settings: the theme is picked there, the language in the header.
        await page.getByTestId('settings-link').click();
        await expect(page.getByTestId('settings')).toBeVisible();
        await page.getByTestId(`theme-${theme}`).check();
        await page.getByTestId('locale-switch').selectOption(locale);
        await expect(page.getByTestId('settings').locator('h1')).toHaveText(say(locale, 'settings.heading'));
        await expect(page.getByTestId(`theme-${theme}`)).toBeChecked();
        backgrounds[theme].add(await checkScreen(page, locale, theme, errors));
        await screenshotWhole(page, resolve(SHOTS, `settings-${locale}-${theme}.png`));

        // Home: the lesson list, with this lesson's progress.
        await page.locator('.brand').click();
        await expect(page.locator('h1').first()).toHaveText(say(locale, 'home.heading'));
        await expect(page.locator('[data-testid="lesson-card"][data-lesson-id="dns"] [data-testid="lesson-progress"]')).toHaveText(
          dictionaries[locale]['home.progress'].replace('{passed}', String(passedCount)).replace('{total}', String(total)),
        );
        backgrounds[theme].add(await checkScreen(page, locale, theme, errors));
        await screenshotWhole(page, resolve(SHOTS, `home-${locale}-${theme}.png`));

        // The lesson: checkpoints and the map show the real lab, in this language.
        await openDnsLesson(page);
        const map = page.getByTestId('network-map');
        for (const name of CONTAINERS) await expect(map.locator(`[data-node="container:${name}"]`)).toBeVisible();
        await expect(map.locator('[data-edge="attach:default_bbox01:custom_network"]')).toHaveCount(1);
        await expect(page.getByTestId('network-map-toggle')).toContainText(say(locale, 'map.title'));
        for (const id of PASSED) {
          const checkpoint = page.locator(`[data-testid="checkpoint"][data-checkpoint-id="${id}"]`);
          await expect(checkpoint).toHaveAttribute('data-status', 'passed');
          await expect(checkpoint).toContainText(checkpointTitle(id, locale));
        }
        await pingByName(page);
        backgrounds[theme].add(await checkScreen(page, locale, theme, errors));
        await page.screenshot({ path: resolve(SHOTS, `lesson-${locale}-${theme}.png`) });
        // The README's images, without the terminal's focus ring.
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        if (locale === 'en' && theme === 'light') {
          await page.screenshot({ path: resolve(DOCS, 'lesson-view.png') });
          await page.locator('.map-panel').screenshot({ path: resolve(DOCS, 'network-map.png') });
        }
        if (locale === 'zh-CN' && theme === 'dark') await page.screenshot({ path: resolve(DOCS, 'lesson-view-zh-dark.png') });
      }
    }
    // One background per theme on every screen and in both languages, and the two themes differ.
    expect(backgrounds.light.size).toBe(1);
    expect(backgrounds.dark.size).toBe(1);
    expect([...backgrounds.light][0]).not.toBe([...backgrounds.dark][0]);

    // Reset through the UI (still Chinese, dark): the lab's containers and network go, on the map and in Docker.
    await page.getByTestId('reset-lab').click();
    await page.getByTestId('reset-lab-confirm').click();
    await expect(page.getByTestId('reset-summary')).toBeVisible();
    const map = page.getByTestId('network-map');
    for (const name of CONTAINERS) await expect(map.locator(`[data-node="container:${name}"]`)).toHaveCount(0);
    await expect(map.locator('[data-node="network:custom_network"]')).toHaveCount(0);
    const left = docker('ps', '-a', '--format', '{{.Names}}').split('\n');
    expect(left.filter((n) => CONTAINERS.includes(n))).toEqual([]);
    expect(docker('network', 'ls', '--format', '{{.Name}}').split('\n')).not.toContain('custom_network');
    await checkScreen(page, 'zh-CN', 'dark', errors);
  } finally {
    await serve.stop();
  }
});
