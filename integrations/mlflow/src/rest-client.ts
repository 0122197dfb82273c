import { StrataError, type StrataErrorDetails } from '@strata/core';

export interface MlflowConnection {
  readonly url: string;
  readonly token?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly timeoutMs: number;
}

/** Which component talks to MLflow, so that every fix names the command that changes it. */
export interface ComponentRef {
  readonly type: 'model_registry' | 'experiment_tracker';
  readonly name: string;
}

/**
 * An MLflow call that failed. `mlflowCode` is MLflow's error_code (RESOURCE_DOES_NOT_EXIST,
 * INVALID_PARAMETER_VALUE, ...) or `UNREACHABLE` / `UNAUTHORIZED`; callers branch on it, never on
 * the message. Messages name the server URL and the operation, never the credentials.
 */
export class MlflowError extends StrataError {
  constructor(
    message: string,
    readonly mlflowCode: string,
    readonly status: number | null,
    details: StrataErrorDetails,
  ) {
    super(message, details);
    this.name = 'MlflowError';
  }
}

export const isMlflowCode = (error: unknown, code: string): boolean =>
  error instanceof MlflowError && error.mlflowCode === code;

type Query = Record<string, string | number | undefined>;

/** The REST API at `<url>/api/2.0/mlflow/...`: JSON in, JSON out, one timeout per request. */
export class MlflowRestClient {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;

  constructor(
    private readonly connection: MlflowConnection,
    private readonly component: ComponentRef,
  ) {
    this.baseUrl = connection.url.replace(/\/+$/, '');
    this.#headers = { 'content-type': 'application/json' };
    if (connection.token) this.#headers.authorization = `Bearer ${connection.token}`;
    else if (connection.username && connection.password) {
      const basic = Buffer.from(`${connection.username}:${connection.password}`).toString('base64');
      this.#headers.authorization = `Basic ${basic}`;
    }
  }

  get<T>(operation: string, path: string, query: Query = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return this.request<T>(operation, 'GET', `${path}${qs ? `?${qs}` : ''}`);
  }

  post<T>(operation: string, path: string, body: unknown): Promise<T> {
    return this.request<T>(operation, 'POST', path, body);
  }

  delete<T>(operation: string, path: string, body: unknown): Promise<T> {
    return this.request<T>(operation, 'DELETE', path, body);
  }

  private async request<T>(operation: string, method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}/api/2.0/mlflow/${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: this.#headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.connection.timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(operation, error);
    }
    const text = await response.text();
    if (response.ok) return (text ? JSON.parse(text) : {}) as T;
    let payload: { error_code?: string; message?: string } = {};
    try {
      payload = JSON.parse(text) as typeof payload;
    } catch {
      // not JSON: an HTML error page from a proxy, or MLflow's plain 401 text
    }
    throw this.failed(operation, response.status, payload.error_code, payload.message ?? text.slice(0, 300));
  }

  private get updateCommand(): string {
    return `strata ${this.component.type.replace('_', '-')} update ${this.component.name}`;
  }

  private unreachable(operation: string, error: unknown): MlflowError {
    const cause = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const reason =
      cause.name === 'TimeoutError'
        ? `no answer within ${this.connection.timeoutMs} ms`
        : (cause.cause?.code ?? cause.cause?.message ?? cause.message ?? String(error));
    return new MlflowError(
      `MLflow at ${this.baseUrl} is unreachable (${operation}): ${reason}`,
      'UNREACHABLE',
      null,
      {
        code: 'mlflow_unreachable',
        field: 'url',
        value: this.baseUrl,
        fix: `start the MLflow server (mlflow server --host ... --port ...) or point the component at the right one: ${this.updateCommand} --url URL`,
        cause: error,
      },
    );
  }

  private failed(operation: string, status: number, code: string | undefined, message: string): MlflowError {
    if (status === 401 || status === 403) {
      const how = this.#headers.authorization?.startsWith('Bearer')
        ? 'the token was refused'
        : this.#headers.authorization
          ? 'the username/password were refused'
          : 'no credentials were sent';
      return new MlflowError(
        `MLflow at ${this.baseUrl} refused ${operation}: HTTP ${status} (${how})`,
        'UNAUTHORIZED',
        status,
        {
          code: 'mlflow_unauthorized',
          field: 'token',
          value: undefined,
          fix: `store a valid token as a secret and reference it: strata secret set mlflow token=... then ${this.updateCommand} --token '{{secret.mlflow.token}}' (or --username/--password for MLflow's basic auth)`,
        },
      );
    }
    const mlflowCode = code ?? `HTTP_${status}`;
    const rejected = mlflowCode === 'INVALID_PARAMETER_VALUE' || mlflowCode === 'RESOURCE_ALREADY_EXISTS';
    return new MlflowError(
      `MLflow at ${this.baseUrl} ${rejected ? 'rejected' : 'failed'} ${operation}: ${message} (${mlflowCode})`,
      mlflowCode,
      status,
      {
        code: rejected
          ? 'mlflow_rejected'
          : mlflowCode === 'RESOURCE_DOES_NOT_EXIST'
            ? 'mlflow_not_found'
            : 'mlflow_error',
        field: operation,
        value: message,
        fix: rejected
          ? 'change the value MLflow names in its message (model names may not contain "/" or ":")'
          : status >= 500
            ? `MLflow failed on its side: see the server's log at ${this.baseUrl}`
            : 'check the name and version (strata models list)',
      },
    );
  }
}
