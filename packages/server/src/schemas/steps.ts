import { z } from 'zod';
import { Json, Millis } from './common.js';

export const StepStatus = z
  .enum([
    'pending',
    'running',
    'completed',
    'cached',
    'failed',
    'skipped',
    'cancelled',
    'timed_out',
    'crashed',
  ])
  .meta({ id: 'StepStatus' });
export type StepStatus = z.infer<typeof StepStatus>;

export const StepRun = z
  .object({
    id: z.string().meta({ description: '`run/node` or `run/node[i]` for a map instance' }),
    runId: z.string(),
    nodeId: z.string(),
    stepName: z.string(),
    mapIndex: z.number().int().meta({ description: '-1 for an ordinary step, 0..n-1 for map instances' }),
    status: StepStatus,
    cacheKey: z.string().nullable(),
    cacheParts: Json,
    cacheReason: z.string().nullable().meta({ description: 'why the cache hit or missed' }),
    cachedFrom: z.string().nullable(),
    attempt: z.number().int(),
    startedAt: Millis.nullable(),
    endedAt: Millis.nullable(),
    error: z.string().nullable(),
    errorStack: z.string().nullable(),
  })
  .meta({ id: 'StepRun' });
export type StepRun = z.infer<typeof StepRun>;

export const StepIo = z
  .object({
    type: z.enum(['input', 'output']),
    name: z.string(),
    position: z.number().int(),
    artifactId: z.string(),
    kind: z.string(),
    size: z.number(),
  })
  .meta({ id: 'StepIo' });

export const StepDetail = z
  .object({
    step: StepRun,
    params: Json.meta({ description: "the node's parameters from the snapshot" }),
    io: z.array(StepIo),
    metadata: z.record(z.string(), Json).meta({ description: 'values logged with ctx.log' }),
  })
  .meta({ id: 'StepDetail' });
export type StepDetail = z.infer<typeof StepDetail>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;
export const LogLine = z
  .object({ stepRunId: z.string(), seq: z.number().int(), at: Millis, level: LogLevel, message: z.string() })
  .meta({ id: 'LogLine' });
export type LogLine = z.infer<typeof LogLine>;

export const LogPage = z
  .object({
    items: z.array(LogLine),
    nextAfterSeq: z.number().int().optional().meta({ description: 'pass as afterSeq for the next page' }),
  })
  .meta({ id: 'LogPage' });
export type LogPage = z.infer<typeof LogPage>;
