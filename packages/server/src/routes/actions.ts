import { createRoute, z } from '@hono/zod-openapi';
import { promoteGated, StrataError } from '@strata/core';
import { cancelRun } from '@strata/core/plugin';
import { audited } from '../audit.js';
import { requireScope } from '../auth/principal.js';
import type { App } from '../http/app-type.js';
import { HttpError, notFound } from '../http/errors.js';
import { json, writeErrors } from '../http/route-kit.js';
import {
  AuditEntry,
  CancelResult,
  PromoteBody,
  ResumeResult,
  RollbackBody,
  RunActionBody,
} from '../schemas/actions.js';
import { Id } from '../schemas/common.js';
import { AliasChange, Promotion } from '../schemas/models.js';
import { RunIdParam } from '../schemas/runs.js';

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const promote = createRoute({
  method: 'post',
  path: '/models/{model}/promote',
  tags: ['models'],
  summary:
    'point an alias at a version; a version its gate did not bless needs "force": true (write scope; audited)',
  request: { params: z.object({ model: Id }), ...body(PromoteBody) },
  responses: {
    200: json(Promotion, "the recorded alias change and the version's gate verdict"),
    ...writeErrors,
  },
});

const rollback = createRoute({
  method: 'post',
  path: '/models/{model}/rollback',
  tags: ['models'],
  summary: 'move an alias back to the version it held before (write scope; audited)',
  request: { params: z.object({ model: Id }), ...body(RollbackBody) },
  responses: { 200: json(AliasChange, 'the recorded alias change'), ...writeErrors },
});

const cancel = createRoute({
  method: 'post',
  path: '/runs/{runId}/cancel',
  tags: ['runs'],
  summary: 'cancel a pending or running run through its orchestrator (write scope; audited)',
  request: { params: RunIdParam, ...body(RunActionBody) },
  responses: { 200: json(CancelResult, 'cancellation requested'), ...writeErrors },
});

const resume = createRoute({
  method: 'post',
  path: '/runs/{runId}/resume',
  tags: ['runs'],
  summary: 'resume a failed or cancelled run in a new `strata runs resume` process (write scope; audited)',
  request: { params: RunIdParam, ...body(RunActionBody) },
  responses: { 202: json(ResumeResult, 'the resume process started'), ...writeErrors },
});

const auditList = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['server'],
  summary: 'the audit log of write actions, newest first (admin scope)',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().optional().meta({ description: 'epoch ms: entries strictly older' }),
    }),
  },
  responses: { 200: json(z.array(AuditEntry), 'audit entries'), ...writeErrors },
});

export function registerActionRoutes(app: App): void {
  app.openapi(promote, async (c) => {
    requireScope(c.var.principal, 'write', 'promote');
    const { model } = c.req.valid('param');
    const b = c.req.valid('json');
    const change = await audited(
      c,
      {
        action: 'model.promote',
        target: `${model}@${b.alias}`,
        reason: b.reason,
        detail: { version: b.version, force: b.force },
      },
      async () =>
        promoteGated(
          await c.var.deps.registry(),
          model,
          b.version,
          { alias: b.alias, reason: b.reason, actor: `api:${c.var.principal.name}`, force: b.force },
          {
            forceHint:
              '"force": true (strata models promote --force; the dashboard\'s "Force past the gate")',
          },
        ),
    );
    return c.json({ ...change.change, gate: change.gate, forced: change.forced }, 200);
  });

  app.openapi(rollback, async (c) => {
    requireScope(c.var.principal, 'write', 'rollback');
    const { model } = c.req.valid('param');
    const b = c.req.valid('json');
    const change = await audited(
      c,
      { action: 'model.rollback', target: `${model}@${b.alias}`, reason: b.reason },
      async () =>
        (await c.var.deps.registry()).rollback(model, {
          alias: b.alias,
          reason: b.reason,
          actor: `api:${c.var.principal.name}`,
        }),
    );
    return c.json(change, 200);
  });

  app.openapi(cancel, async (c) => {
    requireScope(c.var.principal, 'write', 'cancel');
    const { runId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const deps = c.var.deps;
    await audited(c, { action: 'run.cancel', target: runId, reason }, async () => {
      const run = await deps.database.getRun(runId);
      if (!run) throw notFound('run', runId, 'list runs with GET /api/v1/runs');
      if (!['pending', 'running'].includes(run.status)) {
        throw new HttpError(409, 'run_finished', `run ${runId} already ${run.status}; nothing to cancel`, {
          field: 'runId',
          value: runId,
          fix: 'only pending or running runs can be cancelled',
        });
      }
      await cancelRun(await deps.stacks.get(run.stackName), runId);
    });
    return c.json({ runId, status: 'cancelled' }, 200);
  });

  app.openapi(resume, async (c) => {
    requireScope(c.var.principal, 'write', 'resume');
    const { runId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const deps = c.var.deps;
    const started = await audited(c, { action: 'run.resume', target: runId, reason }, async () => {
      const run = await deps.database.getRun(runId);
      if (!run) throw notFound('run', runId, 'list runs with GET /api/v1/runs');
      if (!['failed', 'cancelled'].includes(run.status)) {
        throw new HttpError(
          409,
          'run_not_resumable',
          `run ${runId} is ${run.status}; only failed or cancelled runs resume`,
          {
            field: 'runId',
            value: runId,
            fix: 'resume a failed or cancelled run',
          },
        );
      }
      if (!deps.resume) {
        throw new StrataError('this server cannot start `strata runs resume` (started without the CLI)', {
          code: 'resume_unavailable',
          field: 'runId',
          value: runId,
          fix: 'start the server with `strata server start`, or run `strata runs resume` yourself',
        });
      }
      return deps.resume(runId);
    });
    return c.json({ runId, pid: started.pid }, 202);
  });

  app.openapi(auditList, async (c) => {
    requireScope(c.var.principal, 'admin', 'reading the audit log');
    const q = c.req.valid('query');
    return c.json(
      await c.var.deps.store.audit.list({
        limit: q.limit,
        ...(q.before === undefined ? {} : { before: q.before }),
      }),
      200,
    );
  });
}
