import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors/strata-error.js';
import { describeError } from './step-task.js';

describe('describeError', () => {
  it("records a StrataError's message without its class name, then its fix", () => {
    const error = new StrataError('source s3://b/k: no fingerprinter for s3:// is loaded', {
      code: 'source_scheme_unsupported',
      fix: 'add "@strata/s3" to "plugins" in .strata/config.json',
    });
    expect(describeError(error).error).toBe(
      'source s3://b/k: no fingerprinter for s3:// is loaded; fix: add "@strata/s3" to "plugins" in .strata/config.json',
    );
  });

  it('does not repeat a fix the message already holds, and keeps other classes named', () => {
    const error = new StrataError('bad value; fix: use 3', { code: 'invalid_param', fix: 'use 3' });
    expect(describeError(error).error).toBe('bad value; fix: use 3');
    expect(describeError(new TypeError('x is not a function')).error).toBe('TypeError: x is not a function');
    // An error rebuilt from a worker keeps its name and fix, not its class.
    const rebuilt = Object.assign(new Error('corrupt'), { name: 'IntegrityError', fix: 're-run it' });
    expect(describeError(rebuilt).error).toBe('IntegrityError: corrupt; fix: re-run it');
    expect(describeError('plain').error).toBe('plain');
  });
});
