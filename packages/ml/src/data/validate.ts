import type { Table } from 'apache-arrow';
import { round } from './numeric.js';
import type { DatasetSchema, FeatureSchema } from './schema.js';
import { columnNames, columnType, columnValues, toCategory, toNumber } from './table.js';

export type AnomalyKind =
  | 'missing_column'
  | 'unexpected_column'
  | 'type_mismatch'
  | 'missing_values'
  | 'missing_rate_jump'
  | 'out_of_domain'
  | 'out_of_range';

export interface Anomaly {
  readonly column: string;
  readonly kind: AnomalyKind;
  /** A sentence a user can act on, with the numbers. */
  readonly detail: string;
  readonly severity: 'error' | 'warning';
}

export interface ValidationResult {
  /** True when no anomaly has severity error. */
  readonly ok: boolean;
  readonly anomalies: Anomaly[];
}

export interface ValidateOptions {
  /** Missing rate may exceed the schema's by this much (absolute) before it is flagged. Default 0.05. */
  readonly missingRateTolerance?: number;
  /** Report columns the schema does not know (as warnings). Default true. */
  readonly reportUnexpectedColumns?: boolean;
}

/** Compare a dataset with a schema and list what does not fit. */
export function validateDataset(
  table: Table,
  schema: DatasetSchema,
  options: ValidateOptions = {},
): ValidationResult {
  const anomalies: Anomaly[] = [];
  const present = new Set(columnNames(table));
  for (const feature of schema.features) {
    if (!present.has(feature.name)) {
      anomalies.push({
        column: feature.name,
        kind: 'missing_column',
        detail: `Column "${feature.name}" (${feature.type}) is in the schema but not in the data.`,
        severity: feature.required ? 'error' : 'warning',
      });
      continue;
    }
    anomalies.push(...featureAnomalies(table, feature, options.missingRateTolerance ?? 0.05));
  }
  if (options.reportUnexpectedColumns ?? true) {
    const known = new Set(schema.features.map((f) => f.name));
    for (const name of columnNames(table)) {
      if (!known.has(name)) {
        anomalies.push({
          column: name,
          kind: 'unexpected_column',
          detail: `Column "${name}" is in the data but not in the schema.`,
          severity: 'warning',
        });
      }
    }
  }
  return { ok: anomalies.every((a) => a.severity !== 'error'), anomalies };
}

function featureAnomalies(table: Table, feature: FeatureSchema, tolerance: number): Anomaly[] {
  const { name } = feature;
  const actualType = columnType(table, name);
  if (actualType !== feature.type) {
    return [
      {
        column: name,
        kind: 'type_mismatch',
        detail: `Column "${name}" should be ${feature.type} but is ${actualType}.`,
        severity: 'error',
      },
    ];
  }
  const anomalies: Anomaly[] = [];
  const values = columnValues(table, name);
  const missing = values.filter((v) => v === null).length;
  const missingRate = values.length === 0 ? 0 : missing / values.length;
  if (feature.required && missing > 0) {
    anomalies.push({
      column: name,
      kind: 'missing_values',
      detail: `Column "${name}" is required but ${missing} of ${values.length} values are missing.`,
      severity: 'error',
    });
  } else if (missingRate > feature.missingRate + tolerance) {
    anomalies.push({
      column: name,
      kind: 'missing_rate_jump',
      detail:
        `Column "${name}" is missing in ${percent(missingRate)} of rows, up from ${percent(feature.missingRate)} ` +
        `(tolerance ${percent(tolerance)}).`,
      severity: 'warning',
    });
  }
  if (feature.domain) {
    const domain = new Set(feature.domain);
    const unexpected = new Map<string, number>();
    for (const value of values.map(toCategory)) {
      if (value !== null && !domain.has(value)) unexpected.set(value, (unexpected.get(value) ?? 0) + 1);
    }
    if (unexpected.size > 0) {
      const total = [...unexpected.values()].reduce((a, b) => a + b, 0);
      const examples = [...unexpected.keys()].sort().slice(0, 5);
      anomalies.push({
        column: name,
        kind: 'out_of_domain',
        detail:
          `Column "${name}" has ${total} value(s) outside its domain (${unexpected.size} distinct, ` +
          `e.g. ${examples.map((v) => JSON.stringify(v)).join(', ')}); allowed: ${feature.domain.join(', ')}.`,
        severity: 'error',
      });
    }
  }
  if (feature.range) {
    const { min, max } = feature.range;
    const numbers = values.map(toNumber).filter((v): v is number => v !== null);
    const outside = numbers.filter((v) => v < min || v > max);
    if (outside.length > 0) {
      const lowest = outside.reduce((a, b) => Math.min(a, b));
      const highest = outside.reduce((a, b) => Math.max(a, b));
      anomalies.push({
        column: name,
        kind: 'out_of_range',
        detail:
          `Column "${name}" has ${outside.length} value(s) outside [${min}, ${max}] ` +
          `(seen ${lowest} to ${highest}).`,
        severity: 'error',
      });
    }
  }
  return anomalies;
}

function percent(rate: number): string {
  return `${round(rate * 100, 4)}%`;
}
