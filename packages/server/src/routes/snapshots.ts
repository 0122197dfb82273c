import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../http/app-type.js';
import { errors, json } from '../http/route-kit.js';
import { queryInt } from '../schemas/common.js';
import { PipelineSnapshot } from '../schemas/snapshots.js';

const pipelineSnapshots = createRoute({
  method: 'get',
  path: '/pipelines/{pipeline}/snapshots',
  tags: ['pipelines'],
  summary: "a pipeline's snapshots (compiled versions) that runs used, newest first, with their run counts",
  request: {
    params: z.object({ pipeline: z.string().min(1).max(256) }),
    query: z.object({ limit: queryInt(1, 500, 100) }),
  },
  responses: { 200: json(z.array(PipelineSnapshot), 'snapshots, newest run first'), ...errors },
});

export function registerSnapshotRoutes(app: App): void {
  app.openapi(pipelineSnapshots, async (c) => {
    const { pipeline } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    return c.json(await c.var.deps.browse.pipelineSnapshots(pipeline, limit), 200);
  });
}
