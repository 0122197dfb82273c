import type { TriggerRecord } from '@strata/core/plugin';
import type { Evaluation, EvaluationContext } from './evaluation.js';

const POLL_MS = 1000;

/** Runs of the upstream pipeline that ended (in a firing status) after the cursor; one firing per run. */
export async function evaluateRunCompletion(
  trigger: TriggerRecord,
  ctx: EvaluationContext,
): Promise<Evaluation> {
  const condition = trigger.condition;
  if (condition.kind !== 'run_completion')
    throw new TypeError(`${trigger.name} is not a run-completion trigger`);
  const since = (trigger.cursor as { endedAfter?: number } | null)?.endedAfter ?? trigger.createdAt;
  const runs = await ctx.stack.database.listRuns({ pipelineName: condition.pipeline, limit: 50 });
  const statuses: readonly string[] = condition.statuses;
  const ended = runs
    .filter((r) => r.endedAt !== null && r.endedAt > since && statuses.includes(r.status))
    .sort((a, b) => a.endedAt! - b.endedAt!);
  return {
    candidates: ended.map((r) => ({
      dedupeKey: `run:${r.id}`,
      reason: `${condition.pipeline} run ${r.id} ${r.status}`,
      evidence: { runId: r.id, pipeline: condition.pipeline, status: r.status, endedAt: r.endedAt },
      cursor: { endedAfter: r.endedAt },
    })),
    nextCheck: ctx.now + POLL_MS,
  };
}
