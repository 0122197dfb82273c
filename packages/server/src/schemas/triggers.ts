import { z } from 'zod';
import { Json, Millis } from './common.js';
import { RunStatus } from './runs.js';

export const FiringStatus = z
  .enum(['claimed', 'queued', 'started', 'skipped', 'failed'])
  .meta({ id: 'FiringStatus' });

export const Firing = z
  .object({
    id: z.string(),
    trigger: z.string(),
    status: FiringStatus,
    reason: z.string().meta({ description: 'why it fired (the slot, the new data, the upstream run...)' }),
    evidence: Json,
    runId: z.string().nullable().meta({ description: 'the run it started (chosen when it was claimed)' }),
    runStatus: RunStatus.nullable().meta({ description: "that run's status; null before it starts" }),
    firedBy: z.string(),
    createdAt: Millis,
    updatedAt: Millis,
    error: z.string().nullable(),
  })
  .meta({ id: 'Firing' });
export type Firing = z.infer<typeof Firing>;

export const Trigger = z
  .object({
    name: z.string(),
    kind: z
      .enum(['schedule', 'new_data', 'model_health', 'run_completion', 'code_change'])
      .meta({ description: 'a schedule, or what a trigger watches' }),
    pipeline: z.string().meta({ description: 'the pipeline a firing runs' }),
    target: Json.meta({ description: 'module, pipeline, parameters and stack of the run a firing starts' }),
    condition: Json.meta({
      description: 'when it fires: cron or interval, source, model metric, upstream pipeline',
    }),
    overlap: z.enum(['skip', 'queue', 'allow']),
    paused: z.boolean(),
    firedBy: z.string().meta({ description: '`agent` or the orchestrator that fires it natively' }),
    createdAt: Millis,
    updatedAt: Millis,
    nextFiring: Millis.nullable().meta({
      description: 'a schedule: when it fires next (jitter included); null when paused or for triggers',
    }),
    lastFiring: Firing.nullable().meta({ description: 'its newest firing, null before the first' }),
    firings: z.array(Firing).meta({ description: 'its newest firings, newest first' }),
  })
  .meta({ id: 'Trigger' });
export type Trigger = z.infer<typeof Trigger>;

export const TriggerListQuery = z.object({
  firings: z.coerce
    .number()
    .int()
    .min(0)
    .max(50)
    .default(5)
    .meta({ description: 'how many recent firings to return per schedule or trigger' }),
});
