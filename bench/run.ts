// `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: runs the scenarios,
// each figure beside a baseline measured in the same run, prints a table and
// writes bench/results.json. Figures are measured, never asserted.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine';
import { ensureBuilt } from './lib/serve';
import { failed, type BenchResult, type Scenario } from './lib/types';
import { checkpoint } from './scenarios/checkpoint';
import { classDashboard } from './scenarios/class-dashboard';
import { classroom } from './scenarios/classroom';
import { echo } from './scenarios/echo';
import { labReady } from './scenarios/lab-ready';
import { labReset } from './scenarios/lab-reset';
import { map } from './scenarios/map';
import { memory } from './scenarios/memory';
import { relay } from './scenarios/relay';
import { scale } from './scenarios/scale';
import { startup } from './scenarios/startup';
import { throughput } from './scenarios/throughput';

export const SCENARIOS: Scenario[] = [echo, throughput, checkpoint, map, labReady, labReset, memory, startup, scale, relay, classroom, classDashboard];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'NO';
  if (typeof v === 'number') return Number.isNaN(v) ? 'n/a' : String(v);
  return String(v);
}

export function table(results: readonly BenchResult[]): string {
  const head = ['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
  const rows = results.map((r) => [r.name, r.value, r.unit, r.baseline, r.ratio, r.target, r.met].map(cell));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(`Usage: npm run bench -- [--quick] [--only NAME[,NAME]] [--out FILE]\n(--only writes no results file unless --out names one)\nScenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(11)} ${s.description}`).join('\n')}`);
    return;
  }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const unknown = only.filter((o) => !SCENARIOS.some((s) => s.name === o));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const chosen = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  const quick = values.quick ?? false;

  const started = Date.now();
  ensureBuilt((m) => console.log(m));
  const machine = await machineInfo();
  const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  const results: BenchResult[] = [];
  for (const scenario of chosen) {
    const t0 = Date.now();
    console.log(`\n▶ ${scenario.name}: ${scenario.description}${quick ? ' (quick)' : ''}`);
    try {
      const got = await scenario.run({ quick, log: (m) => console.log(`  ${m}`) });
      results.push(...got);
    } catch (err) {
      console.log(`  failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      results.push(failed(scenario.name, err));
    }
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  console.log(`\n${table(results)}\n`);
  for (const r of results.filter((x) => x.note)) console.log(`  ${r.name}: ${r.note}`);
  // A partial run must not replace the full table the README quotes.
  const file = values.out ?? (only.length ? undefined : join(__dirname, 'results.json'));
  if (!file) {
    console.log('\n--only: no results file written (pass --out FILE to keep one)');
    process.exit(0);
  }
  await writeFile(file, `${JSON.stringify({ machine, date: new Date().toISOString(), quick, loadAvg: { before: loadBefore, after: loadavg().map((l) => Math.round(l * 100) / 100) }, results }, null, 2)}\n`);
  console.log(`\nwrote ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  // Docker clients and event streams keep sockets open; the run is over.
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
