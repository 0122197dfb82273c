import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';

/**
 * A plain-HTTP/1.1 GET whose response body is read without node:http, for object-store clients
 * (the S3 and Azure stores plug it into their SDK's transport for GETs). node:http hands a body over
 * in 64 KiB reads, each copied once more by its parser into a new buffer; here the socket reads
 * straight into 4 MiB slabs (`onread`) and the body is pushed as views of them: one copy (the
 * kernel's), and a 1 GiB download takes a few thousand reads instead of 16,000. The request is
 * written as given (already signed by the SDK) plus `connection: close`: one connection per GET, so
 * a socket is never reused mid-body. A response not framed by Content-Length (chunked, or a head
 * that does not parse) rejects with UnframedResponse before any byte reaches the caller, who then
 * sends the GET the SDK's way; GETs are idempotent.
 */

export interface HttpGetRequest {
  readonly host: string;
  readonly port: number;
  /** Path and query string, already encoded. */
  readonly target: string;
  readonly headers: Iterable<readonly [string, string]>;
}

export interface HttpGetOptions {
  readonly abortSignal?: AbortSignal | undefined;
  /** Connect timeout, ms (default 10 s). */
  readonly connectionTimeout?: number | undefined;
  /** Idle socket timeout while waiting for or reading the response, ms (default 120 s). */
  readonly requestTimeout?: number | undefined;
  /** Open connections are added here while they last (for a client's destroy()). */
  readonly sockets?: Set<Socket> | undefined;
}

export interface HttpGetResponse {
  readonly statusCode: number;
  readonly reason: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: Readable;
}

/** The response cannot be read here (not framed by Content-Length): send the GET another way. */
export class UnframedResponse extends Error {
  constructor() {
    super('response not framed by Content-Length');
  }
}

/** Response bytes land in slabs of this size; a read gets the rest of the current slab. */
const SLAB = 4 << 20;
/** A slab with less room than this is replaced before the next read. */
const MIN_READ = 256 << 10;
/** Response heads larger than this are not S3 responses: the request goes the SDK's way. */
const MAX_HEAD = 64 << 10;
/** The body buffers this much before the socket is paused. */
const BODY_HIGH_WATER_MARK = 4 << 20;

function requestHead(request: HttpGetRequest): string {
  let head = `GET ${request.target} HTTP/1.1\r\n`;
  let hasHost = false;
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'connection') continue;
    if (lower === 'host') hasHost = true;
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new UnframedResponse();
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost)
    head += `host: ${request.host.includes(':') ? `[${request.host}]` : request.host}:${request.port}\r\n`;
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
  if (!status) throw new UnframedResponse();
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UnframedResponse();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { statusCode: Number(status[1]), reason: status[2] ?? '', headers };
}

/** Sends `request` and resolves with the response head; the body streams from `body`. */
export function httpGet(request: HttpGetRequest, options: HttpGetOptions = {}): Promise<HttpGetResponse> {
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
        if (headBytes.length > MAX_HEAD) fail(new UnframedResponse());
        return true;
      }
      let parsed: ReturnType<typeof parseHead>;
      try {
        parsed = parseHead(headBytes.subarray(0, end).toString('latin1'));
      } catch (error) {
        fail(error as Error);
        return true;
      }
      if (parsed.statusCode < 200) {
        // An interim response (100 Continue, 103 Early Hints): the real one follows.
        headBytes = headBytes.subarray(end + 4);
        return headBytes.length ? onHead(Buffer.alloc(0)) : true;
      }
      const rest = headBytes.subarray(end + 4);
      headBytes = undefined;
      const length = parsed.headers['content-length'];
      const noBody = parsed.statusCode === 204 || parsed.statusCode === 304;
      if (!noBody && (parsed.headers['transfer-encoding'] || !length || !/^\d+$/.test(length))) {
        fail(new UnframedResponse());
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
      resolve({ statusCode: parsed.statusCode, reason: parsed.reason, headers: parsed.headers, body });
      if (remaining === 0) {
        body.push(null);
        socket.destroy();
        return true;
      }
      // `rest` is part of headBytes, a copy of its own (Buffer.concat).
      return rest.length ? deliver(rest) : true;
    };
    const socket: Socket = connect({
      host: request.host,
      port: request.port,
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
    const { sockets } = options;
    if (sockets) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    socket.setNoDelay(true);
    const connectTimer = setTimeout(
      () => fail(timeoutError('connection timed out')),
      options.connectionTimeout ?? 10_000,
    );
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.setTimeout(options.requestTimeout ?? 120_000, () => fail(timeoutError('socket timed out')));
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
    const signal = options.abortSignal;
    if (signal) {
      const onAbort = () => fail(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  });
}
