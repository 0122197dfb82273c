import { createRoute, z } from '@hono/zod-openapi';
import type { ModelRegistry } from '@strata/core';
import type { ServerDeps } from '../deps.js';
import type { App } from '../http/app-type.js';
import { notFound } from '../http/errors.js';
import { errors, json } from '../http/route-kit.js';
import { Id } from '../schemas/common.js';
import { Model, ModelDetail } from '../schemas/models.js';

const list = createRoute({
  method: 'get',
  path: '/models',
  tags: ['models'],
  responses: { 200: json(z.array(Model), 'models with latest version and aliases'), ...errors },
});

const get = createRoute({
  method: 'get',
  path: '/models/{model}',
  tags: ['models'],
  summary: 'a model with every version and the history of its aliases',
  request: { params: z.object({ model: Id }) },
  responses: { 200: json(ModelDetail, 'the model'), ...errors },
});

/** The operations the routes need, from the stack's registry or (without one) the local tables. */
type Models = Pick<ModelRegistry, 'listModels' | 'versions' | 'history'>;

async function modelsOf(deps: ServerDeps): Promise<Models> {
  if (deps.modelRegistry) return deps.modelRegistry();
  const db = deps.database;
  return {
    listModels: () => db.listModels(),
    versions: (model) => db.listModelVersions(model),
    history: (model, alias) => db.aliasHistory(model, alias),
  };
}

export function registerModelRoutes(app: App): void {
  app.openapi(list, async (c) => c.json(await (await modelsOf(c.var.deps)).listModels(), 200));

  app.openapi(get, async (c) => {
    const { model } = c.req.valid('param');
    const registry = await modelsOf(c.var.deps);
    const found = (await registry.listModels()).find((m) => m.name === model);
    if (!found) throw notFound('model', model, 'list models with GET /api/v1/models');
    return c.json(
      { model: found, versions: await registry.versions(model), history: await registry.history(model) },
      200,
    );
  });
}
