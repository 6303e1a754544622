// The lab doctor on the preflight screen, in browser mode against this
// machine's real engine (Docker Engine on Linux, with host networking and
// IPv6): each finding shows its state in words, in both languages, and nothing
// the doctor's probes created is left on the engine.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { dictionaries } from '../../renderer/src/lib/i18n';
import { docker } from '../support/lab';
import { HOST_NETWORK_REFUSAL, startPolicyDockerProxy } from '../support/policy-docker-proxy';
import { startServe } from '../support/serve';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe's WCAG 2.1 A/AA violations inside one part of the page, as "rule: target" lines. */
async function violations(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).withTags(WCAG).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

test('the preflight shows what this engine offers the lessons, in both languages', async ({ page }) => {
  const serve = await startServe();
  try {
    await page.goto(await serve.launchUrl());
    await page.getByTestId('locale-switch').selectOption('en');
    const doctor = page.getByTestId('doctor');
    await expect(doctor).toBeVisible();
    await expect(doctor).toHaveAttribute('data-engine-kind', 'linux');
    await expect(page.getByTestId('doctor-engine')).toContainText(dictionaries.en['doctor.kind.linux']);
    const hostNetwork = doctor.locator('[data-finding="hostNetwork"]');
    await expect(hostNetwork).toHaveAttribute('data-state', 'yes');
    await expect(hostNetwork).toContainText('docker0');
    await expect(doctor.locator('[data-finding="ipv6"]')).toHaveAttribute('data-state', 'yes');
    await expect(doctor.locator('[data-finding="firewall"]')).toContainText('iptables');
    await expect(doctor.getByRole('heading', { name: dictionaries.en['doctor.heading'] })).toBeVisible();
    await page.getByTestId('preflight').screenshot({ path: 'test-results/screenshots/doctor-en.png' });
    expect(await violations(page, '[data-testid="doctor"]')).toEqual([]);

    await page.getByTestId('locale-switch').selectOption('zh-CN');
    await expect(doctor.getByRole('heading', { name: dictionaries['zh-CN']['doctor.heading'] })).toBeVisible();
    await expect(hostNetwork).toContainText(dictionaries['zh-CN']['doctor.state.yes']);
    await expect(doctor).not.toContainText('doctor.');
    await page.getByTestId('preflight').screenshot({ path: 'test-results/screenshots/doctor-zh-CN.png' });

    // The probes clean up after themselves.
    await expect.poll(() => docker('ps', '-a', '--filter', 'name=netlab-doctor', '--format', '{{.Names}}').trim()).toBe('');
    await expect.poll(() => docker('network', 'ls', '--filter', 'name=netlab-doctor', '--format', '{{.Name}}').trim()).toBe('');
  } finally {
    await serve.stop();
  }
});

test('on an engine that refuses host networking, the host lesson says why and what to do instead of failing', async ({ page }) => {
  const proxy = await startPolicyDockerProxy();
  const serve = await startServe({ env: { DOCKER_HOST: proxy.dockerHost } });
  try {
    await page.goto(await serve.launchUrl({ query: 'renderer=dom' }));
    await page.getByTestId('locale-switch').selectOption('en');
    const hostNetwork = page.locator('[data-testid="doctor"] [data-finding="hostNetwork"]');
    await expect(hostNetwork).toHaveAttribute('data-state', 'no');
    await expect(hostNetwork).toContainText(`the engine refused: ${HOST_NETWORK_REFUSAL}`);
    await expect(hostNetwork).toContainText(dictionaries.en['doctor.advice.host-network.refused']);
    expect(proxy.refused()).toBeGreaterThan(0);

    await page.locator('[data-testid="lesson-card"][data-lesson-id="host-mode"]').click();
    await expect(page.getByTestId('lesson-view')).toHaveAttribute('data-lesson-id', 'host-mode');
    const notice = page.getByTestId('step-unavailable');
    await expect(notice).toContainText(dictionaries.en['step.unavailable']);
    await expect(notice).toContainText(`Why: host networking: the engine refused: ${HOST_NETWORK_REFUSAL}`);
    await expect(notice).toContainText(`What to do: ${dictionaries.en['doctor.advice.host-network.refused']}`);
    expect(await violations(page, '[data-testid="step-unavailable"]')).toEqual([]);
    const setAside = page.locator('[data-testid="checkpoint"][data-checkpoint-id="bbox02-on-host"]');
    await expect(setAside).toHaveAttribute('data-status', 'unavailable');
    await expect(setAside.getByTestId('checkpoint-unavailable')).toHaveText(`Not available on this engine: host networking: the engine refused: ${HOST_NETWORK_REFUSAL}`);
    expect(await violations(page, '[data-testid="checkpoint"][data-status="unavailable"]')).toEqual([]);
    // Every lab checkpoint of the three host-network steps is set aside, none failed; the
    // quizzes need no engine and stay "not yet" until answered, as anywhere.
    await expect(page.locator('[data-testid="checkpoint"][data-status="unavailable"]')).toHaveCount(4);
    await expect(page.locator('[data-testid="checkpoint"][data-status="failed"]')).toHaveCount(2);
    for (const quiz of ['host-port-quiz', 'host-tradeoffs-quiz']) {
      await expect(page.locator(`[data-testid="checkpoint"][data-checkpoint-id="${quiz}"]`)).toHaveAttribute('data-status', 'failed');
    }

    await page.getByTestId('locale-switch').selectOption('zh-CN');
    await expect(notice).toContainText(dictionaries['zh-CN']['step.unavailable']);
    await expect(setAside.getByTestId('checkpoint-unavailable')).toContainText('在此引擎上不可用：host 网络：引擎拒绝了：');
    await page.screenshot({ path: 'test-results/screenshots/doctor-step-unavailable-zh-CN.png' });
  } finally {
    await serve.stop();
    await proxy.close();
  }
});
