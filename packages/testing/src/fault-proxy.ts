import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'reset' | '500' | '503' | 'slow';

export interface FaultProxyOptions {
  /** Origin to forward to, e.g. `http://127.0.0.1:9000` (loopback only). */
  readonly target: string;
  /** Probability (0..1) that a request gets a fault instead of (or, for `slow`, before) forwarding. */
  readonly failureRate?: number;
  /** Faults to draw from, uniformly (default: all four). */
  readonly faults?: readonly Fault[];
  /** Delay of a `slow` response (default 1500 ms). */
  readonly slowMs?: number;
  /** Seed of the fault decisions, so a failing run can be replayed (default 1). */
  readonly seed?: number;
}

export interface FaultProxyStats {
  requests: number;
  injected: Record<Fault, number>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: point the client here instead of at the target. */
  readonly url: string;
  readonly stats: FaultProxyStats;
  setFailureRate(rate: number): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy that forwards to one target and injects faults with a given probability:
 * connection resets (the socket is destroyed before any response), HTTP 500 and 503, and slow
 * responses (forwarded after a delay). Redirects and resumable-upload `Location` headers that point at
 * the target are rewritten to the proxy, so follow-up requests are exposed to faults too.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (!/^(127\.|localhost$|\[::1\]$)/.test(target.hostname)) {
    throw new Error(`fault proxy target must be a loopback address, got ${target.hostname}`);
  }
  const faults = options.faults ?? ['reset', '500', '503', 'slow'];
  const slowMs = options.slowMs ?? 1500;
  let rate = options.failureRate ?? 0;
  let state = ((options.seed ?? 1) * 2654435761) >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const stats: FaultProxyStats = { requests: 0, injected: { reset: 0, '500': 0, '503': 0, slow: 0 } };
  let origin = '';

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        const headers = { ...response.headers };
        if (typeof headers.location === 'string' && headers.location.startsWith(target.origin)) {
          headers.location = origin + headers.location.slice(target.origin.length);
        }
        res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
        response.pipe(res);
        response.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
    req.on('error', () => upstream.destroy());
  };

  const server = createServer((req, res) => {
    stats.requests++;
    const fault = random() < rate ? faults[Math.floor(random() * faults.length)] : undefined;
    if (fault) stats.injected[fault]++;
    if (fault === 'reset') {
      req.socket.resetAndDestroy?.() ?? req.socket.destroy();
      return;
    }
    if (fault === '500' || fault === '503') {
      // Read the body first so the client sees a response, not a broken pipe.
      req.resume();
      req.on('end', () => {
        res.writeHead(Number(fault), { 'content-type': 'text/plain', connection: 'close' });
        res.end(fault === '503' ? 'injected: service unavailable' : 'injected: internal error');
      });
      return;
    }
    if (fault === 'slow') {
      req.pause();
      setTimeout(() => forward(req, res), slowMs);
      return;
    }
    forward(req, res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    stats,
    setFailureRate(next) {
      rate = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
