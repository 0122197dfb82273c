import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { Pipeline } from '@azure/storage-blob';
import { httpGet, UnframedResponse } from '@strata/core/plugin';

/** The parts of @azure/core-rest-pipeline's HttpHeaders used here. */
export interface HttpHeadersLike extends Iterable<[string, string]> {
  get(name: string): string | undefined;
}

/** The parts of @azure/core-rest-pipeline's PipelineRequest a GET needs. */
export interface PipelineRequestLike {
  readonly url: string;
  readonly method: string;
  readonly headers: HttpHeadersLike;
  readonly body?: unknown;
  readonly timeout?: number;
  readonly abortSignal?: AbortSignal;
  readonly streamResponseStatusCodes?: ReadonlySet<number>;
  readonly onDownloadProgress?: unknown;
  readonly requestOverrides?: unknown;
  readonly proxySettings?: unknown;
  readonly agent?: unknown;
}

export interface PipelineResponseLike {
  readonly request: PipelineRequestLike;
  readonly status: number;
  readonly headers: ResponseHeaders;
  readableStreamBody?: Readable;
  bodyAsText?: string;
}

/** @azure/core-rest-pipeline's HttpClient. */
export interface HttpClientLike {
  sendRequest(request: PipelineRequestLike): Promise<unknown>;
}

/** Response headers with HttpHeaders' interface (names are case-insensitive). */
export class ResponseHeaders implements Iterable<[string, string]> {
  private readonly map = new Map<string, string>();

  constructor(headers: Record<string, string>) {
    for (const [name, value] of Object.entries(headers)) this.map.set(name.toLowerCase(), value);
  }

  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string | number | boolean): void {
    this.map.set(name.toLowerCase(), String(value));
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  toJSON(_options?: { preserveCase?: boolean }): Record<string, string> {
    return Object.fromEntries(this.map);
  }

  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.map.entries();
  }
}

/**
 * The Azure pipeline's HTTP client, with plain-HTTP GETs sent by core's httpGet (no node:http: the
 * body is read in 4 MiB slabs instead of 64 KiB reads copied again by node:http's parser, see
 * object-store-http-get.ts). Everything else (HTTPS, other methods, progress callbacks, compressed
 * or proxied requests, a response not framed by Content-Length) goes to the SDK's own client.
 * Signing, retries and error parsing stay the pipeline's: this only moves bytes.
 */
export class FastGetClient implements HttpClientLike {
  private readonly sockets = new Set<Socket>();

  constructor(private readonly fallback: HttpClientLike) {}

  async sendRequest(request: PipelineRequestLike): Promise<unknown> {
    const encoding = request.headers.get('accept-encoding') ?? '';
    const fast =
      request.method === 'GET' &&
      request.url.startsWith('http://') &&
      request.body == null &&
      !request.onDownloadProgress &&
      !request.requestOverrides &&
      !request.proxySettings &&
      !request.agent &&
      !/gzip|deflate/.test(encoding);
    if (!fast) return this.fallback.sendRequest(request);
    const url = new URL(request.url);
    if (url.username || url.password) return this.fallback.sendRequest(request);
    // The pipeline's per-try timeout covers the whole response, as the SDK client's does.
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    request.abortSignal?.addEventListener('abort', onAbort, { once: true });
    if (request.abortSignal?.aborted) controller.abort();
    const timer = request.timeout && request.timeout > 0 ? setTimeout(onAbort, request.timeout) : undefined;
    const done = () => {
      clearTimeout(timer);
      request.abortSignal?.removeEventListener('abort', onAbort);
    };
    try {
      const headers = [...request.headers].filter(([name]) => name.toLowerCase() !== 'host');
      const response = await httpGet(
        {
          host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: Number(url.port || 80),
          target: `${url.pathname}${url.search}`,
          headers: [['host', url.host], ...headers],
        },
        { abortSignal: controller.signal, sockets: this.sockets },
      );
      const result: PipelineResponseLike = {
        request,
        status: response.statusCode,
        headers: new ResponseHeaders(response.headers),
      };
      const streamed =
        request.streamResponseStatusCodes?.has(Number.POSITIVE_INFINITY) ||
        request.streamResponseStatusCodes?.has(response.statusCode);
      if (streamed) {
        result.readableStreamBody = response.body;
        response.body.once('close', done);
      } else {
        result.bodyAsText = await text(response.body);
        done();
      }
      return result;
    } catch (error) {
      done();
      if (error instanceof UnframedResponse) return this.fallback.sendRequest(request);
      if ((error as Error).name === 'AbortError') {
        throw Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
      }
      throw error;
    }
  }

  destroy(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

/**
 * Makes the clients later built on `pipeline` send plain-HTTP GETs through FastGetClient. The SDK
 * keeps the HTTP client of a pipeline in `_coreHttpClient`, set when the first client is built on
 * it; a newer SDK without that field keeps its own client (nothing breaks, downloads are slower).
 */
export function useFastGets(pipeline: Pipeline, probe: () => void): void {
  const holder = pipeline as unknown as { _coreHttpClient?: HttpClientLike };
  if (!holder._coreHttpClient) probe();
  const client = holder._coreHttpClient;
  if (client && typeof client.sendRequest === 'function' && !(client instanceof FastGetClient)) {
    holder._coreHttpClient = new FastGetClient(client);
  }
}
