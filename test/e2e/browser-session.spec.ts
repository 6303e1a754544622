// Signing in to browser mode, in a real browser: the printed address's launch
// code signs the page in and leaves the address bar; the page keeps the session
// credential in sessionStorage (a reload works) and hands it to a new tab of its
// origin; a used code, or a tab with nothing, gets the "press Enter" message in
// both languages; and another server on 127.0.0.1 (the course's httpd on 8080,
// say), opened in the same browser, receives no credential and no code.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { parseLaunchFragment } from '../../electron/api/launch-link';
import { dictionaries } from '../../renderer/src/lib/i18n';
import { CREDENTIAL_KEY } from '../../renderer/src/lib/session-credential';
import { startServe, type ServeHandle } from '../support/serve';

let serve: ServeHandle;

test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

const codeOf = (url: string): string => parseLaunchFragment(new URL(url).hash).code ?? '';
const stored = (page: Page): Promise<string | null> => page.evaluate((key) => sessionStorage.getItem(key), CREDENTIAL_KEY);

async function signedIn(page: Page): Promise<void> {
  // The lesson list comes over the API.
  await expect(page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]')).toBeVisible();
  await expect(page.getByTestId('no-session-banner')).toHaveCount(0);
}

async function refused(page: Page): Promise<void> {
  await expect(page.getByTestId('no-session-banner')).toHaveText(dictionaries.en['banner.noSession']);
  await page.getByTestId('locale-switch').selectOption('zh-CN');
  await expect(page.getByTestId('no-session-banner')).toHaveText(dictionaries['zh-CN']['banner.noSession']);
  await expect(page.getByTestId('lesson-card')).toHaveCount(0);
}

async function freshTab(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

test('a launch address signs the page in, keeps its route, and leaves the address bar; reloads and new tabs stay signed in', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const url = await serve.launchUrl({ query: 'renderer=dom', route: '#/settings' });
    await page.goto(url);
    await expect(page.getByTestId('settings')).toBeVisible();
    await expect(page.getByTestId('data-dir-current')).toContainText(serve.dataDir);
    expect(page.url()).toBe(`${serve.origin}/?renderer=dom#/settings`);
    expect(await stored(page)).toBe(serve.token);

    await page.reload();
    await expect(page.getByTestId('data-dir-current')).toContainText(serve.dataDir);
    await page.locator('.brand').click();
    await signedIn(page);

    // A new tab at the bare origin: its sessionStorage is empty, the first tab answers over the BroadcastChannel.
    const second = await context.newPage();
    await second.goto(`${serve.origin}/`);
    await signedIn(second);
    expect(await stored(second)).toBe(serve.token);
  } finally {
    await context.close();
  }
});

test('a used launch code, a stale credential, or nothing at all: refused, with the way to a fresh address in both languages', async ({ browser }) => {
  const url = await serve.launchUrl();
  const first = await freshTab(browser, url);
  await signedIn(first);
  await first.context().close();

  const reused = await freshTab(browser, url);
  await refused(reused);
  expect(reused.url()).toBe(`${serve.origin}/`);
  await reused.context().close();

  const stale = await (await browser.newContext()).newPage();
  await stale.addInitScript((key) => {
    if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, 'aCredentialOfAnEarlierRun000000');
  }, CREDENTIAL_KEY);
  await stale.goto(`${serve.origin}/`);
  await refused(stale);
  expect(await stored(stale)).toBeNull();
  await stale.context().close();

  const lonely = await freshTab(browser, `${serve.origin}/`);
  await refused(lonely);
  await lonely.context().close();
});

test('another server on 127.0.0.1, opened in the same browser after the app, receives no credential and no code', async ({ browser }) => {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const other: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>another app</title><img src="/pixel.png"><script src="/script.js"></script>');
  });
  await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok));
  const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const url = await serve.launchUrl({ route: '#/lesson/dns' });
    await page.goto(url);
    await expect(page.getByTestId('lesson-view')).toBeVisible();
    expect(await stored(page)).toBe(serve.token);

    // In a tab of its own, as a learner opens the course's web server; then the app's tab itself goes there.
    const tab = await context.newPage();
    await tab.goto(`${otherOrigin}/from-a-tab`);
    await expect.poll(() => seen.map((s) => s.url)).toEqual(expect.arrayContaining(['/from-a-tab', '/pixel.png', '/script.js']));
    await page.goto(`${otherOrigin}/from-the-app-tab`);
    await expect.poll(() => seen.map((s) => s.url)).toContain('/from-the-app-tab');

    const everything = JSON.stringify(seen);
    for (const secret of [serve.token, codeOf(url), serve.printedCode]) expect(everything).not.toContain(secret);
    expect(seen.filter((s) => s.headers.cookie !== undefined)).toEqual([]);
    // Nor where it came from: the app's pages send no Referer (its own pages' Referers name the other server).
    expect(seen.filter((s) => String(s.headers.referer ?? '').startsWith(serve.origin))).toEqual([]);
  } finally {
    await context.close();
    await new Promise((ok) => other.close(ok));
  }
});
