// A class in browser mode, as the e2e specs set it up: the instructor's page hosts on
// 127.0.0.1:PORT, the learner's page joins with the full code (it carries the pin, so there is no
// fingerprint to compare), and the class bar says joined.
import { expect, type Page } from '@playwright/test';
import type { ServeHandle } from './serve';

export async function hostAndJoin(
  teacher: { page: Page; serve: ServeHandle },
  learner: { page: Page; serve: ServeHandle; name: string },
  port: number,
): Promise<{ fullCode: string }> {
  const { page: teach } = teacher;
  const { page: learn } = learner;
  await teach.goto(await teacher.serve.launchUrl({ route: '#/' }));
  await teach.getByTestId('host-class').click();
  await teach.getByTestId('class-address').fill(`127.0.0.1:${port}`);
  await teach.getByTestId('class-host').click();
  const fullCode = (await teach.getByTestId('class-full-code').textContent())!;
  await learn.goto(await learner.serve.launchUrl({ query: 'renderer=dom', route: '#/join' }));
  await learn.getByTestId('join-address').fill(`127.0.0.1:${port}`);
  await learn.getByTestId('join-code-input').fill(fullCode);
  await learn.getByTestId('join-name').fill(learner.name);
  await learn.getByTestId('join-review').click();
  await learn.getByTestId('join-confirm').click();
  await expect(learn.getByTestId('class-bar')).toHaveAttribute('data-state', 'joined');
  return { fullCode };
}
