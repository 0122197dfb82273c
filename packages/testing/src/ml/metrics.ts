import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StrataError } from '@strata/core';

export type Bounds = Readonly<Record<string, readonly [min: number, max: number]>>;

/** Reads `metrics.a.b` style paths from a metrics object. */
function metricAt(metrics: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      metrics,
    );
}

/** A smoke check of trained-model metrics: each named metric must lie within [min, max]. */
export function checkMetricBounds(metrics: object, bounds: Bounds): string[] {
  const problems: string[] = [];
  for (const [name, [min, max]] of Object.entries(bounds)) {
    const value = metricAt(metrics, name);
    if (typeof value !== 'number' || !Number.isFinite(value))
      problems.push(`${name} is ${JSON.stringify(value)}, not a number`);
    else if (value < min || value > max) problems.push(`${name} = ${value} is outside [${min}, ${max}]`);
  }
  return problems;
}

export function expectMetricsWithin(metrics: object, bounds: Bounds): void {
  const problems = checkMetricBounds(metrics, bounds);
  if (problems.length > 0) throw new Error(`metrics out of sane bounds: ${problems.join('; ')}`);
}

export interface BaselineOptions {
  /** Allowed absolute difference per metric (a number for all). Default 1e-9. */
  readonly tolerance?: number | Readonly<Record<string, number>>;
  /**
   * Rewrite the baseline with the current metrics instead of comparing. Default: true only when the
   * environment has STRATA_UPDATE_BASELINES=1, so a baseline never changes by accident.
   */
  readonly update?: boolean;
}

export interface BaselineResult {
  readonly updated: boolean;
  readonly differences: readonly { metric: string; baseline: number; current: number; diff: number }[];
}

/**
 * Regression test: the named metrics must match the JSON baseline file within tolerance. A missing
 * baseline is an error (create it with update: true or STRATA_UPDATE_BASELINES=1).
 */
export async function compareWithBaseline(
  metrics: object,
  names: readonly string[],
  baselinePath: string,
  options: BaselineOptions = {},
): Promise<BaselineResult> {
  const current = Object.fromEntries(names.map((n) => [n, metricAt(metrics, n)]));
  const update = options.update ?? process.env.STRATA_UPDATE_BASELINES === '1';
  if (update) {
    await mkdir(dirname(baselinePath), { recursive: true });
    await writeFile(baselinePath, `${JSON.stringify(current, null, 2)}\n`);
    return { updated: true, differences: [] };
  }
  if (!existsSync(baselinePath)) {
    throw new StrataError(`no metrics baseline at ${baselinePath}`, {
      code: 'missing_baseline',
      field: 'baselinePath',
      value: baselinePath,
      fix: 'record one with STRATA_UPDATE_BASELINES=1 (or update: true) and commit it',
    });
  }
  const baseline = JSON.parse(await readFile(baselinePath, 'utf8')) as Record<string, number>;
  const differences = names.map((metric) => {
    const b = baseline[metric];
    const c = current[metric];
    if (typeof b !== 'number' || typeof c !== 'number') {
      throw new StrataError(`metric "${metric}" is missing from the baseline or the run`, {
        code: 'missing_metric',
        field: metric,
        value: { baseline: b ?? null, current: c ?? null },
        fix: 'update the baseline with STRATA_UPDATE_BASELINES=1 if the metric set changed on purpose',
      });
    }
    return { metric, baseline: b, current: c, diff: Math.abs(c - b) };
  });
  const tolerance = (metric: string) =>
    typeof options.tolerance === 'number' ? options.tolerance : (options.tolerance?.[metric] ?? 1e-9);
  const off = differences.filter((d) => d.diff > tolerance(d.metric));
  if (off.length > 0) {
    throw new Error(
      `metrics differ from the baseline ${baselinePath}: ${off.map((d) => `${d.metric} ${d.current} vs ${d.baseline} (|diff| ${d.diff} > ${tolerance(d.metric)})`).join('; ')}; if intended, rerun with STRATA_UPDATE_BASELINES=1`,
    );
  }
  return { updated: false, differences };
}
