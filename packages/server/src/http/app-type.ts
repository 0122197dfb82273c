import { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../auth/principal.js';
import type { ServerDeps } from '../deps.js';
import { validationResponse } from './errors.js';

export interface AppEnv {
  Variables: { principal: Principal; deps: ServerDeps };
}

export type App = OpenAPIHono<AppEnv>;

/** An app whose validation failures answer 400 with the standard error body. */
export function newApp(): App {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      // On failure @hono/zod-validator passes the raw input as `data` (its type leaves it out).
      if (!result.success)
        return validationResponse(c, result.target, result.error.issues, (result as { data?: unknown }).data);
      return undefined;
    },
  });
}
