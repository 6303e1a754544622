// The lab doctor on the preflight screen, in browser mode against this
// machine's real engine (Docker Engine on Linux, with host networking and
// IPv6): each finding shows its state in words, in both languages, and nothing
// the doctor's probes created is left on the engine.
import { expect, test } from '@playwright/test';
import { dictionaries } from '../../renderer/src/lib/i18n';
import { docker } from '../support/lab';
import { startServe } from '../support/serve';

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
