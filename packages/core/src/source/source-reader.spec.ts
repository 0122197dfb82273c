import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors/strata-error.js';
import { sourceChanged, sourceUnreachable } from './source-reader.js';

describe('sourceUnreachable', () => {
  it('names the source, the SDK error by name and first line, and the fix', () => {
    const sdk = Object.assign(new Error('The specified key does not exist.\nRequestId: 42'), {
      name: 'NoSuchKey',
    });
    const error = sourceUnreachable('s3://b/k.csv', sdk, 'check the bucket');
    expect(error).toMatchObject({
      code: 'source_unreachable',
      field: 'source',
      value: 's3://b/k.csv',
      fix: 'check the bucket',
    });
    expect(error.message).toBe(
      'source s3://b/k.csv cannot be read: NoSuchKey: The specified key does not exist.',
    );
  });

  it('passes a StrataError through unchanged', () => {
    const changed = sourceChanged('gs://b/k', 'the object was replaced');
    expect(sourceUnreachable('gs://b/k', changed, 'x')).toBe(changed);
    expect(changed).toBeInstanceOf(StrataError);
  });
});
