// The learner already has objects with the names a lesson needs: the lab lists
// them as conflicts, a reset never touches them, 'use' keeps them, and 'remove'
// deletes exactly the listed id (a stale id is refused), against the real engine.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServices, type TestServices } from '../support/services';
import { containerNames, dockerCli, networkNames, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-rn-';
const LESSONS = resolve(__dirname, '../fixtures/courses/robust-course');
const lessonId = 'robust-names';

let t: TestServices;

async function idOf(name: string): Promise<string> {
  return dockerCli('inspect', '-f', '{{.Id}}', name);
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  // The learner's own, there before the lab opens.
  await dockerCli('run', '-d', '--name', `${PREFIX}web1`, 'busybox', 'sleep', '600');
  await dockerCli('network', 'create', `${PREFIX}net`);
  t = await startTestServices('netlab-conflicts-', LESSONS);
  await t.api['lab.open']({ lessonId });
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
});

describe('name conflicts with the learner\'s own objects', () => {
  it('lists the learner\'s container and network, with their ids', async () => {
    const conflicts = await t.api['lab.conflicts']({ lessonId });
    expect(conflicts).toEqual([
      expect.objectContaining({ kind: 'container', name: `${PREFIX}web1`, id: await idOf(`${PREFIX}web1`), image: 'busybox', state: 'running' }),
      { kind: 'network', name: `${PREFIX}net`, id: await idOf(`${PREFIX}net`) },
    ]);
  });

  it('what the lab creates under a lesson name is not a conflict, and a reset removes only that', async () => {
    await dockerCli('run', '-d', '--name', `${PREFIX}box`, '--net', `${PREFIX}net`, 'busybox', 'sleep', '600');
    await waitFor(async () => (await t.api['lab.topology']({})).containers.some((c) => c.name === `${PREFIX}box`), 'the tracker to see the box');
    const names = (await t.api['lab.conflicts']({ lessonId })).map((c) => c.name);
    expect(names).not.toContain(`${PREFIX}box`);
    expect(names).toContain(`${PREFIX}web1`);

    const result = await t.api['lab.reset']({});
    expect(result.removedContainers).toEqual([`${PREFIX}box`]);
    expect(result.removedNetworks).toEqual([]);
    expect(await containerNames(PREFIX)).toEqual([`${PREFIX}web1`]);
    expect(await networkNames(PREFIX)).toEqual([`${PREFIX}net`]);
  });

  it('"use" keeps the learner\'s network: no longer a conflict, and it survives a reset', async () => {
    const id = await idOf(`${PREFIX}net`);
    const left = await t.api['lab.resolveConflict']({ lessonId, kind: 'network', name: `${PREFIX}net`, id, action: 'use' });
    expect(left.map((c) => c.name)).toEqual([`${PREFIX}web1`]);
    await t.api['lab.reset']({});
    expect(await networkNames(PREFIX)).toEqual([`${PREFIX}net`]);
  });

  it('"remove" with a stale id is refused and removes nothing', async () => {
    const oldId = await idOf(`${PREFIX}web1`);
    // The learner replaced it since the list was shown, while the lab was closed
    // (with the lab open, a lesson name created anew is the lab's own).
    await t.api['lab.close']({});
    await dockerCli('rm', '-f', `${PREFIX}web1`);
    await dockerCli('run', '-d', '--name', `${PREFIX}web1`, 'busybox', 'sleep', '600');
    await t.api['lab.open']({ lessonId });
    const newId = await idOf(`${PREFIX}web1`);
    expect(newId).not.toBe(oldId);
    await expect(
      t.api['lab.resolveConflict']({ lessonId, kind: 'container', name: `${PREFIX}web1`, id: oldId, action: 'remove' }),
    ).rejects.toThrow(/is now a different one .*nothing was changed/);
    expect(await idOf(`${PREFIX}web1`)).toBe(newId);
  });

  it('"remove" with the listed id removes exactly that container', async () => {
    const [conflict] = await t.api['lab.conflicts']({ lessonId });
    expect(conflict?.name).toBe(`${PREFIX}web1`);
    const left = await t.api['lab.resolveConflict']({ lessonId, kind: 'container', name: `${PREFIX}web1`, id: conflict!.id, action: 'remove' });
    expect(left).toEqual([]);
    expect(await containerNames(PREFIX)).toEqual([]);
    // The network the learner chose to use is still there.
    expect(await networkNames(PREFIX)).toEqual([`${PREFIX}net`]);
  });
});
