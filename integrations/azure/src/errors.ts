import type { StrataError } from '@strata/core';
import type { ObjectStoreFailure, ObjectStoreOperation, ObjectStoreRequest } from '@strata/core/plugin';
import { objectStoreError } from '@strata/core/plugin';

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
 * and connection strings never appear in the message.
 */
export function storeError(error: unknown, request: ObjectStoreRequest): StrataError {
  return objectStoreError(error, { service: 'Azure', scope: 'container', ...request }, classify);
}

/** Failures of @azure/identity (DefaultAzureCredential found no usable sign-in, or a token was refused). */
const tokenErrors = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

function classify(error: unknown, { name }: ObjectStoreOperation): ObjectStoreFailure {
  const { code, status } = errorCode(error);
  if (code === 'ContainerNotFound') return { kind: 'scope_not_found' };
  const message = (error as Error)?.message ?? '';
  if (
    tokenErrors.has((error as Error)?.name) ||
    /Bearer token authentication is not permitted/.test(message)
  ) {
    return {
      kind: 'bad_credentials',
      reason: /non-TLS/.test(message)
        ? 'Microsoft Entra ID sign-in (DefaultAzureCredential) needs an https endpoint'
        : 'DefaultAzureCredential found no usable sign-in or its token was refused',
      fix: 'sign in for DefaultAzureCredential (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, workload or managed identity, az login) with an https endpoint, or give accountKey, sasToken or connectionString',
    };
  }
  if (credentialCodes.has(code)) {
    return {
      kind: 'bad_credentials',
      reason: `the credentials were rejected (${code})`,
      fix: 'check connectionString / accountKey / sasToken (their secret references) and the account name',
    };
  }
  if (code === 'AuthorizationFailure') {
    // Azure answers this for network rules and SAS scopes, Azurite also for a wrong account key.
    return {
      kind: 'permission_denied',
      field: 'credentials',
      reason: `access refused (${code}): the credentials are wrong or lack permission`,
      fix: `check accountKey / sasToken / connectionString, and that the identity may read and write "${name}" from this network`,
    };
  }
  if (deniedCodes.has(code) || status === 403) {
    return {
      kind: 'permission_denied',
      reason: `permission denied (${code})`,
      fix: `grant the identity "Storage Blob Data Contributor" on "${name}" (or a SAS with racwdl)`,
    };
  }
  const firstLine = (message || String(error)).split('\n')[0];
  return { kind: 'unavailable', status, detail: `${code}: ${firstLine}` };
}
