import { StrataError } from '@strata/core';

export interface OperationContext {
  readonly operation: string;
  readonly bucket: string;
  readonly uri?: string;
}

const credentialCodes = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const deniedCodes = new Set(['AccessDenied', 'AllAccessDisabled', 'Forbidden', 'AccountProblem']);

/** The error code an SDK error carries (`NoSuchBucket`, `AccessDenied`, ...) and its HTTP status. */
export function errorCode(error: unknown): { code: string; status: number | undefined } {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return { code: e?.Code ?? e?.name ?? 'Error', status: e?.$metadata?.httpStatusCode };
}

/**
 * Turns an SDK failure into a StrataError naming the bucket and the operation. Credentials, request
 * signatures and headers are never copied into the message; the SDK error is kept as `cause` only
 * for failures that are not about credentials.
 */
export function storeError(error: unknown, context: OperationContext): StrataError {
  if (error instanceof StrataError) return error;
  const { code, status } = errorCode(error);
  const where = `S3 ${context.operation} on bucket "${context.bucket}"${context.uri ? ` (${context.uri})` : ''}`;
  if (code === 'NoSuchBucket') {
    return new StrataError(`${where} failed: the bucket does not exist`, {
      code: 'bucket_not_found',
      field: 'bucket',
      value: context.bucket,
      fix: 'create the bucket, or point the artifact store at an existing one (--bucket)',
    });
  }
  if (credentialCodes.has(code) || (error as Error)?.name === 'CredentialsProviderError') {
    return new StrataError(`${where} failed: the credentials were rejected (${code})`, {
      code: 'bad_credentials',
      field: 'credentials',
      value: undefined,
      fix: 'check accessKeyId/secretAccessKey (or the AWS credential chain: AWS_PROFILE, AWS_ACCESS_KEY_ID, ...)',
    });
  }
  if (deniedCodes.has(code) || status === 403) {
    return new StrataError(`${where} failed: permission denied (${code})`, {
      code: 'permission_denied',
      field: 'bucket',
      value: context.bucket,
      fix: `grant the identity s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on "${context.bucket}"`,
    });
  }
  const message = (error as Error)?.message ?? String(error);
  return new StrataError(`${where} failed${status ? ` with HTTP ${status}` : ''}: ${code}: ${message}`, {
    code: 'store_unavailable',
    field: 'endpoint',
    value: undefined,
    fix: 'transient failures were retried with backoff; check that the endpoint is reachable and healthy',
    cause: error,
  });
}
