import type { ReactNode } from 'react';
import type { Resource } from '../api/use-resource.js';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** An error that says what happened and what to do about it. */
export function ErrorState({ error, retry }: { error: Error; retry?: () => void }) {
  const status = (error as { status?: number }).status;
  const hint =
    status === 401
      ? 'The server wants a token: set one under Settings (strata server token create --scope read).'
      : status === 403
        ? 'Your token does not allow this: a write-scope token is needed.'
        : status === 404
          ? 'It may have been deleted, or the link is wrong.'
          : status === undefined
            ? 'Is the server running? Start it with `strata ui` or `strata server start`.'
            : 'The server logged the details.';
  return (
    <div className="state state-error" role="alert">
      <strong>{error.message}</strong>
      <p>{hint}</p>
      {retry ? (
        <button type="button" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** Renders loading and error states of a resource, and `children(data)` once it is there. */
export function Loaded<T>({
  resource,
  what,
  children,
}: {
  resource: Resource<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (resource.data !== undefined) return <>{children(resource.data)}</>;
  if (resource.error) return <ErrorState error={resource.error} retry={resource.reload} />;
  return <Loading what={what} />;
}
