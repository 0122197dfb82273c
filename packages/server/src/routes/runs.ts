import { createRoute, z } from '@hono/zod-openapi';
import { reconcileRun, reconcileRuns } from '@strata/core/plugin';
import type { App } from '../http/app-type.js';
import { notFound } from '../http/errors.js';
import { errors, json } from '../http/route-kit.js';
import { Lineage } from '../schemas/artifacts.js';
import { Id } from '../schemas/common.js';
import { Dag } from '../schemas/pipelines.js';
import { Run, RunIdParam, RunListQuery, RunPage } from '../schemas/runs.js';
import { LogLevel, LogPage, StepDetail, StepRun } from '../schemas/steps.js';
import { buildDag } from '../views/dag.js';
import { walkLineage } from '../views/lineage.js';

const runFix = 'list runs with GET /api/v1/runs';

const listRuns = createRoute({
  method: 'get',
  path: '/runs',
  tags: ['runs'],
  summary: 'runs, filtered, sorted, one keyset page at a time',
  request: { query: RunListQuery },
  responses: { 200: json(RunPage, 'one page of runs'), ...errors },
});

const getRun = createRoute({
  method: 'get',
  path: '/runs/{runId}',
  tags: ['runs'],
  request: { params: RunIdParam },
  responses: { 200: json(Run, 'the run'), ...errors },
});

const runDag = createRoute({
  method: 'get',
  path: '/runs/{runId}/dag',
  tags: ['runs'],
  summary: "the run's DAG with each node's status and map instances",
  request: { params: RunIdParam },
  responses: { 200: json(Dag, 'nodes, edges and map groups'), ...errors },
});

const runSteps = createRoute({
  method: 'get',
  path: '/runs/{runId}/steps',
  tags: ['steps'],
  request: { params: RunIdParam },
  responses: { 200: json(z.array(StepRun), 'every step run of the run, map instances included'), ...errors },
});

const NodeParam = z.object({
  runId: Id,
  node: Id.meta({ description: 'node id, or `node[i]` for a map instance', example: 'train' }),
});

const stepDetail = createRoute({
  method: 'get',
  path: '/runs/{runId}/steps/{node}',
  tags: ['steps'],
  summary: 'one step run: status, timings, attempts, params, cache decision, inputs/outputs, metadata',
  request: { params: NodeParam },
  responses: { 200: json(StepDetail, 'the step run'), ...errors },
});

const runLogs = createRoute({
  method: 'get',
  path: '/runs/{runId}/logs',
  tags: ['logs'],
  summary: 'log lines of one step or of the whole run, with seq greater than afterSeq',
  request: {
    params: RunIdParam,
    query: z.object({
      step: Id.optional().meta({ description: 'node id or `node[i]` (default: every step of the run)' }),
      afterSeq: z.coerce.number().int().min(-1).optional(),
      level: LogLevel.optional().meta({ description: 'only the lines of this level' }),
      limit: z.coerce.number().int().min(1).max(5000).default(1000),
    }),
  },
  responses: { 200: json(LogPage, 'log lines in order'), ...errors },
});

const runLineage = createRoute({
  method: 'get',
  path: '/runs/{runId}/lineage',
  tags: ['lineage'],
  request: {
    params: RunIdParam,
    query: z.object({
      direction: z.enum(['upstream', 'downstream', 'both']).default('both'),
      depth: z.coerce.number().int().min(1).max(10).default(3),
    }),
  },
  responses: { 200: json(Lineage, 'the bounded lineage graph'), ...errors },
});

export function registerRunRoutes(app: App): void {
  app.openapi(listRuns, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.deps.browse.searchRuns({
      ...(q.pipeline === undefined ? {} : { pipelineName: q.pipeline }),
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.stack === undefined ? {} : { stackName: q.stack }),
      ...(q.snapshot === undefined ? {} : { snapshotId: q.snapshot }),
      ...(q.q === undefined ? {} : { text: q.q }),
      ...(q.from === undefined ? {} : { createdFrom: q.from }),
      ...(q.to === undefined ? {} : { createdTo: q.to }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      sort: q.sort,
      order: q.order,
      limit: q.limit,
    });
    // Like the CLI's readers: a run whose owner is gone is recorded and shown as crashed, never running.
    const items = (await reconcileRuns(c.var.deps.database, page.runs)).filter(
      (r) => q.status === undefined || q.status.includes(r.status as never),
    );
    return c.json({ items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
  });

  app.openapi(getRun, async (c) => {
    const { runId } = c.req.valid('param');
    const recorded = await c.var.deps.database.getRun(runId);
    if (!recorded) throw notFound('run', runId, runFix);
    return c.json(await reconcileRun(c.var.deps.database, recorded), 200);
  });

  app.openapi(runDag, async (c) => {
    const { runId } = c.req.valid('param');
    const db = c.var.deps.database;
    const run = await db.getRun(runId);
    if (!run) throw notFound('run', runId, runFix);
    const snapshot = await db.getSnapshot(run.snapshotId);
    if (!snapshot) throw notFound('snapshot', run.snapshotId, 'the run refers to a snapshot the store lacks');
    return c.json(buildDag(snapshot.id, snapshot.body, await db.listStepRuns(runId)), 200);
  });

  app.openapi(runSteps, async (c) => {
    const { runId } = c.req.valid('param');
    const db = c.var.deps.database;
    const run = await db.getRun(runId);
    if (!run) throw notFound('run', runId, runFix);
    // A crashed run's steps are closed by the reconciliation, before they are listed.
    await reconcileRun(db, run);
    return c.json(await db.listStepRuns(runId), 200);
  });

  app.openapi(stepDetail, async (c) => {
    const { runId, node } = c.req.valid('param');
    const db = c.var.deps.database;
    const stepRunId = `${runId}/${node}`;
    const step = await db.getStepRun(stepRunId);
    if (!step)
      throw notFound('step_run', stepRunId, `list the run's steps with GET /api/v1/runs/${runId}/steps`);
    const run = await db.getRun(runId);
    const snapshot = run ? await db.getSnapshot(run.snapshotId) : undefined;
    const params = snapshot?.body.nodes.find((n) => n.id === step.nodeId)?.params ?? null;
    const io = (await db.stepRunEvents(stepRunId)).map((e) => ({
      type: e.type,
      name: e.name,
      position: e.position,
      artifactId: e.artifactId,
      kind: e.artifact.kind,
      size: e.artifact.size,
    }));
    const metadata = await db.getMetadata('step_run', stepRunId);
    return c.json({ step, params, io, metadata }, 200);
  });

  app.openapi(runLogs, async (c) => {
    const { runId } = c.req.valid('param');
    const q = c.req.valid('query');
    const db = c.var.deps.database;
    if (!(await db.getRun(runId))) throw notFound('run', runId, runFix);
    const lines = await db.readLogs({
      ...(q.step === undefined ? { runId } : { stepRunId: `${runId}/${q.step}` }),
      ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
      ...(q.level === undefined ? {} : { level: q.level }),
      limit: q.limit,
    });
    const last = lines[lines.length - 1];
    return c.json(
      {
        items: lines,
        ...(q.step !== undefined && last && lines.length === q.limit ? { nextAfterSeq: last.seq } : {}),
      },
      200,
    );
  });

  app.openapi(runLineage, async (c) => {
    const { runId } = c.req.valid('param');
    const q = c.req.valid('query');
    const deps = c.var.deps;
    if (!(await deps.database.getRun(runId))) throw notFound('run', runId, runFix);
    return c.json(
      await walkLineage(deps.database, { runId }, q.direction, q.depth, deps.limits.maxLineageNodes),
      200,
    );
  });
}
