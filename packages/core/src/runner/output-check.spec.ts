import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ArtifactType, t } from '../artifact-type/artifact-type.js';
import { StrataError } from '../errors/strata-error.js';
import { checkOutputs } from './output-check.js';

function error(declared: Record<string, ArtifactType>, result: unknown): StrataError {
  try {
    checkOutputs('s', declared, result);
  } catch (e) {
    if (e instanceof StrataError) return e;
    throw e;
  }
  throw new Error('expected the check to fail');
}

describe('checkOutputs', () => {
  it('rejects a string, NaN and a bigint for t.number(), naming step, output, expected and received', () => {
    const v = { v: t.number() };
    expect(error(v, { v: 'not a number' }).message).toBe(
      'step "s" output "v": expected a number, received the string "not a number"',
    );
    expect(error(v, { v: Number.NaN }).message).toBe(
      'step "s" output "v": expected a finite number, received the number NaN',
    );
    const big = error(v, { v: 10n });
    expect(big.message).toContain('received the bigint 10n');
    expect(big.fix).toContain('Number(value)');
    expect(big.code).toBe('output_type');
    expect(big.field).toBe('outputs.v');
  });

  it('rejects missing and undeclared outputs', () => {
    expect(error({ a: t.number() }, {}).code).toBe('output_missing');
    const extra = error({ a: t.number() }, { a: 1, b: 2 });
    expect(extra.code).toBe('output_undeclared');
    expect(extra.message).toBe('step "s" returned output "b", which it does not declare');
    expect(error({ a: t.number() }, 5).message).toContain('expected an object with outputs a');
  });

  it('finds values JSON would change, with their path', () => {
    expect(error({ j: t.json() }, { j: Number.NaN }).message).toBe(
      'step "s" output "j": not storable as JSON: NaN is not valid JSON (it would become null)',
    );
    const big = error({ j: t.json() }, { j: { rows: [{ n: 1n }] } });
    expect(big.message).toContain('not storable as JSON at rows[0].n: a bigint is not JSON');
    expect(big.field).toBe('outputs.j.rows[0].n');
    expect(error({ j: t.json() }, { j: { m: new Map() } }).message).toContain('Map would be stored as {}');
    // Nested non-finite numbers follow JSON.stringify (null), as serialized models rely on.
    expect(() =>
      checkOutputs('s', { j: t.json() }, { j: { maxDepth: Number.POSITIVE_INFINITY } }),
    ).not.toThrow();
    expect(() =>
      checkOutputs('s', { j: t.json() }, { j: { a: [1, 'x', null, { d: new Date(0) }] } }),
    ).not.toThrow();
  });

  it('validates t.json(schema) and keeps the schema out of the declared interface', () => {
    const type = t.json(z.object({ accuracy: z.number().min(0).max(1) }));
    expect(JSON.stringify(type)).toBe('{"kind":"json"}');
    expect(() => checkOutputs('s', { m: type }, { m: { accuracy: 0.9 } })).not.toThrow();
    const bad = error({ m: type }, { m: { accuracy: 3 } });
    expect(bad.message).toBe('step "s" output "m": expected a value matching its schema, received an object');
    expect(bad.fix).toMatch(/^at accuracy: /);
  });

  it('says what a table, bytes or file output received instead', () => {
    expect(error({ t: t.table() }, { t: [{ a: 1 }] }).message).toBe(
      'step "s" output "t": expected an Apache Arrow Table, received an array of 1 item',
    );
    expect(() => checkOutputs('s', { t: t.table() }, { t: tableFromArrays({ a: [1, 2] }) })).not.toThrow();
    expect(error({ b: t.bytes() }, { b: 'abc' }).message).toContain('expected a Uint8Array or Buffer');
    const dir = mkdtempSync(join(tmpdir(), 'strata-check-'));
    writeFileSync(join(dir, 'f'), 'x');
    expect(() => checkOutputs('s', { f: t.file() }, { f: { path: join(dir, 'f') } })).not.toThrow();
    expect(error({ f: t.file() }, { f: { path: join(dir, 'nope') } }).message).toContain('does not exist');
    expect(error({ f: t.file() }, { f: { path: dir } }).message).toContain('is not a file');
    expect(error({ f: t.file() }, { f: '/x' }).message).toContain('expected a file reference');
  });
});
