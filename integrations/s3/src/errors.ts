import type { StrataError } from '@strata/core';
import type { ObjectStoreFailure, ObjectStoreOperation, ObjectStoreRequest } from '@strata/core/plugin';
import { objectStoreError } from '@strata/core/plugin';

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
 * signatures and headers are never copied into the message.
 */
export function storeError(error: unknown, request: ObjectStoreRequest): StrataError {
  return objectStoreError(error, { service: 'S3', scope: 'bucket', ...request }, classify);
}

function classify(error: unknown, { name }: ObjectStoreOperation): ObjectStoreFailure {
  const { code, status } = errorCode(error);
  if (code === 'NoSuchBucket') return { kind: 'scope_not_found' };
  if (credentialCodes.has(code) || (error as Error)?.name === 'CredentialsProviderError') {
    return {
      kind: 'bad_credentials',
      reason: `the credentials were rejected (${code})`,
      fix: 'check accessKeyId/secretAccessKey (or the AWS credential chain: AWS_PROFILE, AWS_ACCESS_KEY_ID, ...)',
    };
  }
  if (deniedCodes.has(code) || status === 403) {
    return {
      kind: 'permission_denied',
      reason: `permission denied (${code})`,
      fix: `grant the identity s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on "${name}"`,
    };
  }
  return { kind: 'unavailable', status, detail: `${code}: ${(error as Error)?.message ?? String(error)}` };
}
