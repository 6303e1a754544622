// Small helpers for e2e specs that drive a lesson against the real engine:
// the docker CLI, clearing a lesson's own names, typing into the host shell.
import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import type { LoadedLesson } from '../../electron/services/lessons/loader';

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** Removes the containers and networks the lesson declares (leftovers of an earlier run), nothing else. */
export function clearLessonNames(lesson: LoadedLesson): void {
  const existing = docker('ps', '-a', '--format', '{{.Names}}').split('\n');
  const stale = lesson.lesson.names.containers.filter((n) => existing.includes(n));
  if (stale.length) docker('rm', '-f', ...stale);
  const networks = docker('network', 'ls', '--format', '{{.Name}}').split('\n');
  for (const net of lesson.lesson.names.networks) if (networks.includes(net)) docker('network', 'rm', net);
}

/** Types one command into the host shell and presses Enter. */
export async function typeInHostShell(page: Page, command: string): Promise<void> {
  await page.locator('[data-testid="terminal-tab"][data-terminal="host"]').click();
  await page.locator('[data-testid="terminal"][data-terminal="host"]').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** The host shell is ready when its prompt has been drawn (needs `renderer=dom` to read xterm's text). */
export async function waitForHostPrompt(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText(/[$#]/);
}
