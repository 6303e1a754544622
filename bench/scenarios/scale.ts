// 8. Scale. Lessons: lessons/07-dns copied 200 times with new ids into a temp
// folder, loaded and validated with loadLessons (baseline: only reading the
// same 600 files and parsing the YAML). Tracker: a LabTracker follows 200
// containers created, then removed, in parallel batches of 20 through the
// API; from the last API reply to the tracker's model matching
// `docker ps -a` for those names (baseline: one full `docker ps -a` listing).
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LabTracker } from '../../electron/services/lab/tracker';
import { loadLessons } from '../../electron/services/lessons/loader';
import { BENCH_LABEL, docker, PREFIX, removeByPrefix } from '../lib/docker';
import { ROOT } from '../lib/serve';
import { p50, poll } from '../lib/stats';
import { result, type BenchResult, type Scenario } from '../lib/types';

const LESSONS = 200;
const TAG = `${PREFIX}burst-`;

async function lessonCopies(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netlab-bench-lessons-'));
  const src = join(ROOT, 'lessons/07-dns');
  for (let i = 0; i < LESSONS; i++) {
    const dest = join(dir, `l${String(i).padStart(3, '0')}`);
    await cp(src, dest, { recursive: true });
    const manifest = join(dest, 'lesson.yaml');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/^id: dns$/m, `id: dns-bench-${i}`));
  }
  return dir;
}

async function rawParse(dir: string): Promise<void> {
  for (const folder of await readdir(dir)) {
    for (const f of await readdir(join(dir, folder))) {
      const text = await readFile(join(dir, folder, f), 'utf8');
      if (f.endsWith('.yaml')) parse(text);
    }
  }
}

async function inBatches(items: string[], size: number, fn: (item: string) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function trackerBurst(count: number): Promise<{ created: number; removed: number; list: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'netlab-bench-tracker-'));
  const tracker = new LabTracker(docker(), { ledgerFile: join(dir, 'ledger.json') });
  const names = Array.from({ length: count }, (_, i) => `${TAG}${process.pid}-${i}`);
  const inModel = (): number => tracker.topology().containers.filter((c) => c.name.startsWith(TAG)).length;
  const onEngine = async (): Promise<number> =>
    (await docker().listContainers({ all: true, filters: { name: [TAG] } })).filter((c) => c.Names.some((n) => n.startsWith(`/${TAG}`))).length;
  try {
    await tracker.start();
    const l0 = performance.now();
    await docker().listContainers({ all: true });
    const list = performance.now() - l0;

    await inBatches(names, 20, (name) => docker().createContainer({ name, Image: 'busybox', Cmd: ['true'], Labels: { [BENCH_LABEL]: '1' } }));
    const c0 = performance.now();
    await poll(() => inModel() === count, `the tracker to see ${count} containers (has ${inModel()})`, 60_000, 2);
    const created = performance.now() - c0;
    const engineCount = await onEngine();
    if (engineCount !== count || inModel() !== engineCount) throw new Error(`model ${inModel()} ≠ docker ps -a ${engineCount}`);

    await inBatches(names, 20, (name) => docker().getContainer(name).remove({ force: true }));
    const r0 = performance.now();
    await poll(() => inModel() === 0, `the tracker to see them gone (has ${inModel()})`, 60_000, 2);
    const removed = performance.now() - r0;
    if ((await onEngine()) !== 0) throw new Error('containers left on the engine');
    return { created, removed, list };
  } finally {
    await tracker.stop();
    await removeByPrefix(TAG);
    await rm(dir, { recursive: true, force: true });
  }
}

export const scale: Scenario = {
  name: 'scale',
  description: '200 generated lessons loaded; tracker convergence after a 200-container burst',
  async run(ctx) {
    const trials = ctx.quick ? 1 : 3;
    const dir = await lessonCopies();
    const results: BenchResult[] = [];
    try {
      const load: number[] = [];
      const raw: number[] = [];
      let note = '';
      for (let i = 0; i < trials; i++) {
        const r0 = performance.now();
        await rawParse(dir);
        raw.push(performance.now() - r0);
        const t0 = performance.now();
        const loaded = await loadLessons(dir, 'extra');
        load.push(performance.now() - t0);
        note = `${loaded.lessons.length} lessons loaded, ${loaded.problems.length} problems${loaded.problems[0] ? ` (first: ${loaded.problems[0].file}:${loaded.problems[0].line} ${loaded.problems[0].message})` : ''}`;
      }
      ctx.log(`loadLessons ×${LESSONS} p50 ${p50(load).toFixed(0)} ms (${note})`);
      results.push(result(`load ${LESSONS} lessons`, p50(load), 'ms', p50(raw), { below: 1000 }, `p50 of ${trials}; ${note}; baseline reading the same files + YAML parse only`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const count = 200;
    const burst = await trackerBurst(count);
    ctx.log(`tracker converged ${burst.created.toFixed(0)} ms after creates, ${burst.removed.toFixed(0)} ms after removes`);
    results.push(
      result(`tracker converge after ${count} creates`, burst.created, 'ms', burst.list, undefined, 'last create reply → model holds all of them (equal to docker ps -a); baseline one full docker ps -a listing'),
      result(`tracker converge after ${count} removes`, burst.removed, 'ms', burst.list, undefined, 'last remove reply → model holds none of them'),
    );
    return results;
  },
};
