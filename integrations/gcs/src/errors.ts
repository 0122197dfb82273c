import { StrataError } from '@strata/core';

export interface OperationContext {
  readonly operation: string;
  readonly bucket: string;
  readonly uri?: string;
}

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
 * tokens never appear in the message, and no `cause` is kept for credential failures.
 */
export function storeError(error: unknown, context: OperationContext): StrataError {
  if (error instanceof StrataError) return error;
  const { status, reason } = errorCode(error);
  const where = `GCS ${context.operation} on bucket "${context.bucket}"${context.uri ? ` (${context.uri})` : ''}`;
  if (reason === 'bucket_not_found') {
    return new StrataError(`${where} failed: the bucket does not exist`, {
      code: 'bucket_not_found',
      field: 'bucket',
      value: context.bucket,
      fix: 'create the bucket, or point the artifact store at an existing one (--bucket)',
    });
  }
  if (status === 401 || isAuthFailure(error)) {
    return new StrataError(`${where} failed: the credentials were rejected or are missing`, {
      code: 'bad_credentials',
      field: 'credentials',
      value: undefined,
      fix: 'set keyFilename or clientEmail/privateKey, or configure Application Default Credentials (gcloud auth application-default login)',
    });
  }
  if (status === 403) {
    return new StrataError(`${where} failed: permission denied (${reason})`, {
      code: 'permission_denied',
      field: 'bucket',
      value: context.bucket,
      fix: `grant the identity roles/storage.objectAdmin on "${context.bucket}"`,
    });
  }
  const message = (error as Error)?.message ?? String(error);
  return new StrataError(`${where} failed${status ? ` with HTTP ${status}` : ''}: ${message}`, {
    code: 'store_unavailable',
    field: 'endpoint',
    value: undefined,
    fix: 'transient failures were retried with backoff; check that the endpoint is reachable and healthy',
    cause: error,
  });
}
