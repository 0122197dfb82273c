import { createRoute, z } from '@hono/zod-openapi';
import type { ComponentRecord } from '@strata/core/plugin';
import type { App } from '../http/app-type.js';
import { notFound } from '../http/errors.js';
import { errors, json } from '../http/route-kit.js';
import { Id } from '../schemas/common.js';
import { Component, Stack, StackDetail } from '../schemas/stacks.js';
import { redactSecrets } from '../views/redact.js';

const componentView = (c: ComponentRecord) => ({ ...c, config: redactSecrets(c.config) });

const listStacks = createRoute({
  method: 'get',
  path: '/stacks',
  tags: ['stacks'],
  responses: { 200: json(z.array(Stack), 'stacks by name'), ...errors },
});

const getStack = createRoute({
  method: 'get',
  path: '/stacks/{stack}',
  tags: ['stacks'],
  request: { params: z.object({ stack: Id }) },
  responses: {
    200: json(StackDetail, 'the stack and its components (secret references redacted)'),
    ...errors,
  },
});

const listComponents = createRoute({
  method: 'get',
  path: '/components',
  tags: ['stacks'],
  request: { query: z.object({ type: z.string().max(64).optional() }) },
  responses: { 200: json(z.array(Component), 'components (secret references redacted)'), ...errors },
});

export function registerStackRoutes(app: App): void {
  app.openapi(listStacks, async (c) => c.json(await c.var.deps.database.listStacks(), 200));

  app.openapi(getStack, async (c) => {
    const { stack: name } = c.req.valid('param');
    const db = c.var.deps.database;
    const stack = await db.getStack(name);
    if (!stack) throw notFound('stack', name, 'list stacks with GET /api/v1/stacks');
    const components = [];
    for (const [type, componentName] of Object.entries(stack.components)) {
      const comp = await db.getComponent(type, componentName);
      if (comp) components.push(componentView(comp));
    }
    return c.json({ stack, components }, 200);
  });

  app.openapi(listComponents, async (c) => {
    const { type } = c.req.valid('query');
    return c.json((await c.var.deps.database.listComponents(type)).map(componentView), 200);
  });
}
