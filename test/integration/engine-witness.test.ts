// The engine as the witness, through the real services, engine and a host
// shell with no prompt hooks at all (dash): engine checkpoints pass for the
// docker calls themselves, through an alias or a script, and never for an echo
// or a failed exec. What the shell creates while a lesson is open is labelled,
// and a reset removes it even after the app stopped without a ledger entry.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointStatus } from '../../electron/api/types';
import { LAB_LABEL, labLabelValue } from '../../electron/services/relay/host-relays';
import { allowLesson, runMarked, startTestServices, type TestServices } from '../support/services';
import { containerNames, dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-ew-';
const LESSON = 'engine-kinds';
const DASH = '/bin/sh';

let t: TestServices;
let host: string;
let scripts: string;

/** Types a line into the hook-less shell and waits until it ran. */
const run = (command: string): Promise<void> => runMarked(t, host, command);

async function status(id: string): Promise<CheckpointStatus | undefined> {
  return (await t.api['lab.evaluate']({})).find((s) => s.id === id);
}

async function until(id: string, state: 'passed' | 'failed'): Promise<void> {
  await waitFor(async () => (await status(id))?.status === state, `${id} to be ${state}`);
}

async function labelledContainers(): Promise<string[]> {
  const out = await dockerCli('ps', '-a', '--filter', `label=${LAB_LABEL}=${labLabelValue(t.dataDir)}`, '--format', '{{.Names}}');
  return out.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  scripts = await mkdtemp(join(tmpdir(), 'netlab-ew-scripts-'));
  t = await startTestServices('netlab-ew-', undefined, {}, { shell: DASH });
  await allowLesson(t, LESSON);
  await t.api['lab.open']({ lessonId: LESSON });
  host = (await t.api['terminal.open']({ kind: 'host', cols: 120, rows: 30 })).id;
  await waitFor(() => t.sink.output(host).length > 0, 'the dash prompt', 15_000);
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
  // The unnamed joined container of the last test, if a test failed before the reset.
  const stray = await dockerCli('ps', '-aq', '--filter', `label=${LAB_LABEL}=${labLabelValue(t?.dataDir ?? '')}`).catch(() => '');
  if (stray) await dockerCli('rm', '-f', ...stray.split('\n').filter(Boolean)).catch(() => undefined);
  await rm(scripts, { recursive: true, force: true });
});

describe('engine checkpoints in a shell without prompt hooks', () => {
  it('the shell reports no commands, yet its docker calls reach the engine through the relay', async () => {
    await run('docker run -di --name itest-ew-a busybox');
    expect(t.sink.of('terminal.command')).toEqual([]);
    expect(t.sink.output(host)).not.toContain('Cannot connect');
    expect(await dockerCli('inspect', '-f', `{{index .Config.Labels "${LAB_LABEL}"}}`, `${PREFIX}a`)).toBe(labLabelValue(t.dataDir));
  });

  it('an echo of the command, and an exec that fails, do not pass; the command through an alias does', async () => {
    await run('echo docker exec itest-ew-a ip a');
    await run('docker exec itest-ew-a false');
    await run('docker exec itest-ew-a ip link');
    await until('ran-ip', 'failed');
    expect((await status('ran-ip'))?.reason?.en).toBeDefined();
    await run('alias d=docker');
    await run('d container exec itest-ew-a ip addr');
    await until('ran-ip', 'passed');
  });

  it('a script that lists networks and makes one passes those checkpoints', async () => {
    const script = join(scripts, 'make-net.sh');
    await writeFile(script, '#!/bin/sh\ndocker network ls >/dev/null\ndocker network create "$1" >/dev/null\n');
    await chmod(script, 0o755);
    await run(`${script} itest-ew-net`);
    await until('listed', 'passed');
    await until('made-net', 'passed');
  });

  it('any container joined to itest-ew-a passes, whatever its name; a reset removes it and the rest, labelled', async () => {
    await run('docker run -d --network container:itest-ew-a busybox sleep 600');
    await until('joined', 'passed');
    const labelled = await labelledContainers();
    expect(labelled).toHaveLength(2);
    expect(labelled).toContain(`${PREFIX}a`);
    const result = await t.api['lab.reset']({});
    expect(result.removedContainers).toEqual(expect.arrayContaining(labelled));
    expect(await labelledContainers()).toEqual([]);
    expect(await containerNames(PREFIX)).toEqual([]);
  });
});

describe('a reset after the app stopped mid-lesson', () => {
  it('removes exactly the labelled objects, even with no ledger', async () => {
    await run('docker run -d --name itest-ew-a busybox sleep 600');
    await run('docker run -d busybox sleep 600');
    await waitFor(async () => (await labelledContainers()).length === 2, 'two labelled containers');
    // The learner's own, made outside the lab: it must survive.
    await dockerCli('run', '-d', '--name', `${PREFIX}mine`, 'busybox', 'sleep', '600');
    const { dataDir } = t;
    await t.services.dispose();
    // As if the app died before the ledger was written.
    await rm(join(dataDir, 'lab-ledger.json'), { force: true });
    t = await startTestServices('netlab-ew-', undefined, {}, { shell: DASH, dataDir });
    await t.api['lab.open']({ lessonId: LESSON });
    await t.api['lab.reset']({});
    expect(await labelledContainers()).toEqual([]);
    expect(await containerNames(PREFIX)).toEqual([`${PREFIX}mine`]);
  });
});
