// Browser mode's classroom from the command line: `serve --classroom HOST:PORT` prints the join
// code, the learners' command and the dashboard's address, which opens the dashboard of that very
// class; a learner's Join screen lists the class heard on the network (mDNS on this run's own
// port, so nothing reaches a real network), picking it fills the address, and the short code
// still has to be typed and the fingerprint compared.
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../support/free-port';
import { startServe, type ServeHandle } from '../support/serve';

async function printed(serve: ServeHandle, pattern: RegExp): Promise<RegExpExecArray> {
  await expect.poll(() => pattern.exec(serve.output()) !== null, { timeout: 20_000 }).toBe(true);
  return pattern.exec(serve.output())!;
}

test('--classroom prints a dashboard address for its class; a learner finds the class on the network and joins with the short code', async ({ browser }) => {
  const port = await freePort();
  const env = { NETLAB_MDNS_PORT: String(40000 + Math.floor(Math.random() * 10000)) };
  const serves: ServeHandle[] = [];
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const instructor = await startServe({ args: ['--classroom', `127.0.0.1:${port}`], env });
    serves.push(instructor);
    const [, shortCode] = await printed(instructor, /^Join code: (\S+)$/m);
    const [, dashboardUrl] = await printed(instructor, /^Dashboard \(this address works once[^)]*\): (http:\/\/\S+)$/m);
    expect(instructor.output()).toContain(`npm run serve -- --join 127.0.0.1:${port} --code ${shortCode}.`);
    expect(dashboardUrl).toContain('#/classroom?launch=');

    const teach = await contexts[0]!.newPage();
    await teach.goto(dashboardUrl!);
    await expect(teach.getByTestId('join-code')).toHaveText(shortCode!);
    await expect(teach.getByTestId('class-hub-address')).toHaveText(`127.0.0.1:${port}`);

    const learnerServe = await startServe({ env });
    serves.push(learnerServe);
    const learn = await contexts[1]!.newPage();
    await learn.goto(await learnerServe.launchUrl({ query: 'renderer=dom', route: '#/join' }));
    const listed = learn.locator(`[data-testid="nearby-class"][data-address="127.0.0.1:${port}"]`);
    await expect(listed).toBeVisible({ timeout: 30_000 });
    await expect(listed).toContainText((await teach.getByTestId('class-fingerprint').textContent())!);
    await learn.screenshot({ path: resolve(__dirname, '../../docs/screenshots/classroom-join.png'), fullPage: true });
    await listed.getByTestId('nearby-use').click();
    await expect(learn.getByTestId('join-address')).toHaveValue(`127.0.0.1:${port}`);
    // Picking a class gives the address only: the code is still the instructor's to hand out.
    await expect(learn.getByTestId('join-code-input')).toHaveValue('');
    await expect(learn.getByTestId('join-code-input')).toBeFocused();
    await learn.getByTestId('join-code-input').fill(shortCode!);
    await learn.getByTestId('join-name').fill('Grace');
    await learn.getByTestId('join-review').click();
    await learn.getByTestId('join-fingerprint-match').check();
    await learn.getByTestId('join-confirm').click();
    await expect(teach.locator('[data-learner]').filter({ hasText: 'Grace' })).toBeVisible();
    await expect.poll(() => instructor.output()).toContain('classroom: Grace joined');
  } finally {
    for (const c of contexts) await c.close();
    for (const s of serves) await s.stop();
  }
});
