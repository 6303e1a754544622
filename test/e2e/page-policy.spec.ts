// The policy the page enforces is exactly the one both transports build
// (electron/api/renderer-page.ts) with this load's nonce, it comes as a header
// and not a <meta> tag, and it refuses a <style> that arrives with markup while
// the page's own scripted <style> elements apply. Read from the page itself
// (test/support/page-policy.ts), so the same assertions hold for the Electron
// window's app:// page, whose response headers a test cannot see.
import { expect, test } from '@playwright/test';
import { contentSecurityPolicy } from '../../electron/api/renderer-page';
import { pagePolicy } from '../support/page-policy';
import { startServe, type ServeHandle } from '../support/serve';

let serve: ServeHandle;

test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('the page enforces the shared policy with this load’s nonce, from the header alone', async ({ page }) => {
  const response = await page.goto(await serve.launchUrl());
  await expect(page.locator('[data-testid="lesson-card"]').first()).toBeVisible();
  const got = await pagePolicy(page);
  expect(got.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(got.metaPolicies).toEqual([]);
  expect(got.directive).toBe('style-src-elem');
  expect(got.policy).toBe(contentSecurityPolicy(got.nonce));
  expect(response?.headers()['content-security-policy']).toBe(got.policy);
  expect(got.scriptStyleApplied).toBe(true);

  // A reload is a new load: a new nonce, and the policy names it.
  await page.reload();
  await expect(page.locator('[data-testid="lesson-card"]').first()).toBeVisible();
  const again = await pagePolicy(page);
  expect(again.nonce).not.toBe(got.nonce);
  expect(again.policy).toBe(contentSecurityPolicy(again.nonce));
});
