import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../http/app-type.js';
import { notFound } from '../http/errors.js';
import { errors, json } from '../http/route-kit.js';
import { StepAttempt } from '../schemas/attempts.js';
import { Id } from '../schemas/common.js';
import { attemptsOf } from '../views/attempts.js';

const stepAttempts = createRoute({
  method: 'get',
  path: '/runs/{runId}/steps/{node}/attempts',
  tags: ['steps'],
  summary:
    "a step's attempts, oldest first: each one's status, start, end and error, and the wait before the next",
  request: {
    params: z.object({
      runId: Id,
      node: Id.meta({ description: 'node id, or `node[i]` for a map instance', example: 'train' }),
    }),
  },
  responses: { 200: json(z.array(StepAttempt), 'the attempts'), ...errors },
});

// Retry lines are warnings among at most this many lines of the step's log.
const MAX_LOG_LINES = 5000;

export function registerAttemptRoutes(app: App): void {
  app.openapi(stepAttempts, async (c) => {
    const { runId, node } = c.req.valid('param');
    const db = c.var.deps.database;
    const stepRunId = `${runId}/${node}`;
    const step = await db.getStepRun(stepRunId);
    if (!step)
      throw notFound('step_run', stepRunId, `list the run's steps with GET /api/v1/runs/${runId}/steps`);
    const logs = step.attempt > 1 ? await db.readLogs({ stepRunId, limit: MAX_LOG_LINES }) : [];
    return c.json(attemptsOf(step, logs), 200);
  });
}
