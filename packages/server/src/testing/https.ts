import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';

/** An HTTPS GET that trusts only `ca` (undefined: the system's roots), resolving with status and body. */
export function httpsGet(
  url: string,
  options: { ca?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ...(options.ca ? { ca: options.ca } : {}), headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} in 30 s`)));
    req.on('error', reject).end();
  });
}

/** An HTTPS GET whose response stays open (Server-Sent Events); `text()` is what arrived so far. */
export function httpsStream(url: string, options: { ca: string; headers: Record<string, string> }) {
  let text = '';
  let response: IncomingMessage | undefined;
  const req = request(url, { ca: options.ca, headers: options.headers }, (res) => {
    response = res;
    res.setEncoding('utf8').on('data', (d: string) => {
      text += d;
    });
  });
  req.on('error', () => {});
  req.end();
  return {
    text: () => text,
    status: () => response?.statusCode,
    close: () => req.destroy(),
  };
}
