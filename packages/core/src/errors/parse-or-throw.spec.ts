import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOrThrow } from './parse-or-throw.js';
import { CompileError, StrataError } from './strata-error.js';

const schema = z.object({ trees: z.number().int(), depth: z.number(), name: z.string() });

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(
      parseOrThrow(schema, { trees: 3, depth: 2, name: 'x' }, { code: 'invalid_param', what: 'x', fix: 'f' }),
    ).toEqual({ trees: 3, depth: 2, name: 'x' });
  });

  it('reports every problem, the fields with their prefix and the first value', () => {
    let error: unknown;
    try {
      parseOrThrow(
        schema,
        { trees: 1.5, depth: 'deep' },
        {
          code: 'invalid_param',
          what: 'step "train"',
          fieldPrefix: 'params',
          fix: (p) => `fix ${p[0]!.field}`,
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StrataError);
    const e = error as StrataError;
    expect(e.code).toBe('invalid_param');
    expect(e.message).toMatch(
      /^step "train": 3 problems: "params\.trees" .*; "params\.depth" .*; "params\.name" /,
    );
    expect(e.field).toBe('params.trees, params.depth, params.name');
    expect(e.value).toBe(1.5);
    expect(e.fix).toBe('fix params.trees');
  });

  it('raises a CompileError when asked', () => {
    expect(() =>
      parseOrThrow(z.number(), 'x', { code: 'invalid_param', what: 'p', fix: 'f', compile: true }),
    ).toThrow(CompileError);
  });
});
