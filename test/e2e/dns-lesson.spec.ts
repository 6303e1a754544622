// The DNS lesson end to end, against the real Docker engine, on both targets:
// a learner types the lesson's commands into the host terminal and every
// checkpoint turns green by itself; a near-miss does not; progress survives a reload.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { LoadedLesson } from '../../electron/services/lessons/loader';
import { parseLesson } from '../../electron/services/lessons/parse-lesson';
import { expect, test, type RunningApp } from '../support/app-target';

const LESSON_DIR = resolve(__dirname, '../../lessons/07-dns');
let lesson: LoadedLesson;

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** Clears this lesson's names, left over from an earlier run, before and after. */
function clearLabNames(): void {
  const names = [...new Set([...lesson.lesson.names.containers, 'default_bbox1'])];
  const existing = docker('ps', '-a', '--format', '{{.Names}}').split('\n');
  const stale = names.filter((n) => existing.includes(n));
  if (stale.length) docker('rm', '-f', ...stale);
  for (const net of new Set([...lesson.lesson.names.networks, 'custom-network'])) {
    if (docker('network', 'ls', '--format', '{{.Name}}').split('\n').includes(net)) docker('network', 'rm', net);
  }
}

/** The learner looks the address up; the test does the same with the CLI. */
function expandIps(command: string): string {
  return command.replace(/\$\{ip:([^@}]+)@([^}]+)\}/g, (_m, c: string, n: string) =>
    docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${n}").IPAddress}}`, c),
  );
}

