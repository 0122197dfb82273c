import { StrataError } from '../errors/strata-error.js';

/** One request of an object-store artifact store: what failed, where. */
export interface ObjectStoreRequest {
  /** `put`, `get`, `stat`, `list`, `delete`, ... */
  readonly operation: string;
  /** The bucket's (container's) name. */
  readonly name: string;
  readonly uri?: string | undefined;
}

/** A request of one service (S3, GCS, Azure Blob), for error messages. */
export interface ObjectStoreOperation extends ObjectStoreRequest {
  /** The service as users know it: `S3`, `GCS`, `Azure`. */
  readonly service: string;
  /** What the service calls the namespace the store lives in; also the config field that names it. */
  readonly scope: 'bucket' | 'container';
}

/** What an SDK failure means; each integration's errors.ts reads its SDK's codes to decide. */
export type ObjectStoreFailure =
  /** The bucket (container) does not exist. */
  | { readonly kind: 'scope_not_found' }
  /** `reason` may name the service's error code; never a secret. */
  | { readonly kind: 'bad_credentials'; readonly reason: string; readonly fix: string }
  /** About the bucket (container), or about the credentials when `field` says so. */
  | {
      readonly kind: 'permission_denied';
      readonly reason: string;
      readonly fix: string;
      readonly field?: 'credentials';
    }
  /** Anything else: the store could not serve the request (after the SDK's retries). */
  | { readonly kind: 'unavailable'; readonly status: number | undefined; readonly detail: string };

/**
 * Turns an SDK failure into a StrataError with the codes every object store shares
 * (`bucket_not_found`, `bad_credentials`, `permission_denied`, `store_unavailable`) and a message
 * naming the service, the operation and the bucket. A StrataError passes through unchanged.
 * Credential failures keep no `cause`: SDK errors can carry request signatures and headers.
 */
export function objectStoreError(
  error: unknown,
  operation: ObjectStoreOperation,
  classify: (error: unknown, operation: ObjectStoreOperation) => ObjectStoreFailure,
): StrataError {
  if (error instanceof StrataError) return error;
  const { service, scope, name, uri } = operation;
  const where = `${service} ${operation.operation} on ${scope} "${name}"${uri ? ` (${uri})` : ''}`;
  const failure = classify(error, operation);
  switch (failure.kind) {
    case 'scope_not_found':
      return new StrataError(`${where} failed: the ${scope} does not exist`, {
        code: 'bucket_not_found',
        field: scope,
        value: name,
        fix: `create the ${scope}, or point the artifact store at an existing one (--${scope})`,
      });
    case 'bad_credentials':
      return new StrataError(`${where} failed: ${failure.reason}`, {
        code: 'bad_credentials',
        field: 'credentials',
        fix: failure.fix,
      });
    case 'permission_denied':
      return new StrataError(`${where} failed: ${failure.reason}`, {
        code: 'permission_denied',
        field: failure.field ?? scope,
        value: failure.field === undefined ? name : undefined,
        fix: failure.fix,
      });
    case 'unavailable':
      return new StrataError(
        `${where} failed${failure.status ? ` with HTTP ${failure.status}` : ''}: ${failure.detail}`,
        {
          code: 'store_unavailable',
          field: 'endpoint',
          fix: 'transient failures were retried with backoff; check that the endpoint is reachable and healthy',
          cause: error,
        },
      );
  }
}
