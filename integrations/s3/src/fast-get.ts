import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { httpGet, UnframedResponse } from '@strata/core/plugin';

/** The parts of the SDK's HttpRequest (@smithy/protocol-http) a GET needs. */
export interface HttpRequestLike {
  readonly protocol?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | readonly string[] | null | undefined>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  readonly fragment?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface HttpResponseLike {
  readonly statusCode: number;
  readonly reason?: string;
  readonly headers: Record<string, string>;
  readonly body: Readable;
}

interface HandlerOptions {
  readonly abortSignal?: AbortSignal | { aborted: boolean; onabort?: unknown };
  readonly requestTimeout?: number;
}

/** The SDK's request handler interface (@smithy/types HttpHandler), as far as a wrapper needs it. */
export interface HttpHandlerLike {
  handle(request: HttpRequestLike, options?: HandlerOptions): Promise<{ response: unknown }>;
  destroy?(): void;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
  readonly metadata?: unknown;
}

export interface FastGetOptions {
  /** Connect timeout, ms. */
  readonly connectionTimeout?: number;
  /** Idle socket timeout while waiting for or reading the response, ms. */
  readonly requestTimeout?: number;
}

/**
 * The S3 client's request handler, with plain-HTTP GETs sent by core's httpGet (no node:http: the
 * body is read in 4 MiB slabs instead of 64 KiB reads copied again by node:http's parser, see
 * object-store-http-get.ts). Everything else (HTTPS, other methods, a response not framed by
 * Content-Length) goes to the SDK's own handler. Signing, retries and error parsing stay the SDK's:
 * this only moves bytes.
 */
export class FastGetHandler implements HttpHandlerLike {
  /** Open GET connections, closed by destroy(). */
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly fallback: HttpHandlerLike,
    private readonly options: FastGetOptions = {},
  ) {}

  get metadata(): unknown {
    return this.fallback.metadata;
  }

  handle(request: HttpRequestLike, options: HandlerOptions = {}): Promise<{ response: unknown }> {
    const fast =
      request.method === 'GET' &&
      request.protocol === 'http:' &&
      request.body == null &&
      request.username == null &&
      request.password == null &&
      !!request.hostname;
    if (!fast) return this.fallback.handle(request, options);
    const query = request.query ? buildQueryString(request.query) : '';
    const host = request.hostname!.replace(/^\[(.*)\]$/, '$1');
    const port = request.port ?? 80;
    return httpGet(
      {
        host,
        port,
        target: `${request.path || '/'}${query ? `?${query}` : ''}`,
        headers: Object.entries(request.headers),
      },
      {
        abortSignal: options.abortSignal as AbortSignal | undefined,
        connectionTimeout: this.options.connectionTimeout,
        requestTimeout: options.requestTimeout ?? this.options.requestTimeout,
        sockets: this.sockets,
      },
    ).then(
      (response): { response: HttpResponseLike } => ({ response }),
      (error: unknown) => {
        if (error instanceof UnframedResponse) return this.fallback.handle(request, options);
        throw error;
      },
    );
  }

  destroy(): void {
    for (const socket of this.sockets) socket.destroy();
    this.fallback.destroy?.();
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.fallback.updateHttpClientConfig?.(key, value);
  }

  httpHandlerConfigs(): unknown {
    return this.fallback.httpHandlerConfigs?.() ?? {};
  }
}

/** smithy's buildQueryString: sorted keys, RFC 3986 escaping. */
export function buildQueryString(query: HttpRequestLike['query']): string {
  const escapeUri = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const key of Object.keys(query ?? {}).sort()) {
    const value = query![key];
    if (Array.isArray(value)) {
      for (const v of value) parts.push(`${escapeUri(key)}=${escapeUri(v)}`);
    } else if (typeof value === 'string') {
      parts.push(`${escapeUri(key)}=${escapeUri(value)}`);
    } else {
      parts.push(escapeUri(key));
    }
  }
  return parts.join('&');
}
