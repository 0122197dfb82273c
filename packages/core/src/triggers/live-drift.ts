import type { JsonValue } from '../metadata/records.js';
import type { ServingWindowRecord } from './trigger-records.js';

/** What a model version was trained on, per input feature (from its fitted transform). */
export type FeatureBaseline =
  | { readonly kind: 'numeric'; readonly mean: number; readonly std: number }
  | { readonly kind: 'categorical'; readonly categories: readonly string[] };

type NumericSketch = { n: number; sum: number; sumSq: number };
type CategoricalSketch = { n: number; unseen: number };

/**
 * Live inputs of one window, summarized in constant space per feature (sums, not rows), with the
 * version's baseline beside them so drift can be judged from the store alone.
 */
export interface InputSketch {
  readonly baseline: Readonly<Record<string, FeatureBaseline>>;
  readonly features: Record<string, NumericSketch | CategoricalSketch>;
}

export function sketchRows(
  baseline: Readonly<Record<string, FeatureBaseline>>,
  rows: readonly Readonly<Record<string, unknown>>[],
): InputSketch {
  const features: InputSketch['features'] = {};
  for (const [name, base] of Object.entries(baseline)) {
    if (base.kind === 'numeric') {
      const s: NumericSketch = { n: 0, sum: 0, sumSq: 0 };
      for (const row of rows) {
        const v = Number(row[name]);
        if (row[name] === null || row[name] === undefined || row[name] === '' || !Number.isFinite(v))
          continue;
        s.n++;
        s.sum += v;
        s.sumSq += v * v;
      }
      features[name] = s;
    } else {
      const known = new Set(base.categories);
      const s: CategoricalSketch = { n: 0, unseen: 0 };
      for (const row of rows) {
        if (row[name] === null || row[name] === undefined) continue;
        s.n++;
        if (!known.has(String(row[name]))) s.unseen++;
      }
      features[name] = s;
    }
  }
  return { baseline, features };
}

export function mergeSketches(a: InputSketch | undefined, b: InputSketch): InputSketch {
  if (!a) return b;
  const features: InputSketch['features'] = { ...a.features };
  for (const [name, s] of Object.entries(b.features)) {
    const prev = features[name];
    if (!prev) features[name] = { ...s };
    else if ('sum' in s && 'sum' in prev)
      features[name] = { n: prev.n + s.n, sum: prev.sum + s.sum, sumSq: prev.sumSq + s.sumSq };
    else if ('unseen' in s && 'unseen' in prev)
      features[name] = { n: prev.n + s.n, unseen: prev.unseen + s.unseen };
  }
  return { baseline: b.baseline, features };
}

export interface LiveDrift {
  /** Share of features that drifted; null when no feature has observations. */
  readonly share: number | null;
  /** Rows seen (the largest per-feature count). */
  readonly n: number;
  readonly drifted: readonly string[];
  readonly features: Readonly<
    Record<string, { readonly score: number; readonly drifted: boolean; readonly why: string }>
  >;
}

/** A numeric feature drifts when its live mean moved this many training standard deviations. */
export const MEAN_SHIFT_LIMIT = 0.5;
/** …or its live spread is outside this factor of the training one. */
export const SPREAD_FACTOR_LIMIT = 2;
/** A categorical feature drifts when this share of live values was never seen in training. */
export const UNSEEN_SHARE_LIMIT = 0.1;

/**
 * Drift of live inputs against the version's training statistics, over the input windows given: the
 * one computation behind the model-health trigger (metric drift) and the model server's /metadata.
 */
export function liveDrift(windows: readonly ServingWindowRecord[]): LiveDrift {
  let total: InputSketch | undefined;
  for (const w of windows)
    if (w.kind === 'inputs' && w.stats) total = mergeSketches(total, w.stats as unknown as InputSketch);
  if (!total) return { share: null, n: 0, drifted: [], features: {} };
  const features: Record<string, { score: number; drifted: boolean; why: string }> = {};
  let n = 0;
  for (const [name, base] of Object.entries(total.baseline)) {
    const s = total.features[name];
    if (!s || s.n === 0) continue;
    n = Math.max(n, s.n);
    if (base.kind === 'numeric' && 'sum' in s) {
      const mean = s.sum / s.n;
      const std = Math.sqrt(Math.max(0, s.sumSq / s.n - mean * mean));
      const scale = base.std > 0 ? base.std : 1;
      const shift = Math.abs(mean - base.mean) / scale;
      const spread = base.std > 0 && std > 0 ? Math.max(std / base.std, base.std / std) : 1;
      const drifted = shift > MEAN_SHIFT_LIMIT || (s.n > 1 && spread > SPREAD_FACTOR_LIMIT);
      features[name] = {
        score: round(shift),
        drifted,
        why: `mean ${round(mean)} vs ${base.mean} (${round(shift)} std), spread x${round(spread)}`,
      };
    } else if ('unseen' in s) {
      const share = s.unseen / s.n;
      features[name] = {
        score: round(share),
        drifted: share > UNSEEN_SHARE_LIMIT,
        why: `${round(share * 100)}% unseen categories`,
      };
    }
  }
  const names = Object.keys(features);
  const drifted = names.filter((k) => features[k]!.drifted);
  return { share: names.length === 0 ? null : drifted.length / names.length, n, drifted, features };
}

export function sketchJson(sketch: InputSketch): JsonValue {
  return sketch as unknown as JsonValue;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
