import type { JsonValue } from '../metadata/records.js';
import { type Stack, stackComponent } from '../stack/stack.js';
import { Alerter, sendAlert } from './alerter.js';

/** Run metadata key marking that the end of a run was alerted (so a second waiter does not re-send). */
export const RUN_ALERTED_KEY = 'strata.alerted';

/**
 * Tells the stack's alerter how a finished run ended, once per run: `run_failed` / `run_crashed`, and
 * `gate_refused` for each step of a completed run that logged `blessed: false` (the convention of
 * @strata/ml's gate step: a refusal is a completed run whose model was not promoted, so it would
 * otherwise pass unnoticed). Called by whoever sees the run finish, next to the experiment tracker.
 * Never throws: an alert must not change the run's outcome.
 */
export async function alertRunEnd(stack: Stack, runId: string): Promise<void> {
  if (!stackComponent(stack, Alerter)) return;
  try {
    const db = stack.database;
    const run = await db.getRun(runId);
    if (!run || !['completed', 'failed', 'crashed'].includes(run.status)) return;
    if ((await db.getMetadata('run', runId))[RUN_ALERTED_KEY] !== undefined) return;
    await db.addMetadata([
      { ownerType: 'run', ownerId: runId, key: RUN_ALERTED_KEY, value: true as JsonValue },
    ]);
    const fields = { run: runId, pipeline: run.pipelineName };
    if (run.status === 'failed' || run.status === 'crashed') {
      await sendAlert(stack, {
        kind: run.status === 'failed' ? 'run_failed' : 'run_crashed',
        severity: 'error',
        title: `run ${runId} of ${run.pipelineName} ${run.status}`,
        text: run.error ?? run.status,
        fields,
      });
      return;
    }
    for (const step of await db.listStepRuns(runId)) {
      const meta = await db.getMetadata('step_run', step.id);
      if (meta.blessed !== false) continue;
      await sendAlert(stack, {
        kind: 'gate_refused',
        severity: 'warning',
        title: `gate ${step.nodeId} of run ${runId} (${run.pipelineName}) refused the model`,
        text: typeof meta.reason === 'string' ? meta.reason : 'not blessed',
        fields: { ...fields, step: step.nodeId },
      });
    }
  } catch (error) {
    process.stderr.write(`alerts for run ${runId} not sent: ${(error as Error).message}\n`);
  }
}
