// What only the desktop app can show, asserted on the built app (electron/main):
// the window's webPreferences, the CSP its page actually got, navigation and
// window.open refused, no API for a frame that is not the app's page, the Help
// menu's report, and no host terminal left running after quit. Electron target only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { policyProblems } from '../support/csp-policy';
import { typeInHostShell, waitForHostPrompt } from '../support/lab';
import { expect, test, type DesktopHooks, type RunningApp } from '../support/app-target';

test.skip(({ target }) => target !== 'electron', 'the main process and its window exist in the desktop app only');

const APP_PAGE = /^app:\/\/netlab\//;

function desktop(app: RunningApp): DesktopHooks {
  if (!app.desktop) throw new Error('not the desktop app');
  return app.desktop;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

test('the window is isolated and sandboxed, with web security on, and its page holds nothing but the bridge', { tag: '@no-engine' }, async ({ launchApp }) => {
  const app = await launchApp();
  const { electron } = desktop(app);
  // The preferences the window's page runs with: getLastWebPreferences() is there at run time,
  // though Electron's typings no longer list it.
  const windows = await electron.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((w) => {
      const p = (w.webContents as unknown as { getLastWebPreferences(): Electron.WebPreferences | null }).getLastWebPreferences();
      return {
        contextIsolation: p?.contextIsolation,
        sandbox: p?.sandbox,
        nodeIntegration: p?.nodeIntegration,
        nodeIntegrationInSubFrames: p?.nodeIntegrationInSubFrames ?? false,
        nodeIntegrationInWorker: p?.nodeIntegrationInWorker ?? false,
        webSecurity: p?.webSecurity,
        allowRunningInsecureContent: p?.allowRunningInsecureContent ?? false,
        webviewTag: p?.webviewTag ?? false,
      };
    }),
  );
  expect(windows).toEqual([
    {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  ]);
  // Where the platform reports it (macOS, Windows), the page's process really is sandboxed.
  const renderers = await electron.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().filter((m) => m.type === 'Tab').map((m) => m.sandboxed));
  expect(renderers.length).toBeGreaterThan(0);
  for (const sandboxed of renderers) if (sandboxed !== undefined) expect(sandboxed).toBe(true);

  // The page sees no Node and no Electron: only the preload's two functions.
  const seen = await app.page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { require: typeof w.require, process: typeof w.process, module: typeof w.module, bridge: Object.keys((w.netlab ?? {}) as object).sort() };
  });
  expect(seen).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', bridge: ['invoke', 'on'] });
});

