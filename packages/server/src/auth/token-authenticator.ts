import { timingSafeEqual } from 'node:crypto';
import type { ServerStore } from '@strata/metadata';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-type.js';
import { HttpError } from '../http/errors.js';
import type { Authenticator } from './authenticator.js';
import { clientAddress } from './client-address.js';
import type { Principal } from './principal.js';
import { FailureLimiter } from './rate-limit.js';
import { parseToken, tokenDigest, verifySecret } from './token-secret.js';

const CACHE_MS = 5 * 60_000;
const TOUCH_MS = 60_000;

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, {
    field: 'Authorization',
    fix: 'send `Authorization: Bearer <token>` with a token from `strata server token create`',
  });
}

/**
 * Bearer tokens checked against their scrypt hash. A token verified once is remembered (by a sha256
 * of it, compared in constant time) for a few minutes so that each request does not pay the slow
 * hash; the row is still read on every request, so revoking takes effect at once.
 */
export function tokenAuthenticator(
  store: ServerStore,
  options: { trustProxy: boolean; limiter?: FailureLimiter; now?: () => number },
): Authenticator {
  const limiter = options.limiter ?? new FailureLimiter();
  const now = options.now ?? Date.now;
  const verified = new Map<string, { digest: Buffer; hash: string; until: number }>();
  const touched = new Map<string, number>();

  async function authenticate(c: Context<AppEnv>): Promise<Principal> {
    const address = clientAddress(c, options.trustProxy);
    const wait = limiter.retryAfter(address, now());
    if (wait > 0) {
      c.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new HttpError(429, 'too_many_failures', 'too many failed authentications from this address', {
        fix: `wait ${Math.ceil(wait / 1000)} s, then retry with a valid token`,
      });
    }
    const fail = (message: string) => {
      limiter.fail(address, now());
      return unauthorized(message);
    };
    const header = c.req.header('authorization');
    if (!header) throw fail('this server requires an API token');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const token = m?.[1];
    const parsed = token === undefined ? undefined : parseToken(token);
    if (!token || !parsed) throw fail('the Authorization header does not carry a Strata bearer token');
    const row = await store.tokens.get(parsed.id);
    if (!row || row.revokedAt !== null) throw fail('invalid or revoked token');
    const digest = tokenDigest(token);
    const cached = verified.get(row.id);
    const ok =
      (cached !== undefined &&
        cached.until > now() &&
        cached.hash === row.hash &&
        timingSafeEqual(cached.digest, digest)) ||
      (await verifySecret(parsed.secret, row.hash));
    if (!ok) throw fail('invalid or revoked token');
    verified.set(row.id, { digest, hash: row.hash, until: now() + CACHE_MS });
    if ((touched.get(row.id) ?? 0) + TOUCH_MS < now()) {
      touched.set(row.id, now());
      void store.tokens.touch(row.id, now()).catch(() => {});
    }
    return { name: row.name, scope: row.scope, tokenId: row.id };
  }

  return {
    mode: 'token',
    middleware: () => async (c, next) => {
      c.set('principal', await authenticate(c));
      await next();
    },
  };
}
