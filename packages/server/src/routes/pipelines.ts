import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../http/app-type.js';
import { notFound } from '../http/errors.js';
import { errors, json } from '../http/route-kit.js';
import { Id } from '../schemas/common.js';
import { Metrics, MetricsQuery } from '../schemas/metrics.js';
import { Pipeline, Snapshot } from '../schemas/pipelines.js';
import { buildDag } from '../views/dag.js';

const listPipelines = createRoute({
  method: 'get',
  path: '/pipelines',
  tags: ['pipelines'],
  summary: 'every pipeline that has runs, with its run count and last run time',
  responses: { 200: json(z.array(Pipeline), 'pipelines by name'), ...errors },
});

const getSnapshot = createRoute({
  method: 'get',
  path: '/snapshots/{snapshotId}',
  tags: ['pipelines'],
  summary: 'a compiled pipeline: its body and its DAG (nodes, edges, map groups)',
  request: { params: z.object({ snapshotId: Id }) },
  responses: { 200: json(Snapshot, 'the snapshot'), ...errors },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['metrics'],
  summary: "values steps logged with ctx.log, across a pipeline's newest runs",
  request: { query: MetricsQuery },
  responses: { 200: json(Metrics, 'metric points, newest runs first'), ...errors },
});

export function registerPipelineRoutes(app: App): void {
  app.openapi(listPipelines, async (c) => c.json(await c.var.deps.database.listPipelines(), 200));

  app.openapi(getSnapshot, async (c) => {
    const { snapshotId } = c.req.valid('param');
    const snap = await c.var.deps.database.getSnapshot(snapshotId);
    if (!snap) throw notFound('snapshot', snapshotId, "take a run's snapshotId from GET /api/v1/runs");
    return c.json(
      {
        id: snap.id,
        pipelineName: snap.pipelineName,
        createdAt: snap.createdAt,
        body: snap.body,
        dag: buildDag(snap.id, snap.body),
      },
      200,
    );
  });

  app.openapi(metrics, async (c) => {
    const q = c.req.valid('query');
    const points = await c.var.deps.browse.metricsAcrossRuns({
      pipelineName: q.pipeline,
      keys: q.keys,
      runs: q.runs,
    });
    return c.json({ pipeline: q.pipeline, points }, 200);
  });
}
