import { z } from 'zod';
import { Json, Millis } from './common.js';

export const MetricPoint = z
  .object({
    runId: z.string(),
    runCreatedAt: Millis,
    stepRunId: z.string().nullable(),
    nodeId: z.string().nullable(),
    key: z.string(),
    value: Json,
  })
  .meta({ id: 'MetricPoint' });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricsQuery = z.object({
  pipeline: z.string().min(1).max(256),
  keys: z
    .string()
    .max(2000)
    .optional()
    .transform((t) => (t ? t.split(',').filter((k) => k.length > 0) : []))
    .meta({ description: 'comma-separated metadata keys (default: all)', example: 'accuracy,loss' }),
  runs: z.coerce.number().int().min(1).max(500).default(20),
});

export const Metrics = z
  .object({ pipeline: z.string(), points: z.array(MetricPoint) })
  .meta({ id: 'Metrics', description: 'values logged with ctx.log, newest runs first' });
export type Metrics = z.infer<typeof Metrics>;
