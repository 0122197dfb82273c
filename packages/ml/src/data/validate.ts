import { type RecordBatch, Table } from 'apache-arrow';
import { round } from './numeric.js';
import type { DatasetSchema, FeatureSchema } from './schema.js';
import type { Cell, ColumnType } from './table.js';
import { columnNames, columnType, columnValues, toCategory, toNumber } from './table.js';
import { float64Column, isPlainUtf8, utf8Counts } from './typed-columns.js';

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

/**
 * Compare a dataset with a schema and list what does not fit: one pass over the table's record
 * batches, reading Arrow buffers (no JS value per cell beyond a categorical's decoded strings).
 */
export function validateDataset(
  table: Table,
  schema: DatasetSchema,
  options: ValidateOptions = {},
): ValidationResult {
  const check = new DatasetCheck(schema, options);
  for (const batch of table.batches) check.add(new Table(batch));
  if (table.batches.length === 0) check.add(table);
  return check.result();
}

/** The same check over a stream of record batches, in bounded memory. */
export async function validateBatches(
  batches: AsyncIterable<RecordBatch | Table>,
  schema: DatasetSchema,
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  const check = new DatasetCheck(schema, options);
  for await (const batch of batches) check.add(batch instanceof Table ? batch : new Table(batch));
  return check.result();
}

interface FeatureTally {
  type: ColumnType | null;
  rows: number;
  missing: number;
  unexpected: Map<string, number>;
  outside: number;
  lowest: number;
  highest: number;
}

/** Per-feature tallies across batches; the anomalies are read at the end. */
class DatasetCheck {
  private readonly tallies = new Map<string, FeatureTally>();
  private readonly columns = new Set<string>();
  private readonly domains = new Map<string, Set<string>>();

  constructor(
    private readonly schema: DatasetSchema,
    private readonly options: ValidateOptions,
  ) {
    for (const feature of schema.features) {
      if (feature.domain) this.domains.set(feature.name, new Set(feature.domain));
    }
  }

  add(table: Table): void {
    for (const name of columnNames(table)) this.columns.add(name);
    for (const feature of this.schema.features) {
      if (!table.getChild(feature.name)) continue;
      let tally = this.tallies.get(feature.name);
      if (!tally) {
        tally = {
          type: columnType(table, feature.name),
          rows: 0,
          missing: 0,
          unexpected: new Map(),
          outside: 0,
          lowest: Number.POSITIVE_INFINITY,
          highest: Number.NEGATIVE_INFINITY,
        };
        this.tallies.set(feature.name, tally);
      }
      if (tally.type !== feature.type) continue;
      this.tallyColumn(tally, table, feature);
    }
  }

  private tallyColumn(tally: FeatureTally, table: Table, feature: FeatureSchema): void {
    const vector = table.getChild(feature.name)!;
    tally.rows += table.numRows;
    const numbers = feature.type === 'numeric' ? float64Column(vector) : undefined;
    if (numbers) {
      const range = feature.range;
      for (let i = 0; i < numbers.length; i++) {
        const v = numbers[i]!;
        if (Number.isNaN(v)) tally.missing++;
        else if (range && Number.isFinite(v) && (v < range.min || v > range.max)) {
          tally.outside++;
          if (v < tally.lowest) tally.lowest = v;
          if (v > tally.highest) tally.highest = v;
        }
      }
      return;
    }
    const domain = this.domains.get(feature.name);
    if (feature.type === 'categorical' && isPlainUtf8(vector)) {
      // Each distinct value is checked once, with its row count.
      const { counts, missing } = utf8Counts(vector);
      tally.missing += missing;
      for (const [value, count] of counts) {
        if (domain && !domain.has(value))
          tally.unexpected.set(value, (tally.unexpected.get(value) ?? 0) + count);
        if (feature.range) this.checkRange(tally, feature.range, toNumber(value), count);
      }
      return;
    }
    for (const value of columnValues(table, feature.name)) {
      if (value === null) {
        tally.missing++;
        continue;
      }
      if (domain) {
        const category = toCategory(value as Cell);
        if (category !== null && !domain.has(category)) {
          tally.unexpected.set(category, (tally.unexpected.get(category) ?? 0) + 1);
        }
      }
      if (feature.range) this.checkRange(tally, feature.range, toNumber(value as Cell), 1);
    }
  }

  /** Counts `times` values `v` when outside the range. */
  private checkRange(
    tally: FeatureTally,
    range: { min: number; max: number },
    v: number | null,
    times: number,
  ) {
    if (v !== null && (v < range.min || v > range.max)) {
      tally.outside += times;
      if (v < tally.lowest) tally.lowest = v;
      if (v > tally.highest) tally.highest = v;
    }
  }

  result(): ValidationResult {
    const anomalies: Anomaly[] = [];
    for (const feature of this.schema.features) {
      const tally = this.tallies.get(feature.name);
      if (!tally) {
        anomalies.push({
          column: feature.name,
          kind: 'missing_column',
          detail: `Column "${feature.name}" (${feature.type}) is in the schema but not in the data.`,
          severity: feature.required ? 'error' : 'warning',
        });
        continue;
      }
      anomalies.push(...featureAnomalies(feature, tally, this.options.missingRateTolerance ?? 0.05));
    }
    if (this.options.reportUnexpectedColumns ?? true) {
      const known = new Set(this.schema.features.map((f) => f.name));
      for (const name of this.columns) {
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
}

function featureAnomalies(feature: FeatureSchema, tally: FeatureTally, tolerance: number): Anomaly[] {
  const { name } = feature;
  if (tally.type !== feature.type) {
    return [
      {
        column: name,
        kind: 'type_mismatch',
        detail: `Column "${name}" should be ${feature.type} but is ${tally.type}.`,
        severity: 'error',
      },
    ];
  }
  const anomalies: Anomaly[] = [];
  const { missing, rows } = tally;
  const missingRate = rows === 0 ? 0 : missing / rows;
  if (feature.required && missing > 0) {
    anomalies.push({
      column: name,
      kind: 'missing_values',
      detail: `Column "${name}" is required but ${missing} of ${rows} values are missing.`,
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
  if (feature.domain && tally.unexpected.size > 0) {
    const total = [...tally.unexpected.values()].reduce((a, b) => a + b, 0);
    const examples = [...tally.unexpected.keys()].sort().slice(0, 5);
    anomalies.push({
      column: name,
      kind: 'out_of_domain',
      detail:
        `Column "${name}" has ${total} value(s) outside its domain (${tally.unexpected.size} distinct, ` +
        `e.g. ${examples.map((v) => JSON.stringify(v)).join(', ')}); allowed: ${feature.domain.join(', ')}.`,
      severity: 'error',
    });
  }
  if (feature.range && tally.outside > 0) {
    const { min, max } = feature.range;
    anomalies.push({
      column: name,
      kind: 'out_of_range',
      detail:
        `Column "${name}" has ${tally.outside} value(s) outside [${min}, ${max}] ` +
        `(seen ${tally.lowest} to ${tally.highest}).`,
      severity: 'error',
    });
  }
  return anomalies;
}

function percent(rate: number): string {
  return `${round(rate * 100, 4)}%`;
}
