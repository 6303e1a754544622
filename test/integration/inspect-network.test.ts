// lab.inspectNetwork against the real engine: the map's "Network details" show
// Docker's own network section for a container in the lab's topology, and
// nothing for a name the lab does not track.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../electron/api/contract';
import { startTestServices, type TestServices } from '../support/services';
import { dockerCli, removeByPrefix, waitFor } from '../support/docker';

const PREFIX = 'itest-map-';
const NET = `${PREFIX}net`;
const BOX = `${PREFIX}box`;
let t: TestServices;

beforeAll(async () => {
  await removeByPrefix(PREFIX);
  t = await startTestServices('netlab-inspect-');
  await t.api['lab.open']({ lessonId: 'checkpoint-kinds' });
  await dockerCli('network', 'create', NET);
  await dockerCli('run', '-d', '--name', BOX, '--network', NET, '-p', '127.0.0.1::80', 'busybox', 'sleep', '600');
  await waitFor(
    async () => (await t.api['lab.topology']({})).containers.find((c) => c.name === BOX && c.networks.some((n) => n.ip)),
    `${BOX} in the topology`,
  );
});

afterAll(async () => {
  await t?.services.dispose();
  await removeByPrefix(PREFIX);
});

describe('lab.inspectNetwork', () => {
  it("returns Docker's network section for a tracked container", async () => {
    const details = await t.api['lab.inspectNetwork']({ container: BOX });
    const expected = JSON.parse(await dockerCli('inspect', '--format', '{{json .NetworkSettings}}', BOX)) as {
      Networks: Record<string, { IPAddress: string; MacAddress: string; Gateway: string }>;
      SandboxKey: string;
    };
    expect(details.container).toBe(BOX);
    expect(details.NetworkMode).toBe(NET);
    expect(Object.keys(details.Networks)).toEqual([NET]);
    expect(details.Networks[NET]).toMatchObject({
      IPAddress: expected.Networks[NET]!.IPAddress,
      MacAddress: expected.Networks[NET]!.MacAddress,
      Gateway: expected.Networks[NET]!.Gateway,
    });
    expect(expected.Networks[NET]!.IPAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(details.SandboxKey).toBe(expected.SandboxKey);
    expect(details.Ports['80/tcp']?.[0]).toMatchObject({ HostIp: '127.0.0.1' });
  });

  it('refuses a container the lab does not track, and a malformed name', async () => {
    await expect(t.api['lab.inspectNetwork']({ container: `${PREFIX}absent` })).rejects.toThrow(/no container "itest-map-absent"/);
    expect(methods['lab.inspectNetwork'].input.safeParse({ container: '../etc' }).success).toBe(false);
    expect(methods['lab.inspectNetwork'].input.safeParse({ container: BOX, extra: 1 }).success).toBe(false);
  });
});
