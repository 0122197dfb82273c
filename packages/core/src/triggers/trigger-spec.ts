import { z } from 'zod';
import { builtOnce } from '../util/built-once.js';

/**
 * One model for everything that starts a run without a person: calendars (cron or interval) and
 * conditions (new data, model health, run completion, code change). Stored as JSON in the metadata
 * store and parsed with these schemas when read back, so a row written by another version of Strata
 * is checked, never cast.
 */

/** What to do with calendar slots missed while no agent (or Temporal) was running. */
export const catchUpPolicies = ['skip', 'one', 'all'] as const;
export type CatchUpPolicy = (typeof catchUpPolicies)[number];

/** What to do when a firing comes while the trigger's previous run is still running (Temporal's names). */
export const overlapPolicies = ['skip', 'queue', 'allow'] as const;
export type OverlapPolicy = (typeof overlapPolicies)[number];

export const triggerKinds = [
  'schedule',
  'new_data',
  'model_health',
  'run_completion',
  'code_change',
] as const;
export type TriggerKind = (typeof triggerKinds)[number];

/**
 * The schemas, built on first use (builtOnce): zod builds every schema object at import, and a
 * `strata run`, which reads no trigger, paid for these at each start.
 */
export const triggerSchemas = builtOnce(() => {
  const scheduleCondition = z.object({
    kind: z.literal('schedule'),
    /** Five- or six-field cron (croner syntax, incl. `@daily`); exactly one of cron and every. */
    cron: z.string().optional(),
    /** Interval like `10m`, `1h30m`, `45s`, counted from the schedule's creation. */
    every: z.string().optional(),
    /** IANA zone the cron is read in, e.g. `Europe/Berlin`. Default UTC. */
    timezone: z.string().default('UTC'),
    /** Each firing starts up to this many ms late (same delay for the same slot, whoever fires it). */
    jitterMs: z.number().int().min(0).default(0),
    catchUp: z.enum(catchUpPolicies).default('one'),
  });

  const newDataCondition = z.object({
    kind: z.literal('new_data'),
    /** A local directory, a glob (`data/*.csv`), or an object-store prefix (`s3://b/p/`, `gs://`, `az://`). */
    source: z.string().min(1),
    /** Pipeline parameter that receives the new data version (`{ uri, fingerprint, files }`). */
    param: z.string().default('data'),
    /** How often the source is listed (object stores; local folders are also watched). Default 5 s. */
    pollMs: z.number().int().min(100).default(5000),
  });

  const modelHealthCondition = z.object({
    kind: z.literal('model_health'),
    /** `NAME@alias`: the served version the alias points at is judged. */
    model: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be NAME@alias, e.g. penguins@production'),
    /** `drift` (share of drifted features), or a live quality metric from feedback (`accuracy`, `mae`). */
    metric: z.string().min(1),
    /** Fires when the metric is below (quality) or above (drift, error) this. */
    threshold: z.number(),
    /** Only the last windowMs of serving statistics count. Default one hour. */
    windowMs: z.number().int().min(1000).default(3_600_000),
    /** At least this many observations in the window before judging. */
    minCount: z.number().int().min(1).default(20),
  });

  const runCompletionCondition = z.object({
    kind: z.literal('run_completion'),
    /** Name of the upstream pipeline. */
    pipeline: z.string().min(1),
    /** Which outcomes of the upstream run fire. Default completed only. */
    statuses: z.array(z.enum(['completed', 'failed', 'cancelled'])).default(['completed']),
    /** Pass the upstream run id as this parameter (the run can read its outputs with the Client). */
    param: z.string().optional(),
  });

  const codeChangeCondition = z.object({
    kind: z.literal('code_change'),
    /** Git branch to watch in the project's repository. */
    branch: z.string().default('main'),
    /** Only commits touching these paths (relative to the repository) fire. Default: the pipeline's module folder. */
    paths: z.array(z.string()).default([]),
    pollMs: z.number().int().min(100).default(30_000),
  });

  const triggerCondition = z.discriminatedUnion('kind', [
    scheduleCondition,
    newDataCondition,
    modelHealthCondition,
    runCompletionCondition,
    codeChangeCondition,
  ]);

  /** What a firing starts: a pipeline exported by a module of the project, with parameters, on a stack. */
  const triggerTarget = z.object({
    /** Module path relative to the project root (every agent resolves it in its own checkout). */
    module: z.string().min(1),
    pipeline: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    /** Stack name; undefined = the project's active stack where the agent runs. */
    stack: z.string().optional(),
  });

  return {
    scheduleCondition,
    newDataCondition,
    modelHealthCondition,
    runCompletionCondition,
    codeChangeCondition,
    triggerCondition,
    triggerTarget,
  };
});
type Schemas = ReturnType<typeof triggerSchemas>;

export type TriggerCondition = z.output<Schemas['triggerCondition']>;
export type TriggerConditionInput = z.input<Schemas['triggerCondition']>;
export type ScheduleCondition = z.output<Schemas['scheduleCondition']>;
export type TriggerTarget = z.output<Schemas['triggerTarget']>;
