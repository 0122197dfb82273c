import { StrataError } from '@strata/core';

export interface OperationContext {
  readonly operation: string;
  readonly container: string;
  readonly uri?: string;
}

const credentialCodes = new Set([
  'AuthenticationFailed',
  'InvalidAuthenticationInfo',
  'NoAuthenticationInformation',
]);
const deniedCodes = new Set([
  'AuthorizationPermissionMismatch',
  'InsufficientAccountPermissions',
  'AuthorizationResourceTypeMismatch',
]);

/** The service error code (from the body or the x-ms-error-code header) and HTTP status. */
export function errorCode(error: unknown): { code: string; status: number | undefined } {
  const e = error as { code?: string; statusCode?: number; details?: { errorCode?: string } };
  return { code: e?.details?.errorCode ?? e?.code ?? 'Error', status: e?.statusCode };
}

/**
 * Turns an SDK failure into a StrataError naming the container and the operation. Keys, SAS tokens
 * and connection strings never appear in the message; no `cause` is kept for credential failures.
 */
export function storeError(error: unknown, context: OperationContext): StrataError {
  if (error instanceof StrataError) return error;
  const { code, status } = errorCode(error);
  const where = `Azure ${context.operation} on container "${context.container}"${context.uri ? ` (${context.uri})` : ''}`;
  if (code === 'ContainerNotFound') {
    return new StrataError(`${where} failed: the container does not exist`, {
      code: 'bucket_not_found',
      field: 'container',
      value: context.container,
      fix: 'create the container, or point the artifact store at an existing one (--container)',
    });
  }
  if (credentialCodes.has(code)) {
    return new StrataError(`${where} failed: the credentials were rejected (${code})`, {
      code: 'bad_credentials',
      field: 'credentials',
      value: undefined,
      fix: 'check connectionString / accountKey / sasToken (their secret references) and the account name',
    });
  }
  if (code === 'AuthorizationFailure') {
    // Azure answers this for network rules and SAS scopes, Azurite also for a wrong account key.
    return new StrataError(
      `${where} failed: access refused (${code}): the credentials are wrong or lack permission`,
      {
        code: 'permission_denied',
        field: 'credentials',
        value: undefined,
        fix: `check accountKey / sasToken / connectionString, and that the identity may read and write "${context.container}" from this network`,
      },
    );
  }
  if (deniedCodes.has(code) || status === 403) {
    return new StrataError(`${where} failed: permission denied (${code})`, {
      code: 'permission_denied',
      field: 'container',
      value: context.container,
      fix: `grant the identity "Storage Blob Data Contributor" on "${context.container}" (or a SAS with racwdl)`,
    });
  }
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
  return new StrataError(`${where} failed${status ? ` with HTTP ${status}` : ''}: ${code}: ${message}`, {
    code: 'store_unavailable',
    field: 'endpoint',
    value: undefined,
    fix: 'transient failures were retried with backoff; check that the endpoint is reachable and healthy',
    cause: error,
  });
}
