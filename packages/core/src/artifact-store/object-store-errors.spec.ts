import { describe, expect, it } from 'vitest';
import { StrataError } from '../errors/strata-error.js';
import {
  type ObjectStoreFailure,
  type ObjectStoreOperation,
  objectStoreError,
} from './object-store-errors.js';

const put: ObjectStoreOperation = {
  service: 'S3',
  operation: 'put',
  scope: 'bucket',
  name: 'b',
  uri: 's3://b/k',
};
const as = (failure: ObjectStoreFailure) => () => failure;

describe('objectStoreError', () => {
  it('passes a StrataError through without classifying it', () => {
    const original = new StrataError('bad key', { code: 'invalid_key' });
    const classify = () => {
      throw new Error('not called');
    };
    expect(objectStoreError(original, put, classify)).toBe(original);
  });

  it('names the service, operation, bucket and URI; a missing bucket says how to fix it', () => {
    const error = objectStoreError(new Error('x'), put, as({ kind: 'scope_not_found' }));
    expect(error).toMatchObject({
      message: 'S3 put on bucket "b" (s3://b/k) failed: the bucket does not exist',
      code: 'bucket_not_found',
      field: 'bucket',
      value: 'b',
      fix: 'create the bucket, or point the artifact store at an existing one (--bucket)',
    });
  });

  it('uses the container wording for Azure-style stores and omits a missing URI', () => {
    const op: ObjectStoreOperation = { service: 'Azure', operation: 'list', scope: 'container', name: 'c' };
    const error = objectStoreError(new Error('x'), op, as({ kind: 'scope_not_found' }));
    expect(error.message).toBe('Azure list on container "c" failed: the container does not exist');
    expect(error).toMatchObject({ field: 'container', fix: expect.stringContaining('--container') });
  });

  it('keeps no cause on credential failures (SDK errors may carry signatures)', () => {
    const sdk = new Error('Signature: secret-ish');
    const error = objectStoreError(
      sdk,
      put,
      as({ kind: 'bad_credentials', reason: 'rejected (X)', fix: 'f' }),
    );
    expect(error).toMatchObject({
      code: 'bad_credentials',
      field: 'credentials',
      value: undefined,
      fix: 'f',
    });
    expect(error.message).toBe('S3 put on bucket "b" (s3://b/k) failed: rejected (X)');
    expect(error.cause).toBeUndefined();
  });

  it('blames the bucket for a denial, or the credentials when the classification says so', () => {
    const denied = objectStoreError(
      new Error('x'),
      put,
      as({ kind: 'permission_denied', reason: 'permission denied (AccessDenied)', fix: 'grant' }),
    );
    expect(denied).toMatchObject({ code: 'permission_denied', field: 'bucket', value: 'b', fix: 'grant' });
    const refused = objectStoreError(
      new Error('x'),
      put,
      as({ kind: 'permission_denied', reason: 'access refused', fix: 'check', field: 'credentials' }),
    );
    expect(refused).toMatchObject({ code: 'permission_denied', field: 'credentials', value: undefined });
    expect(refused.cause).toBeUndefined();
  });

  it('reports other failures as store_unavailable with the HTTP status and keeps the cause', () => {
    const sdk = new Error('boom');
    const error = objectStoreError(
      sdk,
      put,
      as({ kind: 'unavailable', status: 503, detail: 'SlowDown: boom' }),
    );
    expect(error).toMatchObject({ code: 'store_unavailable', field: 'endpoint' });
    expect(error.message).toBe('S3 put on bucket "b" (s3://b/k) failed with HTTP 503: SlowDown: boom');
    expect(error.cause).toBe(sdk);
    const noStatus = objectStoreError(
      sdk,
      put,
      as({ kind: 'unavailable', status: undefined, detail: 'reset' }),
    );
    expect(noStatus.message).toBe('S3 put on bucket "b" (s3://b/k) failed: reset');
  });

  it('hands the operation to the classifier', () => {
    let seen: ObjectStoreOperation | undefined;
    objectStoreError(new Error('x'), put, (_error, operation) => {
      seen = operation;
      return { kind: 'scope_not_found' };
    });
    expect(seen).toBe(put);
  });
});
