import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address failed authentications are counted against. Behind a reverse proxy (`--trust-proxy`)
 * every connection comes from the proxy, so the last X-Forwarded-For entry (the address the proxy
 * saw) is used instead; without the flag the header is ignored, since any client can send it.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
