import { StrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { parseParamFlags, resolveRunOptions, runConfigSchema } from './run-config.js';

function refused(pair: string): StrataError {
  try {
    parseParamFlags([pair]);
  } catch (error) {
    expect(error).toBeInstanceOf(StrataError);
    return error as StrataError;
  }
  throw new Error(`expected --param ${pair} to be refused`);
}

describe('--param k=v', () => {
  it('reads JSON values and falls back to the string', () => {
    expect(parseParamFlags(['n=3', 'flag=true', 'o={"b":2,"a":1}', 's=abc'])).toEqual({
      n: 3,
      flag: true,
      o: { b: 2, a: 1 },
      s: 'abc',
    });
  });

  it('refuses a pair without =, and the fix names the parameter given (not an example of another pipeline)', () => {
    const error = refused('factor');
    expect(error.message).toBe('parameter "factor" is not key=value');
    expect(error.fix).toBe('write --param factor=VALUE');
    expect(refused('=3').fix).toBe('write --param NAME=VALUE');
  });

  it("a dotted name sets one key of a nested param, over the run config's other keys", () => {
    const flags = parseParamFlags(['model.trees=50', 'model.opts.seed=1', 'name=x']);
    expect(flags).toEqual({ model: { trees: 50, opts: { seed: 1 } }, name: 'x' });
    const config = runConfigSchema.parse({ params: { model: { trees: 5, depth: 3 }, list: [1, 2] } });
    expect(resolveRunOptions({ params: { ...flags, list: [3] }, noCache: false }, config).params).toEqual({
      model: { trees: 50, depth: 3, opts: { seed: 1 } },
      name: 'x',
      list: [3],
    });
  });

  it('refuses an empty key and a key inside a param given as a plain value', () => {
    expect(refused('model..trees=1').fix).toBe('separate nested keys with one dot: --param model.trees=50');
    let error: unknown;
    try {
      parseParamFlags(['model=5', 'model.trees=1']);
    } catch (e) {
      error = e;
    }
    expect((error as StrataError).message).toBe(
      'parameter "model.trees" sets a key inside "model", which another --param sets to 5',
    );
  });
});
