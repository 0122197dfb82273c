import { createRoute } from '@hono/zod-openapi';
import { STRATA_VERSION } from '@strata/core';
import { bodyLimit } from 'hono/body-limit';
import type { Authenticator } from './auth/authenticator.js';
import type { ServerDeps } from './deps.js';
import { type App, newApp } from './http/app-type.js';
import { serveDashboard } from './http/dashboard.js';
import { errorResponse, HttpError } from './http/errors.js';
import { errors, json } from './http/route-kit.js';
import { registerActionRoutes } from './routes/actions.js';
import { registerArtifactRoutes } from './routes/artifacts.js';
import { registerAttemptRoutes } from './routes/attempts.js';
import { registerEventRoutes } from './routes/events.js';
import { registerModelRoutes } from './routes/models.js';
import { registerPipelineRoutes } from './routes/pipelines.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerSnapshotRoutes } from './routes/snapshots.js';
import { registerStackRoutes } from './routes/stacks.js';
import { registerTriggerRoutes } from './routes/triggers.js';
import { ServerInfo } from './schemas/server-info.js';

export const API_PREFIX = '/api/v1';

const info = createRoute({
  method: 'get',
  path: '/server',
  tags: ['server'],
  summary: 'server version, database dialect, auth mode and who you are',
  responses: { 200: json(ServerInfo, 'about this server'), ...errors },
});

/** Every route under /api/v1, with the OpenAPI document generated from the same zod schemas. */
export function createApi(authMode: 'local' | 'token'): App {
  const api = newApp();
  api.openapi(info, (c) =>
    c.json(
      {
        version: STRATA_VERSION,
        api: 'v1' as const,
        database: c.var.deps.browse.dialect,
        auth: authMode,
        principal: { name: c.var.principal.name, scope: c.var.principal.scope },
      },
      200,
    ),
  );
  registerPipelineRoutes(api);
  registerRunRoutes(api);
  registerArtifactRoutes(api);
  registerModelRoutes(api);
  registerStackRoutes(api);
  registerActionRoutes(api);
  registerEventRoutes(api);
  registerTriggerRoutes(api);
  registerSnapshotRoutes(api);
  registerAttemptRoutes(api);
  return api;
}

export function openApiDocument(api: App): ReturnType<App['getOpenAPI31Document']> {
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Strata API',
      version: STRATA_VERSION,
      description:
        'Read and act on a Strata project: pipelines, runs, steps, logs, artifacts, lineage, models, stacks. ' +
        'Authenticate with `Authorization: Bearer <token>` (tokens from `strata server token create`).',
    },
    servers: [{ url: API_PREFIX }],
  });
}

/**
 * The whole HTTP app: deps and principal on every request, bounded bodies, authentication before any
 * route, one error body for every failure.
 */
export function createApp(deps: ServerDeps, auth: Authenticator): App {
  const root = newApp();
  const api = createApi(auth.mode);
  const document = openApiDocument(api);
  const onError = (error: Error, c: Parameters<typeof errorResponse>[0]) =>
    errorResponse(c, error, (e) =>
      deps.log.error('request failed', { path: c.req.path, error: String((e as Error)?.stack ?? e) }),
    );
  root.onError(onError);
  api.onError(onError);
  root.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  root.get(`${API_PREFIX}/openapi.json`, (c) => c.json(document));
  root.use(
    `${API_PREFIX}/*`,
    bodyLimit({
      maxSize: deps.limits.maxBodyBytes,
      onError: (c) => {
        // The body is refused unread: close the connection after this answer, so the client does not
        // send its next request on a socket the server is about to drop ("other side closed").
        c.header('connection', 'close');
        throw new HttpError(
          413,
          'body_too_large',
          `request body larger than ${deps.limits.maxBodyBytes} bytes`,
          {
            field: 'body',
            fix: 'send a smaller body',
          },
        );
      },
    }),
  );
  root.use(`${API_PREFIX}/*`, auth.middleware());
  root.route(API_PREFIX, api);
  serveDashboard(root, API_PREFIX);
  root.notFound((c) =>
    errorResponse(
      c,
      new HttpError(404, 'unknown_route', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`, {
        fix: `see ${API_PREFIX}/openapi.json`,
      }),
      () => {},
    ),
  );
  return root;
}