test('the page is app://netlab/ with a strict CSP header, and the policy is enforced', { tag: '@no-engine' }, async ({ launchApp }, testInfo) => {
  const app = await launchApp();
  const { page } = app;
  const { electron } = desktop(app);
  const response = await page.reload();
  expect(page.url()).toMatch(APP_PAGE);
  // The document's own response, as the page got it. Should the debugging protocol not report a
  // custom scheme's response, the same document fetched through the app's session stands in (said so).
  let csp = response ? (await response.allHeaders())['content-security-policy'] : undefined;
  if (!response) {
    csp = await electron.evaluate(async ({ session }, url) => (await session.defaultSession.fetch(url)).headers.get('content-security-policy') ?? undefined, page.url());
    testInfo.annotations.push({ type: 'csp source', description: 'no response reported for the document: fetched through the session' });
  }
  expect(policyProblems(csp), `the policy sent: ${csp}`).toEqual([]);
  // The header is the policy: no <meta> one (on file:// its 'self' matched every local file).
  await expect(page.locator('meta[http-equiv="Content-Security-Policy" i]')).toHaveCount(0);

  // Enforced, not only sent: an injected inline script is refused and reported.
  await page.evaluate(() => {
    const w = window as unknown as { violations: string[]; inlineRan?: boolean };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(e.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
  });
  await expect.poll(() => page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toContain('script-src-elem');
  expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
});

test('the page cannot navigate away or open a window; web links go to the system browser', { tag: '@no-engine' }, async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  const { electron, recorded } = desktop(app);
  await app.open();
  await expect(page.getByTestId('lesson-card').first()).toBeVisible();
  const home = page.url();
  // Heard after the app's own handlers: whether they refused it.
  await electron.evaluate(({ BrowserWindow }) => {
    const seen: { url: string; prevented: boolean }[] = [];
    (globalThis as unknown as { navigations: typeof seen }).navigations = seen;
    BrowserWindow.getAllWindows()[0]?.webContents.on('will-navigate', (event) => seen.push({ url: event.url, prevented: event.defaultPrevented }));
  });
  // A name that never resolves (.invalid): no traffic leaves the machine even if this failed.
  await page.evaluate(() => {
    location.href = 'https://netlab.invalid/';
  });
  await expect
    .poll(() => electron.evaluate(() => (globalThis as unknown as { navigations: unknown[] }).navigations))
    .toEqual([{ url: 'https://netlab.invalid/', prevented: true }]);
  await expect(page.getByTestId('lesson-card').first()).toBeVisible();
  expect(page.url()).toBe(home);

  // window.open: never a window of ours; an http(s) link is handed to the system browser, nothing else is.
  const opened = await page.evaluate(() => ['https://netlab.invalid/a', 'app://netlab/index.html', 'file:///etc/passwd', 'javascript:alert(1)'].map((u) => window.open(u)));
  expect(opened).toEqual([null, null, null, null]);
  expect(await electron.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  expect((await recorded()).openedExternally).toEqual(['https://netlab.invalid/a']);
});

test('a frame that is not the app page gets no API, and the main process refuses its calls', { tag: '@no-engine' }, async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  const { electron } = desktop(app);
  await app.open();
  await expect(page.getByTestId('lesson-card').first()).toBeVisible();
  // Injected by the test (a lesson cannot: the sanitizer drops iframes, hostile-lesson.spec.ts);
  // one same-origin frame, one with an opaque origin.
  await page.evaluate(() => {
    for (const [name, sandbox] of [
      ['e2e-same', null],
      ['e2e-opaque', 'allow-scripts'],
    ] as const) {
      const frame = document.createElement('iframe');
      frame.name = name;
      if (sandbox) frame.setAttribute('sandbox', sandbox);
      frame.srcdoc = '<p>not the app</p>';
      document.body.append(frame);
    }
  });
  await expect.poll(() => page.frames().length).toBe(3);
  const same = page.frame({ name: 'e2e-same' });
  const opaque = page.frame({ name: 'e2e-opaque' });
  // The preload runs in the main frame only: a subframe has no bridge of its own…
  expect(await same?.evaluate(() => typeof (window as unknown as { netlab?: unknown }).netlab)).toBe('undefined');
  // …and a frame of another origin cannot reach the page's.
  expect(
    await opaque?.evaluate(() => {
      try {
        return typeof (parent as unknown as { netlab?: unknown }).netlab;
      } catch (err) {
        return (err as Error).name;
      }
    }),
  ).toBe('SecurityError');

  // The main process's own check, given a real subframe as the sender: refused; the page's main frame: served.
  // (Electron keeps ipcMain.handle's handlers in _invokeHandlers; without it this test says so.)
  const answers = await electron.evaluate(async ({ BrowserWindow, ipcMain }) => {
    const handlers = (ipcMain as unknown as { _invokeHandlers?: Map<string, (event: unknown, ...args: unknown[]) => unknown> })._invokeHandlers;
    const handler = handlers?.get('netlab:call');
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    const sub = contents?.mainFrame.frames.find((f) => f.name === 'e2e-same');
    if (!handler || !contents || !sub) return { missing: `handler ${!!handler}, window ${!!contents}, subframe ${!!sub}` };
    const call = async (frame: Electron.WebFrameMain): Promise<unknown> =>
      handler({ sender: contents, senderFrame: frame, frameId: frame.routingId, processId: frame.processId }, 'app.info', {});
    return { fromSubframe: await call(sub), fromPage: await call(contents.mainFrame) };
  });
  expect(answers).not.toHaveProperty('missing');
  expect(answers).toMatchObject({ fromSubframe: { error: { code: 'forbidden' } } });
  expect(answers).toMatchObject({ fromPage: { result: expect.anything() } });
});

test("the Help menu's report writes the report and shows it in the file manager", async ({ launchApp }) => {
  const app = await launchApp();
  const hooks = desktop(app);
  const clicked = await hooks.electron.evaluate(({ Menu }) => {
    const help = Menu.getApplicationMenu()?.items.find((i) => i.role === 'help');
    const item = help?.submenu?.items.find((i) => i.label.startsWith('Report a problem'));
    item?.click();
    return !!item;
  });
  expect(clicked, 'Help › Report a problem… in the application menu').toBe(true);
  const box = await hooks.nextMessageBox(0);
  expect(box.message).toBe('A problem report was written.');
  const file = box.detail.split('\n')[0] ?? '';
  expect(file).toContain(join(app.dataDir, 'reports', 'netlab-report-'));
  const { shownInFolder, errorBoxes } = await hooks.recorded();
  expect(errorBoxes).toEqual([]);
  expect(shownInFolder).toEqual([file]);
  const report = await readFile(file, 'utf8');
  expect(report).toContain('NetLab problem report');
  expect(report).toContain('(desktop app)');
});

test('quitting stops the host terminal: its shell is gone', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  await app.open({ query: 'renderer=dom' });
  await page.locator('[data-testid="lesson-card"][data-lesson-id="default-networks"]').click();
  await waitForHostPrompt(page);
  // The shell's own pid, printed by itself (PowerShell's $PID, a POSIX shell's $$).
  await typeInHostShell(page, process.platform === 'win32' ? 'echo "PTY-PID=$PID"' : 'echo PTY-PID=$$');
  const rows = page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows');
  await expect(rows).toContainText(/PTY-PID=\d+/);
  const pid = Number(/PTY-PID=(\d+)/.exec((await rows.textContent()) ?? '')?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(true);

  await app.stop();
  // Gone (a zombie still answers kill(pid, 0): this waits until it is reaped, not only signalled).
  await expect.poll(() => alive(pid), { message: `host shell ${pid} after quit` }).toBe(false);
});
