/**
 * Recognises the JSON artifacts of @strata/ml by shape (they are plain `t.json` outputs, so their
 * kind says only "json"): dataset statistics, a schema, a validation report, a drift result, a model
 * evaluation (with or without its baseline). Anything else is shown as a JSON tree.
 */
export interface HistogramData {
  edges: number[];
  counts: number[];
}

export interface FeatureStats {
  name: string;
  type: 'numeric' | 'categorical' | 'boolean';
  count: number;
  missing: number;
  missingRate: number;
  mean?: number | null;
  std?: number | null;
  min?: number | null;
  max?: number | null;
  histogram?: HistogramData | null;
  distinct?: number;
  topValues?: { value: string; count: number }[];
  trueCount?: number;
  falseCount?: number;
}

export interface Statistics {
  rowCount: number;
  features: Record<string, FeatureStats>;
}

export interface FeatureDrift {
  name: string;
  type: string;
  psi: number | null;
  ks: { statistic: number; pValue: number } | null;
  drifted: boolean;
  reasons: string[];
}

export interface Drift {
  drifted: string[];
  features: FeatureDrift[];
  thresholds: { psi: number; ksPValue: number };
}

export interface Anomaly {
  column: string;
  kind: string;
  detail: string;
  severity: 'error' | 'warning';
}

export interface ClassificationMetrics {
  count: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  rocAuc: number | null;
  perClass: { class: string; precision: number; recall: number; f1: number; support: number }[];
  confusionMatrix: { labels: string[]; matrix: number[][] };
}

export interface RegressionMetrics {
  count: number;
  rmse: number;
  mae: number;
  r2: number | null;
}

export interface Evaluation {
  task: string;
  metrics: ClassificationMetrics | RegressionMetrics;
  slices: {
    column: string;
    slice: string;
    count: number;
    metrics: ClassificationMetrics | RegressionMetrics;
  }[];
}

export interface SchemaReport {
  version: number;
  features: {
    name: string;
    type: string;
    required: boolean;
    missingRate: number;
    range?: { min: number; max: number };
    domain?: string[];
  }[];
}

export type Report =
  | { kind: 'statistics'; value: Statistics }
  | { kind: 'schema'; value: SchemaReport }
  | { kind: 'validation'; ok: boolean; anomalies: Anomaly[]; drift: Drift }
  | { kind: 'drift'; value: Drift }
  | {
      kind: 'evaluation';
      candidate: Evaluation;
      baseline: { version: number; evaluation: Evaluation } | null;
    };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDrift(v: unknown): v is Drift {
  return isObject(v) && Array.isArray(v.drifted) && Array.isArray(v.features) && isObject(v.thresholds);
}

function isEvaluation(v: unknown): v is Evaluation {
  return isObject(v) && typeof v.task === 'string' && isObject(v.metrics) && Array.isArray(v.slices);
}

export function detectReport(value: unknown): Report | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.rowCount === 'number' && isObject(value.features)) {
    return { kind: 'statistics', value: value as unknown as Statistics };
  }
  if (value.version === 1 && Array.isArray(value.features)) {
    return { kind: 'schema', value: value as unknown as SchemaReport };
  }
  if (isObject(value.anomalies) && Array.isArray(value.anomalies.anomalies) && isDrift(value.drift)) {
    return {
      kind: 'validation',
      ok: value.ok === true,
      anomalies: value.anomalies.anomalies as Anomaly[],
      drift: value.drift,
    };
  }
  if (isDrift(value)) return { kind: 'drift', value };
  if (isEvaluation(value.candidate)) {
    const baseline =
      isObject(value.baseline) && isEvaluation(value.baseline.evaluation) ? value.baseline : null;
    return {
      kind: 'evaluation',
      candidate: value.candidate,
      baseline: baseline as { version: number; evaluation: Evaluation } | null,
    };
  }
  if (isEvaluation(value)) return { kind: 'evaluation', candidate: value, baseline: null };
  return undefined;
}

export function isClassification(m: ClassificationMetrics | RegressionMetrics): m is ClassificationMetrics {
  return 'confusionMatrix' in m;
}
