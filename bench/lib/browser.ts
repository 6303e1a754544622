// Debian's Chromium driven by Playwright against browser mode, plus the page
// instrumentation the scenarios share. Timings taken in the page use
// performance.now() (or timeOrigin + now() where Node's clock is compared).
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../../test/support/chromium';
import type { ServeHandle } from './serve';

export const HOST_TERMINAL = '[data-testid="terminal"][data-terminal="host"]';
export const HOST_ROWS = `${HOST_TERMINAL} .xterm-rows`;

/** `extraArgs`: e.g. the desktop shell's switches (electron/main/chromium-switches.ts). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args, ...extraArgs] });
}

/**
 * A page with a 1440×900 viewport. The init script counts the WebSocket's
 * terminal.data frames (and when the last one arrived) without touching the app.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it too.
  await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  await page.addInitScript(() => {
    const w = window as unknown as { __wsData: { count: number; last: number; chars: number } };
    w.__wsData = { count: 0, last: 0, chars: 0 };
    const Native = window.WebSocket;
    class Counting extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e: MessageEvent) => {
          const text = typeof e.data === 'string' ? e.data : '';
          if (text.startsWith('{"type":"event","name":"terminal.data"')) {
            w.__wsData.count++;
            w.__wsData.last = performance.now();
            w.__wsData.chars += text.length;
          }
        });
      }
    }
    window.WebSocket = Counting;
  });
  return page;
}

/** The page at the lesson list, with the DOM renderer for terminals when `dom`. */
export async function openList(page: Page, serve: ServeHandle, dom = true): Promise<void> {
  await page.goto(await serve.launchUrl(dom ? { query: 'renderer=dom' } : {}));
  await page.locator('[data-testid="lesson-card"]').first().waitFor({ timeout: 30_000 });
}

/** Clicks the DNS lesson's card and waits for the host prompt. */
export async function openDnsLesson(page: Page, serve: ServeHandle, dom = true): Promise<void> {
  await openList(page, serve, dom);
  await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
  await waitForPrompt(page);
}

export async function waitForPrompt(page: Page, selector = HOST_ROWS): Promise<void> {
  await page.waitForFunction(
    (sel) => /[$#]\s*$/m.test((document.querySelector(sel)?.textContent ?? '').trim()) || /[$#]/.test(document.querySelector(sel)?.textContent ?? ''),
    selector,
    { timeout: 30_000 },
  );
}

/** The visible rows of a terminal, one string per row, trailing blanks trimmed (DOM renderer only). */
export async function rowsText(page: Page, selector = HOST_ROWS): Promise<string[]> {
  return page.evaluate(
    (sel) => [...(document.querySelector(sel)?.children ?? [])].map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()),
    selector,
  );
}

/** Focuses the host terminal and clears its screen (Ctrl-L), waiting for a bare prompt. */
export async function clearHost(page: Page): Promise<void> {
  await page.locator(HOST_TERMINAL).click();
  await page.keyboard.press('Control+U');
  await page.keyboard.press('Control+L');
  await page.waitForFunction(
    (sel) => {
      const rows = [...(document.querySelector(sel)?.children ?? [])].map((r) => (r.textContent ?? '').trim());
      return rows.filter(Boolean).length === 1 && /[$#]$/.test(rows[0] ?? '');
    },
    HOST_ROWS,
    { timeout: 10_000 },
  );
}

/** Chromium's renderer JS heap in MiB (CDP Performance.getMetrics, after a GC). */
export async function jsHeapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
  if (used === undefined) throw new Error('no JSHeapUsedSize metric');
  return used / 1024 ** 2;
}
