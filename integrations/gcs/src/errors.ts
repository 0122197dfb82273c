import type { StrataError } from '@strata/core';
import type { ObjectStoreFailure, ObjectStoreOperation, ObjectStoreRequest } from '@strata/core/plugin';
import { objectStoreError } from '@strata/core/plugin';

/** HTTP status and reason of an SDK ApiError (or of an auth-library failure). */
export function errorCode(error: unknown): { status: number | undefined; reason: string } {
  const e = error as { code?: number | string; errors?: { reason?: string }[]; message?: string };
  const status = typeof e?.code === 'number' ? e.code : undefined;
  return { status, reason: e?.errors?.[0]?.reason ?? (typeof e?.code === 'string' ? e.code : 'error') };
}

function isAuthFailure(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /Could not load the default credentials|invalid_grant|invalid_client|unable to detect a project id/i.test(
    message,
  );
}

/**
 * Turns an SDK failure into a StrataError naming the bucket and the operation; credentials and
 * tokens never appear in the message.
 */
export function storeError(error: unknown, request: ObjectStoreRequest): StrataError {
  return objectStoreError(error, { service: 'GCS', scope: 'bucket', ...request }, classify);
}

function classify(error: unknown, { name }: ObjectStoreOperation): ObjectStoreFailure {
  const { status, reason } = errorCode(error);
  if (reason === 'bucket_not_found') return { kind: 'scope_not_found' };
  if (status === 401 || isAuthFailure(error)) {
    return {
      kind: 'bad_credentials',
      reason: 'the credentials were rejected or are missing',
      fix: 'set keyFilename or clientEmail/privateKey, or configure Application Default Credentials (gcloud auth application-default login)',
    };
  }
  if (status === 403) {
    return {
      kind: 'permission_denied',
      reason: `permission denied (${reason})`,
      fix: `grant the identity roles/storage.objectAdmin on "${name}"`,
    };
  }
  return { kind: 'unavailable', status, detail: (error as Error)?.message ?? String(error) };
}
