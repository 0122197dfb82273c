import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';

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

/** Response bytes land in slabs of this size; a read gets the rest of the current slab. */
const SLAB = 4 << 20;
/** A slab with less room than this is replaced before the next read. */
const MIN_READ = 256 << 10;
/** Response heads larger than this are not S3 responses: the request goes the SDK's way. */
const MAX_HEAD = 64 << 10;
/** The body buffers this much before the socket is paused. */
const BODY_HIGH_WATER_MARK = 4 << 20;

class Fallback extends Error {}

/**
 * The S3 client's request handler, with plain-HTTP GETs taken off node:http. node:http hands a
 * response body over in 64 KiB reads, each copied once more by its parser into a new buffer; here
 * the socket reads straight into 4 MiB slabs (`onread`) and the body is pushed as views of them: at
 * most one copy (the kernel's), and a 1 GiB download takes a few thousand reads instead of 16,000.
 * Everything else (HTTPS, other methods, a response that is not framed by Content-Length) goes to
 * the SDK's own handler. Signing, retries and error parsing stay the SDK's: this only moves bytes.
 * Each GET uses its own connection (`Connection: close`), so no socket is ever reused mid-body.
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
    return get(request, options, this.options, this.sockets).catch((error: unknown) => {
      if (error instanceof Fallback) return this.fallback.handle(request, options);
      throw error;
    });
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

function requestHead(request: HttpRequestLike): string {
  const query = request.query ? buildQueryString(request.query) : '';
  let target = request.path || '/';
  if (query) target += `?${query}`;
  let head = `GET ${target} HTTP/1.1\r\n`;
  let hasHost = false;
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'connection') continue;
    if (lower === 'host') hasHost = true;
    if (/[\r\n]/.test(name) || /[\r\n]/.test(String(value))) throw new Fallback();
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) {
    const port = request.port ? `:${request.port}` : '';
    head += `host: ${request.hostname}${port}\r\n`;
  }
  return `${head}connection: close\r\n\r\n`;
}

function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

function parseHead(head: string): { statusCode: number; reason: string; headers: Record<string, string> } {
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!status) throw new Fallback();
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Fallback();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { statusCode: Number(status[1]), reason: status[2] ?? '', headers };
}

function get(
  request: HttpRequestLike,
  options: HandlerOptions,
  config: FastGetOptions,
  sockets: Set<Socket>,
): Promise<{ response: HttpResponseLike }> {
  return new Promise((resolve, reject) => {
    if (options.abortSignal?.aborted) return reject(abortError());
    let head: string;
    try {
      head = requestHead(request);
    } catch (error) {
      return reject(error);
    }
    let slab = Buffer.allocUnsafe(SLAB);
    let used = 0;
    let headBytes: Buffer | undefined = Buffer.alloc(0);
    let remaining = 0;
    let body: Readable | undefined;
    let settled = false;
    const fail = (error: Error) => {
      if (!settled) {
        settled = true;
        reject(error);
      } else if (body && !body.destroyed && !body.readableEnded) {
        body.destroy(error);
      }
      socket.destroy();
    };
    const deliver = (chunk: Buffer): boolean => {
      if (!body || remaining === 0) return true;
      const part = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
      remaining -= part.length;
      const more = body.push(part);
      if (remaining === 0) {
        body.push(null);
        socket.destroy();
        return true;
      }
      return more;
    };
    const onHead = (chunk: Buffer): boolean => {
      headBytes = Buffer.concat([headBytes!, chunk]);
      const end = headBytes.indexOf('\r\n\r\n');
      if (end < 0) {
        if (headBytes.length > MAX_HEAD) fail(new Fallback());
        return true;
      }
      let parsed: ReturnType<typeof parseHead>;
      try {
        parsed = parseHead(headBytes.subarray(0, end).toString('latin1'));
      } catch (error) {
        fail(error as Error);
        return true;
      }
      if (parsed.statusCode === 100) {
        headBytes = headBytes.subarray(end + 4);
        return headBytes.length ? onHead(Buffer.alloc(0)) : true;
      }
      const rest = headBytes.subarray(end + 4);
      headBytes = undefined;
      const length = parsed.headers['content-length'];
      const noBody = parsed.statusCode === 204 || parsed.statusCode === 304;
      if (!noBody && (parsed.headers['transfer-encoding'] || !length || !/^\d+$/.test(length))) {
        fail(new Fallback());
        return true;
      }
      remaining = noBody ? 0 : Number(length);
      body = new Readable({
        highWaterMark: BODY_HIGH_WATER_MARK,
        read: () => {
          socket.resume();
        },
        destroy: (error, callback) => {
          socket.destroy();
          callback(error);
        },
      });
      settled = true;
      resolve({
        response: { statusCode: parsed.statusCode, reason: parsed.reason, headers: parsed.headers, body },
      });
      if (remaining === 0) {
        body.push(null);
        socket.destroy();
        return true;
      }
      return rest.length ? deliver(Buffer.from(rest)) : true;
    };
    const socket: Socket = connect({
      host: request.hostname!.replace(/^\[(.*)\]$/, '$1'),
      port: request.port ?? 80,
      onread: {
        buffer: () => {
          if (SLAB - used < MIN_READ) {
            slab = Buffer.allocUnsafe(SLAB);
            used = 0;
          }
          return slab.subarray(used);
        },
        callback: (bytes: number, buffer: Uint8Array) => {
          const chunk = (buffer as Buffer).subarray(0, bytes);
          used += bytes;
          if (headBytes) return onHead(chunk);
          return deliver(chunk);
        },
      },
    });
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    const connectTimer = setTimeout(
      () => fail(timeoutError('connection timed out')),
      config.connectionTimeout ?? 10_000,
    );
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.setTimeout(options.requestTimeout ?? config.requestTimeout ?? 120_000, () =>
        fail(timeoutError('socket timed out')),
      );
      socket.write(head);
    });
    socket.on('error', (error) => {
      clearTimeout(connectTimer);
      fail(error);
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      if (!settled || (body && remaining > 0))
        fail(Object.assign(new Error('socket closed before the response ended'), { code: 'ECONNRESET' }));
    });
    const signal = options.abortSignal as AbortSignal | undefined;
    if (signal && typeof signal.addEventListener === 'function') {
      const onAbort = () => fail(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  });
}
