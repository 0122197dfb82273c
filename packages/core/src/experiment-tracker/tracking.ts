import { isStrataError, StrataError } from '../errors/strata-error.js';
import type { JsonValue, RunRecord } from '../metadata/records.js';
import { type Stack, stackComponent } from '../stack/stack.js';
import { ExperimentTracker, type TrackerRun } from './experiment-tracker.js';

/** The run metadata key under which the tracker's run (id, URL) and any tracker failure are kept. */
export const TRACKER_METADATA_KEY = 'tracker';

export interface TrackerMetadata {
  readonly flavor: string;
  readonly component: string;
  readonly id?: string;
  readonly url?: string | null;
  readonly data?: JsonValue;
  readonly finished?: boolean;
  /** Why the tracker could not record the run (the pipeline went on: the tracker is not `required`). */
  readonly error?: string;
}

/** What the experiment tracker recorded about a run (its id and URL, or why it could not). */
export async function trackerMetadata(
  database: Pick<Stack['database'], 'getMetadata'>,
  runId: string,
): Promise<TrackerMetadata | undefined> {
  return (await database.getMetadata('run', runId))[TRACKER_METADATA_KEY] as unknown as
    | TrackerMetadata
    | undefined;
}

export function trackerOf(stack: Pick<Stack, 'extras'>): ExperimentTracker | undefined {
  return stackComponent(stack, ExperimentTracker);
}

function describe(error: unknown): string {
  return isStrataError(error) ? error.message : error instanceof Error ? error.message : String(error);
}

/** Where tracker warnings go; a test or an embedding program can replace it. */
export const trackerWarnings = {
  write(message: string): void {
    process.stderr.write(`warning: ${message}\n`);
  },
};

async function save(stack: Stack, runId: string, value: TrackerMetadata): Promise<void> {
  await stack.database.addMetadata([
    { ownerType: 'run', ownerId: runId, key: TRACKER_METADATA_KEY, value: value as unknown as JsonValue },
  ]);
}

/**
 * Opens the tracker's run for a submitted Strata run and records its id and URL with the run. A
 * tracker that fails is a warning (kept in the run metadata too) unless it is `required`: then the
 * Strata run is closed as failed before any step runs, and the error is thrown.
 */
export async function startTracking(stack: Stack, run: RunRecord): Promise<void> {
  const tracker = trackerOf(stack);
  if (!tracker) return;
  const base = { flavor: tracker.flavor, component: stack.components.experiment_tracker?.name ?? '' };
  try {
    const tracked = await tracker.startRun({
      runId: run.id,
      runName: run.name,
      pipeline: run.pipelineName,
      stack: run.stackName,
      params: run.params,
      startedAt: run.startedAt ?? run.createdAt,
      resumedFrom: run.resumedFrom,
    });
    await save(stack, run.id, {
      ...base,
      id: tracked.id,
      url: tracked.url,
      ...(tracked.data === undefined ? {} : { data: tracked.data }),
    });
  } catch (error) {
    await save(stack, run.id, { ...base, error: describe(error) });
    if (tracker.required) {
      await stack.database.updateRun(run.id, {
        status: 'failed',
        endedAt: Date.now(),
        error: `experiment tracker: ${describe(error)}`,
      });
      throw isStrataError(error)
        ? error
        : new StrataError(`the experiment tracker could not start run ${run.id}: ${describe(error)}`, {
            code: 'tracker_failed',
            field: 'experiment_tracker',
            value: base.component,
            fix: 'check the tracker server, or set required: false to run without it',
          });
    }
    trackerWarnings.write(
      `experiment tracker (${tracker.flavor}) did not record run ${run.id}: ${describe(error)}`,
    );
  }
}

/**
 * Sends the finished run (status, every step run and what it logged) to the tracker, once: the
 * metadata entry is marked `finished`. Called by whoever sees the run finish (the submitting process
 * for local runs, `RunHandle.wait()` for detached ones).
 */
export async function finishTracking(stack: Stack, runId: string): Promise<void> {
  const tracker = trackerOf(stack);
  if (!tracker) return;
  const db = stack.database;
  const meta = await trackerMetadata(db, runId);
  if (!meta || meta.finished || meta.error !== undefined || meta.id === undefined) return;
  const run = await db.getRun(runId);
  if (!run || !['completed', 'failed', 'cancelled'].includes(run.status)) return;
  const steps = [];
  for (const s of await db.listStepRuns(runId)) {
    steps.push({
      nodeId: s.nodeId,
      mapIndex: s.mapIndex,
      status: s.status,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      cacheReason: s.cacheReason,
      metadata: await db.getMetadata('step_run', s.id),
    });
  }
  const tracked: TrackerRun = {
    id: meta.id,
    url: meta.url ?? null,
    ...(meta.data === undefined ? {} : { data: meta.data }),
  };
  try {
    await tracker.finishRun(tracked, {
      status: run.status,
      endedAt: run.endedAt ?? Date.now(),
      error: run.error,
      steps,
    });
    await save(stack, runId, { ...meta, finished: true });
  } catch (error) {
    await save(stack, runId, { ...meta, error: describe(error) });
    if (tracker.required) {
      if (run.status === 'completed') {
        await db.updateRun(runId, { status: 'failed', error: `experiment tracker: ${describe(error)}` });
      }
      throw error;
    }
    trackerWarnings.write(
      `experiment tracker (${tracker.flavor}) did not record the end of run ${runId}: ${describe(error)}`,
    );
  }
}
