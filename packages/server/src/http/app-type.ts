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
      if (!result.success) return validationResponse(c, result.target, result.error.issues);
      return undefined;
    },
  });
}
