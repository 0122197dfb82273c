import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-type.js';
import type { Principal } from './principal.js';

/** Decides who a request comes from (or refuses it) before any route runs. */
export interface Authenticator {
  readonly mode: 'local' | 'token';
  middleware(): MiddlewareHandler<AppEnv>;
}

/** Loopback without tokens: every request is the local user, with every scope. */
export function localAuthenticator(name: string): Authenticator {
  const principal: Principal = { name, scope: 'admin' };
  return {
    mode: 'local',
    middleware: () => async (c, next) => {
      c.set('principal', principal);
      await next();
    },
  };
}
