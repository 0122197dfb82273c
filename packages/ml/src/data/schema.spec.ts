import { describe, expect, it } from 'vitest';
import { inferSchema, validateSchema } from './schema.js';
import { computeStatistics } from './statistics.js';
import { tableFromRows } from './table.js';

const table = tableFromRows([
  { size: 1.5, color: 'red', flag: true, note: 'x' },
  { size: 3, color: 'blue', flag: false, note: null },
  { size: 2, color: 'red', flag: true, note: 'y' },
]);

describe('inferSchema', () => {
  it('records type, required, range and domain', () => {
    expect(inferSchema(computeStatistics(table))).toEqual({
      version: 1,
      features: [
        { name: 'size', type: 'numeric', required: true, missingRate: 0, range: { min: 1.5, max: 3 } },
        { name: 'color', type: 'categorical', required: true, missingRate: 0, domain: ['blue', 'red'] },
        { name: 'flag', type: 'boolean', required: true, missingRate: 0 },
        {
          name: 'note',
          type: 'categorical',
          required: false,
          missingRate: 0.333333333333,
          domain: ['x', 'y'],
        },
      ],
    });
  });

  it('leaves the domain out when there are too many values', () => {
    const schema = inferSchema(computeStatistics(table), { maxDomainSize: 1 });
    expect(schema.features.find((f) => f.name === 'color')?.domain).toBeUndefined();
  });

  it('produces a schema that validates and survives JSON', () => {
    const schema = inferSchema(computeStatistics(table));
    expect(validateSchema(JSON.parse(JSON.stringify(schema)))).toEqual(schema);
  });
});

describe('validateSchema', () => {
  it('names the offending path', () => {
    expect(() =>
      validateSchema({ version: 1, features: [{ name: 'a', type: 'text', required: true }] }),
    ).toThrow(/features\.0\.type/);
    expect(() =>
      validateSchema({
        version: 1,
        features: [{ name: 'a', type: 'numeric', required: true, missingRate: 0, range: { min: 2, max: 1 } }],
      }),
    ).toThrow(/range.min must not exceed range.max/);
    const feature = { name: 'a', type: 'numeric', required: true, missingRate: 0 };
    expect(() => validateSchema({ version: 1, features: [feature, feature] })).toThrow(/unique/);
  });
});
