import { describe, expect, it } from 'vitest';
import { inferSchema } from './schema.js';
import { computeStatistics } from './statistics.js';
import { tableFromRows } from './table.js';
import { validateDataset } from './validate.js';

const training = tableFromRows(
  Array.from({ length: 100 }, (_, i) => ({
    age: 20 + (i % 50),
    plan: i % 2 === 0 ? 'basic' : 'pro',
    score: i % 10 === 0 ? null : i / 100,
  })),
);
const schema = inferSchema(computeStatistics(training));

describe('validateDataset', () => {
  it('finds nothing wrong with the data the schema came from', () => {
    expect(validateDataset(training, schema)).toEqual({ ok: true, anomalies: [] });
  });

  it('reports each kind of anomaly with a readable detail', () => {
    const serving = tableFromRows([
      { age: 150, plan: 'enterprise', score: null, extra: 1 },
      { age: null, plan: 'basic', score: null, extra: 2 },
      { age: 30, plan: 'pro', score: 0.5, extra: 3 },
    ]);
    const { ok, anomalies } = validateDataset(serving, schema);
    expect(ok).toBe(false);
    expect(anomalies.map((a) => [a.column, a.kind, a.severity])).toEqual([
      ['age', 'missing_values', 'error'],
      ['age', 'out_of_range', 'error'],
      ['plan', 'out_of_domain', 'error'],
      ['score', 'missing_rate_jump', 'warning'],
      ['extra', 'unexpected_column', 'warning'],
    ]);
    expect(anomalies[1]?.detail).toBe('Column "age" has 1 value(s) outside [20, 69] (seen 150 to 150).');
    expect(anomalies[2]?.detail).toContain('"enterprise"');
    expect(anomalies[3]?.detail).toBe(
      'Column "score" is missing in 66.67% of rows, up from 10% (tolerance 5%).',
    );
  });

  it('reports missing columns and type changes', () => {
    const serving = tableFromRows([{ age: 'thirty', score: 0.1 }]);
    const { anomalies } = validateDataset(serving, schema, { reportUnexpectedColumns: false });
    expect(anomalies).toEqual([
      {
        column: 'age',
        kind: 'type_mismatch',
        detail: 'Column "age" should be numeric but is categorical.',
        severity: 'error',
      },
      {
        column: 'plan',
        kind: 'missing_column',
        detail: 'Column "plan" (categorical) is in the schema but not in the data.',
        severity: 'error',
      },
    ]);
  });

  it('lets the tolerance absorb a small missing-rate rise', () => {
    const serving = tableFromRows([
      { age: 30, plan: 'pro', score: null },
      { age: 31, plan: 'pro', score: 0.2 },
      { age: 32, plan: 'pro', score: 0.3 },
      { age: 33, plan: 'pro', score: 0.3 },
      { age: 34, plan: 'pro', score: 0.3 },
    ]);
    expect(validateDataset(serving, schema).ok).toBe(true);
    expect(validateDataset(serving, schema, { missingRateTolerance: 0.5 }).anomalies).toEqual([]);
    expect(
      validateDataset(serving, schema, { missingRateTolerance: 0 }).anomalies.map((a) => a.kind),
    ).toEqual(['missing_rate_jump']);
  });
});
