// What every scenario returns and how a figure is judged against its target.

/** A target: every bound given must hold. Ratios are value / baseline. */
export interface Target {
  max?: number;
  /** Strictly below. */
  below?: number;
  min?: number;
  ratioMax?: number;
  ratioMin?: number;
}

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same kind of figure for the floor measured in the same run; null when there is none. */
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  /** The target in words, e.g. "<= 5 ms"; null when the figure is only reported. */
  target: string | null;
  met: boolean | null;
  /** How it was measured, sample counts, actual durations, checks that failed. */
  note?: string;
}

export interface ScenarioContext {
  quick: boolean;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: ScenarioContext): Promise<BenchResult[]>;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function describeTarget(t: Target, unit: string): string {
  const parts: string[] = [];
  if (t.max !== undefined) parts.push(`<= ${t.max} ${unit}`);
  if (t.below !== undefined) parts.push(`< ${t.below} ${unit}`);
  if (t.min !== undefined) parts.push(`>= ${t.min} ${unit}`);
  if (t.ratioMax !== undefined) parts.push(`ratio <= ${t.ratioMax}`);
  if (t.ratioMin !== undefined) parts.push(`ratio >= ${t.ratioMin}`);
  return parts.join(' & ');
}

export function result(
  name: string,
  value: number,
  unit: string,
  baseline: number | null,
  target?: Target,
  note?: string,
): BenchResult {
  const ratio = baseline !== null && baseline !== 0 && Number.isFinite(value) ? round(value / baseline, 3) : null;
  let met: boolean | null = null;
  if (target) {
    const checks: boolean[] = [];
    if (target.max !== undefined) checks.push(value <= target.max);
    if (target.below !== undefined) checks.push(value < target.below);
    if (target.min !== undefined) checks.push(value >= target.min);
    if (target.ratioMax !== undefined) checks.push(ratio !== null && ratio <= target.ratioMax);
    if (target.ratioMin !== undefined) checks.push(ratio !== null && ratio >= target.ratioMin);
    met = Number.isFinite(value) && checks.every(Boolean);
  }
  return {
    name,
    value: Number.isFinite(value) ? round(value) : value,
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio,
    target: target ? describeTarget(target, unit) : null,
    met,
    ...(note ? { note } : {}),
  };
}

/** A scenario that could not run: reported as a row rather than aborting the suite. */
export function failed(name: string, err: unknown): BenchResult {
  return {
    name,
    value: Number.NaN,
    unit: '',
    baseline: null,
    ratio: null,
    target: null,
    met: false,
    note: `did not run: ${err instanceof Error ? err.message : String(err)}`,
  };
}
