import { StrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { parseParamFlags } from './run-config.js';

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
});