async function openLesson(app: RunningApp): Promise<void> {
  const { page } = app;
  // The DOM renderer keeps terminal text readable by the test (WebGL draws on a canvas).
  await app.open({ query: 'renderer=dom' });
  await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
  await expect(page.locator('[data-testid="terminal"][data-terminal="host"]')).toBeVisible();
  // The host shell is ready when its prompt has been drawn.
  await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText(/[$#]/);
}

async function typeCommand(page: Page, command: string): Promise<void> {
  await page.locator('[data-testid="terminal"][data-terminal="host"]').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

function checkpoint(page: Page, id: string): ReturnType<Page['locator']> {
  return page.locator(`[data-testid="checkpoint"][data-checkpoint-id="${id}"]`);
}

test.beforeAll(async () => {
  const loaded = await parseLesson(LESSON_DIR, 'builtin');
  if (!loaded.lesson) throw new Error(`the DNS lesson does not load: ${JSON.stringify(loaded.problems)}`);
  lesson = loaded.lesson;
});

test.beforeEach(() => clearLabNames());
test.afterAll(() => clearLabNames());

test('typing the lesson commands turns every checkpoint green, and progress survives a reload', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await openLesson(app);
    const all = lesson.lesson.checkpoints.map((c) => c.id);
    for (const id of all) await expect(checkpoint(page, id)).not.toHaveAttribute('data-status', 'passed');

    for (const step of lesson.lesson.steps) {
      for (const { terminal, command } of step.solution) {
        expect(terminal, 'this lesson runs everything in the host shell').toBe('host');
        await typeCommand(page, expandIps(command));
      }
      // Quizzes are answered in the page, on their step: first wrong, then right.
      const quizzes = step.checkpointIds.filter((id) => lesson.quizzes.has(id));
      if (quizzes.length) await page.locator(`[data-testid="step-link"][data-step-id="${step.id}"]`).click();
      for (const id of quizzes) {
        const choices = lesson.quizzes.get(id)!.choices;
        const right = choices.findIndex((c) => c.correct);
        const wrong = choices.findIndex((c) => !c.correct);
        const quiz = page.locator(`[data-testid="quiz"][data-quiz-id="${id}"]`);
        await quiz.locator(`[data-testid="quiz-choice"][data-choice="${wrong}"]`).click();
        await expect(quiz).toHaveAttribute('data-status', 'wrong');
        await expect(checkpoint(page, id)).not.toHaveAttribute('data-status', 'passed');
        await quiz.locator(`[data-testid="quiz-choice"][data-choice="${right}"]`).click();
      }
      for (const id of step.checkpointIds) {
        await expect(checkpoint(page, id), `checkpoint ${id} after step ${step.id}`).toHaveAttribute('data-status', 'passed');
      }
    }
    for (const id of all) await expect(checkpoint(page, id)).toHaveAttribute('data-status', 'passed');


    // A reload reopens the same lesson (the route is in the URL); a fresh visit to the list shows it done.
    await page.reload();
    for (const id of all) await expect(checkpoint(page, id)).toHaveAttribute('data-status', 'passed');
    await app.open({ query: 'renderer=dom' });
    await expect(page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]')).toContainText(`${all.length}/${all.length}`);
    await page.locator('[data-testid="lesson-card"][data-lesson-id="dns"]').click();
    for (const id of all) await expect(checkpoint(page, id)).toHaveAttribute('data-status', 'passed');
  } finally {
    await app.stop();
  }
});

test('near-miss: containers on the default bridge do not pass the DNS checkpoints; reset keeps the learner\'s own', async ({ launchApp }) => {
  // The learner's own container, there before the app: a reset must leave it alone.
  const mine = 'e2e-mine-box';
  if (docker('ps', '-a', '--format', '{{.Names}}').split('\n').includes(mine)) docker('rm', '-f', mine);
  docker('run', '-d', '--name', mine, 'busybox', 'sleep', '600');
  const app = await launchApp();
  const { page } = app;
  try {
    await openLesson(app);
    await typeCommand(page, 'docker network create custom_network');
    // The classic mistake: forgetting --net custom_network.
    await typeCommand(page, 'docker run -di --name custom_bbox02 busybox');
    await typeCommand(page, 'docker run -di --name custom_bbox03 busybox');
    await typeCommand(page, 'docker exec custom_bbox02 ping -c 1 custom_bbox03');
    await expect(page.locator('[data-testid="terminal"][data-terminal="host"] .xterm-rows')).toContainText('bad address');

    const runStep = lesson.lesson.steps.find((s) => s.solution.some((c) => c.command.includes('--name custom_bbox03')));
    const pingStep = lesson.lesson.steps.find((s) => s.solution.some((c) => /ping.*custom_bbox03\b/.test(c.command) && !c.command.includes('${ip:')));
    expect(runStep && pingStep).toBeTruthy();
    // The engine has seen the state and says why: on bridge, not custom_network.
    for (const id of runStep!.checkpointIds) {
      await expect(checkpoint(page, id)).toHaveAttribute('data-status', 'failed');
    }
    await expect(page.locator('[data-testid="checkpoint"][data-status="failed"]').filter({ hasText: /bridge/ }).first()).toBeVisible();
    for (const id of pingStep!.checkpointIds) {
      await expect(checkpoint(page, id)).toHaveAttribute('data-status', 'failed');
    }
    const networkCheckpoint = lesson.lesson.checkpoints.find((c) => c.stepId === 'create-network');
    if (networkCheckpoint) await expect(checkpoint(page, networkCheckpoint.id)).toHaveAttribute('data-status', 'passed');

    await page.getByTestId('reset-lab').click();
    await page.getByTestId('reset-lab-confirm').click();
    await expect(page.getByTestId('reset-summary')).toBeVisible();
    const left = docker('ps', '-a', '--format', '{{.Names}}').split('\n');
    expect(left).toContain(mine);
    expect(left.filter((n) => n.startsWith('custom_bbox'))).toEqual([]);
    expect(docker('network', 'ls', '--format', '{{.Name}}').split('\n')).not.toContain('custom_network');
  } finally {
    await app.stop();
    docker('rm', '-f', mine);
  }
});

test('hints come one at a time, and the solution only after a confirmation', async ({ launchApp }) => {
  const app = await launchApp();
  const { page } = app;
  try {
    await openLesson(app);
    const index = lesson.lesson.steps.findIndex((s) => s.hints.length >= 2 && s.solution.length > 0);
    expect(index).toBeGreaterThanOrEqual(0);
    const step = lesson.lesson.steps[index]!;
    for (let i = 0; i < index; i++) await page.getByTestId('step-next').click();
    await expect(page.locator(`[data-testid="step"][data-step-id="${step.id}"] h2`)).toContainText(step.title.en);

    const hints = page.locator('[data-testid="hint"]');
    await expect(hints).toHaveCount(0);
    for (let shown = 1; shown <= step.hints.length; shown++) {
      await page.getByTestId('show-hint').click();
      await expect(hints).toHaveCount(shown);
      await expect(hints.nth(shown - 1)).toContainText(step.hints[shown - 1]!.en.replace(/`/g, '').split('\n')[0]!.slice(0, 20));
    }
    await expect(page.getByTestId('show-hint')).toHaveCount(0);

    // The solution is behind a confirmation: asking is not seeing, cancelling hides it again.
    await expect(page.getByTestId('solution')).toHaveCount(0);
    await page.getByTestId('show-solution').click();
    await expect(page.getByTestId('solution')).toHaveCount(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('show-solution-confirm')).toHaveCount(0);
    await page.getByTestId('show-solution').click();
    await page.getByTestId('show-solution-confirm').click();
    const solution = page.getByTestId('solution');
    for (const { command } of step.solution) await expect(solution).toContainText(command);
  } finally {
    await app.stop();
  }
});
