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
    // Logged so an operator sees a client with a stale token or someone guessing: never the token,
    // only the id of a token that exists (revoked, or a wrong secret), as `strata server token list` shows it.
    const fail = (message: string, reason: string, tokenId?: string) => {
      limiter.fail(address, now());
      // The refusals (429) that follow are not logged one by one: a client hammering would flood the log.
      const locked = limiter.retryAfter(address, now());
      c.var.deps.log.info('authentication failed', {
        method: c.req.method,
        path: c.req.path.slice(0, 200),
        remote: address,
        reason,
        ...(tokenId === undefined ? {} : { tokenId }),
        ...(locked > 0 ? { refusedFor: `${Math.ceil(locked / 1000)}s` } : {}),
      });
      return unauthorized(message);
    };
    const header = c.req.header('authorization');
    if (!header) throw fail('this server requires an API token', 'no Authorization header');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const token = m?.[1];
    const parsed = token === undefined ? undefined : parseToken(token);
    if (!token || !parsed)
      throw fail(
        'the Authorization header does not carry a Strata bearer token',
        m ? 'not a Strata token' : 'not a Bearer header',
      );
    const row = await store.tokens.get(parsed.id);
    if (!row) throw fail('invalid or revoked token', 'unknown token id');
    if (row.revokedAt !== null) throw fail('invalid or revoked token', 'revoked token', row.id);
    const digest = tokenDigest(token);
    const cached = verified.get(row.id);
    const ok =
      (cached !== undefined &&
        cached.until > now() &&
        cached.hash === row.hash &&
        timingSafeEqual(cached.digest, digest)) ||
      (await verifySecret(parsed.secret, row.hash));
    if (!ok) throw fail('invalid or revoked token', 'wrong secret', row.id);
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
