import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './test/support/chromium';
import type { AppTargetOptions } from './test/support/app-target';

// The specs written against test/support/app-target.ts: they run in the desktop app too.
// The others drive browser mode only (launch codes, a second tab, the HTTP server's CSP…).
const DESKTOP_SPECS = ['dns-lesson', 'network-map', 'settings', 'hostile-lesson', 'keyboard', 'report-problem', 'desktop-shell', 'no-engine'].map(
  (name) => `${name}.spec.ts`,
);

// Debian's Chromium, never a downloaded browser. One worker: the tests share one Docker engine.
// Two projects, one suite: `browser` (npm test) and `electron` (npm run test:desktop, on the built app).
export default defineConfig<AppTargetOptions>({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: CHROMIUM_LAUNCH,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'browser', use: { target: 'browser' } },
    { name: 'electron', testMatch: DESKTOP_SPECS, use: { target: 'electron' } },
  ],
});
