import { PassThrough } from 'node:stream';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors/strata-error.js';
import { arrowMaterializer, isArrowTable } from './arrow.js';
import { MaterializerRegistry } from './registry.js';

describe('Arrow tables recognized without importing apache-arrow', () => {
  it('accepts real tables and rejects look-alikes', () => {
    const table = tableFromArrays({ x: Float64Array.from([1, 2]) });
    expect(isArrowTable(table)).toBe(true);
    expect(isArrowTable({ batches: [], schema: { fields: [] } })).toBe(false);
    expect(isArrowTable([1, 2])).toBe(false);
    expect(isArrowTable(null)).toBe(false);
    expect(isArrowTable('Table')).toBe(false);
  });

  it('an `any` output holding a table still goes to the Arrow materializer', () => {
    const table = tableFromArrays({ x: Float64Array.from([1, 2]) });
    const registry = new MaterializerRegistry();
    expect(registry.forValue({ kind: 'any' }, table).id).toBe('strata.arrow');
    expect(registry.forValue({ kind: 'any' }, { batches: [], schema: {} }).id).toBe('strata.json');
  });

  it('refuses a table from another copy of apache-arrow with a StrataError', async () => {
    class Table {
      static readonly [Symbol.toStringTag] = 'Table';
      batches = [];
      schema = { fields: [] };
    }
    const foreign = new Table();
    expect(isArrowTable(foreign)).toBe(true);
    const error = await arrowMaterializer.save(foreign as never, new PassThrough()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).message).toContain('another copy of apache-arrow');
  });
});
