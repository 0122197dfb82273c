import { createRoute, z } from '@hono/zod-openapi';
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

export function registerModelRoutes(app: App): void {
  app.openapi(list, async (c) => c.json(await (await c.var.deps.registry()).listModels(), 200));

  app.openapi(get, async (c) => {
    const { model } = c.req.valid('param');
    const registry = await c.var.deps.registry();
    const found = (await registry.listModels()).find((m) => m.name === model);
    if (!found) throw notFound('model', model, 'list models with GET /api/v1/models');
    return c.json(
      { model: found, versions: await registry.versions(model), history: await registry.history(model) },
      200,
    );
  });
}
