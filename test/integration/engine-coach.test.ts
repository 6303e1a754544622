// The coach from the engine, through the real services, relay and engine, in
// a host shell with no prompt hooks at all (dash): what the engine refused
// becomes a hint in the learner's language, one per mistake, though the shell
// never reports a command. Lookups the CLI makes on purpose (`docker inspect`
// trying each kind) say nothing. Names are prefixed itest-ecoach-.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoachHint } from '../../electron/api/types';
import { allowLesson, runMarked, startTestServices, type TestServices } from '../support/services';
import { dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-ecoach-';
const LESSON = 'engine-kinds';
const DASH = '/bin/sh';
/** Longer than the coach's burst and settle waits: a hint that has not come by then will not. */
const QUIET_MS = 1_500;

let t: TestServices;
let host: string;

/** Types a line into the hook-less shell, waits for a marker printed after it ran, then for the coach. */
async function run(command: string): Promise<CoachHint[]> {
  const before = t.sink.of('coach.hint').length;
  await runMarked(t, host, command);
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  return t.sink.of('coach.hint').slice(before);
}

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  t = await startTestServices('netlab-ecoach-', undefined, {}, { shell: DASH });
  await allowLesson(t, LESSON);
  await t.api['lab.open']({ lessonId: LESSON });
  host = (await t.api['terminal.open']({ kind: 'host', cols: 160, rows: 30 })).id;
  await waitFor(() => t.sink.output(host).length > 0, 'the dash prompt', 15_000);
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
});

describe('coaching from the engine in a shell without prompt hooks', () => {
  it('docker rm of a missing container: the hint, in both languages, after the engine\'s answer', async () => {
    const hints = await run(`docker rm ${PREFIX}missing`);
    expect(t.sink.of('terminal.command')).toEqual([]);
    expect(hints.map((h) => [h.rule, h.source, h.command])).toEqual([['container-missing', 'engine', `No such container: ${PREFIX}missing`]]);
    expect(hints[0]?.message.en).toContain(`no container named ${PREFIX}missing`);
    expect(hints[0]?.message['zh-CN']).toContain(`没有名为 ${PREFIX}missing 的容器`);
    // The same mistake again: said once.
    expect(await run(`docker rm ${PREFIX}missing`)).toEqual([]);
  });

  it('a typo in a lesson name gets a did-you-mean; docker inspect of a missing name and docker rm -f say nothing', async () => {
    const hints = await run('docker logs itest-ew-b');
    expect(hints.map((h) => h.rule)).toEqual(['container-missing']);
    expect(hints[0]?.message.en).toContain('Did you mean itest-ew-a?');
    expect(await run(`docker inspect ${PREFIX}nothing`)).toEqual([]);
    expect(await run(`docker rm -f ${PREFIX}nothing`)).toEqual([]);
  });

  it('a running container cannot be removed; exec into a stopped one; a name in use', async () => {
    const name = `${PREFIX}a`;
    expect(await run(`docker run -d --name ${name} busybox sleep 600`)).toEqual([]);
    const rm = await run(`docker rm ${name}`);
    expect(rm.map((h) => h.rule)).toEqual(['remove-running-container']);
    expect(rm[0]?.message.en).toContain(`docker rm -f ${name}`);
    const taken = await run(`docker run -d --name ${name} busybox sleep 600`);
    expect(taken.map((h) => h.rule)).toEqual(['name-in-use']);
    expect(taken[0]?.message.en).toContain('running container');
    expect(await run(`docker stop -t 0 ${name}`)).toEqual([]);
    const exec = await run(`docker exec ${name} ls`);
    expect(exec.map((h) => h.rule)).toEqual(['exec-container-stopped']);
    expect(exec[0]?.message.en).toContain(`docker start ${name}`);
    expect(await dockerCli('inspect', '-f', '{{.State.Status}}', name)).toBe('exited');
  });

  it('a network with active endpoints names them; a network that exists; one that does not', async () => {
    const net = `${PREFIX}net`;
    const box = `${PREFIX}on-net`;
    expect(await run(`docker network create ${net}`)).toEqual([]);
    expect((await run(`docker network create ${net}`)).map((h) => h.rule)).toEqual(['network-exists']);
    expect(await run(`docker run -d --name ${box} --network ${net} busybox sleep 600`)).toEqual([]);
    const inUse = await run(`docker network rm ${net}`);
    expect(inUse.map((h) => h.rule)).toEqual(['network-in-use']);
    expect(inUse[0]?.message.en).toContain(`docker network disconnect ${net} ${box}`);
    const missing = await run(`docker network rm ${PREFIX}nope`);
    expect(missing.map((h) => h.rule)).toEqual(['network-not-found']);
  });

  it('an image that is not here and cannot be pulled points to image packs and the Pull button', async () => {
    // A registry name that never resolves: the pull fails as it does on a machine without internet.
    const image = `${PREFIX}registry.invalid/busybox:latest`;
    const hints = await run(`docker run --rm ${image} true`);
    expect(hints.map((h) => h.rule)).toEqual(['image-unavailable']);
    expect(hints[0]?.message.en).toContain(`${image} is not on this machine`);
    expect(hints[0]?.message.en).toContain('This lesson uses busybox');
    expect(hints[0]?.message.en).toContain('Import image pack');
  });

  it('says nothing once the lesson is closed', async () => {
    await t.api['lab.close']({});
    expect(await run(`docker rm ${PREFIX}missing-after`)).toEqual([]);
  });
});
