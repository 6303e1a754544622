// 5. Lab reset: 6 containers on 2 networks created by a command typed in the
// host shell (over the WebSocket), then `lab.reset` timed; nothing may leak
// and a container of ours created before the lab opened must survive.
// Baseline: the same 6 containers and 2 networks removed one by one with the CLI.
import { dockerCli, PREFIX, removeByPrefix } from '../lib/docker';
import { startServe } from '../lib/serve';
import { p50, p95, poll, retry } from '../lib/stats';
import { result, type Scenario } from '../lib/types';
import { ApiClient } from '../lib/ws';

const TAG = `${PREFIX}rst-`;
const NETS = [`${TAG}net-a`, `${TAG}net-b`];
const BOXES = [1, 2, 3, 4, 5, 6].map((i) => ({ name: `${TAG}box${i}`, net: NETS[i % 2] ?? NETS[0] ?? '' }));
const KEEP = `${TAG}keep`;

/** One shell command line that creates the whole lab (each run detached, the shell waits for the CLI). */
function createLine(): string {
  return [...NETS.map((n) => `docker network create ${n} >/dev/null`), ...BOXES.map((b) => `docker run -d --name ${b.name} --net ${b.net} busybox sleep 600 >/dev/null`)].join(' && ');
}

async function cliRemoval(): Promise<number> {
  await removeByPrefix(`${TAG}box`);
  await removeByPrefix(`${TAG}net`);
  for (const n of NETS) await dockerCli('network', 'create', n);
  for (const b of BOXES) await dockerCli('run', '-d', '--name', b.name, '--net', b.net, 'busybox', 'sleep', '600');
  const t0 = performance.now();
  for (const b of BOXES) await dockerCli('rm', '-f', b.name);
  for (const n of NETS) await dockerCli('network', 'rm', n);
  return performance.now() - t0;
}

export const labReset: Scenario = {
  name: 'lab-reset',
  description: 'lab.reset of 6 containers on 2 networks',
  async run(ctx) {
    const trials = ctx.quick ? 2 : 5;
    await removeByPrefix(TAG);
    const base: number[] = [];
    for (let i = 0; i < trials; i++) base.push(await retry(cliRemoval, 4, ctx.log));

    await dockerCli('run', '-d', '--name', KEEP, 'busybox', 'sleep', '3600');
    const serve = await startServe();
    const api = await ApiClient.connect(serve);
    const samples: number[] = [];
    const problems: string[] = [];
    try {
      await api.call('lab.open', { lessonId: 'dns' });
      const host = await api.openHost();
      const trial = async (i: number): Promise<void> => {
        await removeByPrefix(`${TAG}box`);
        await removeByPrefix(`${TAG}net`);
        const rec = await api?.run(host, createLine());
        if (!api || !rec || rec.exitCode !== 0) throw new Error(`creating the lab failed (exit ${rec?.exitCode})`);
        // Wait until the tracker attributes all of it to the lab.
        const client = api;
        await poll(async () => {
          const topo = await client.call('lab.topology', {});
          const mine = BOXES.every((b) => topo.containers.some((c) => c.name === b.name && c.createdByLab));
          const nets = NETS.every((n) => topo.networks.some((x) => x.name === n && x.createdByLab));
          return mine && nets;
        }, 'the lab to own its 6 containers and 2 networks', 30_000);
        const t0 = performance.now();
        const res = await client.call('lab.reset', {});
        samples.push(performance.now() - t0);
        const removed = new Set([...res.removedContainers, ...res.removedNetworks]);
        const missing = [...BOXES.map((b) => b.name), ...NETS].filter((n) => !removed.has(n));
        if (missing.length) problems.push(`trial ${i + 1}: reset did not report ${missing.join(', ')}`);
        if (res.failed.length) problems.push(`trial ${i + 1}: failed ${res.failed.map((f) => `${f.name} (${f.message})`).join(', ')}`);
        const left = [...(await dockerCli('ps', '-a', '--format', '{{.Names}}')).split('\n'), ...(await dockerCli('network', 'ls', '--format', '{{.Name}}')).split('\n')];
        const leaked = left.filter((n) => n.startsWith(TAG) && n !== KEEP);
        if (leaked.length) problems.push(`trial ${i + 1}: leaked ${leaked.join(', ')}`);
        if (!left.includes(KEEP)) problems.push(`trial ${i + 1}: our pre-existing ${KEEP} was removed`);
      };
      for (let i = 0; i < trials; i++) await retry(() => trial(i), 4, ctx.log);
      ctx.log(`lab.reset p95 ${p95(samples).toFixed(0)} ms; CLI p95 ${p95(base).toFixed(0)} ms${problems.length ? `; ${problems.join('; ')}` : ''}`);
    } finally {
      api.close();
      await serve.stop();
      await removeByPrefix(TAG);
    }
    return [
      result('lab reset p95', p95(samples), 'ms', p95(base), { max: 1500 }, `${trials} trials (p50 ${p50(samples).toFixed(0)} ms); baseline sequential docker rm -f ×6 + docker network rm ×2`),
      result('lab reset problems', problems.length, 'count', null, { max: 0 }, problems.length ? problems.join('; ') : 'nothing leaked, nothing missing, our pre-existing container survived every reset'),
    ];
  },
};
