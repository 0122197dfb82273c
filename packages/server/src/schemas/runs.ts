import { z } from 'zod';
import { Id, Json, Millis, queryInt, TimeQuery } from './common.js';

export const RunStatus = z
  .enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'crashed'])
  .meta({ id: 'RunStatus' });
export type RunStatus = z.infer<typeof RunStatus>;

export const Run = z
  .object({
    id: z.string(),
    name: z.string(),
    pipelineName: z.string(),
    snapshotId: z.string(),
    status: RunStatus,
    stackName: z.string(),
    orchestrator: z.string(),
    params: Json,
    environment: Json,
    createdAt: Millis,
    startedAt: Millis.nullable(),
    endedAt: Millis.nullable(),
    error: z.string().nullable(),
    resumedFrom: z.string().nullable(),
  })
  .meta({ id: 'Run' });
export type Run = z.infer<typeof Run>;

export const RunSort = z.enum(['createdAt', 'startedAt', 'endedAt', 'name']);

export const RunListQuery = z.object({
  pipeline: z.string().max(256).optional().meta({ description: 'only runs of this pipeline' }),
  status: z
    .string()
    .max(200)
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const parts = text.split(',');
      const out: RunStatus[] = [];
      for (const p of parts) {
        const parsed = RunStatus.safeParse(p);
        if (!parsed.success) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown status "${p.slice(0, 40)}"; one of ${RunStatus.options.join(', ')}`,
          });
          return z.NEVER;
        }
        out.push(parsed.data);
      }
      return out;
    })
    .meta({ description: 'comma-separated statuses', example: 'running,failed' }),
  stack: z.string().max(256).optional().meta({ description: 'only runs on this stack' }),
  snapshot: z.string().max(512).optional().meta({ description: 'only runs of this snapshot' }),
  q: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'text found in the run id or name, case-insensitive', example: 'nightly' }),
  from: TimeQuery.optional().meta({ description: 'created at or after' }),
  to: TimeQuery.optional().meta({ description: 'created before' }),
  sort: RunSort.default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: queryInt(1, 200, 50),
  cursor: z.string().max(1024).optional().meta({ description: 'nextCursor of the previous page' }),
});

export const RunPage = z
  .object({ items: z.array(Run), nextCursor: z.string().optional() })
  .meta({ id: 'RunPage', description: 'one page; nextCursor is absent on the last page' });
export type RunPage = z.infer<typeof RunPage>;

export const RunIdParam = z.object({ runId: Id.meta({ param: { name: 'runId', in: 'path' } }) });
