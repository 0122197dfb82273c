import { StrataError } from '@strata/core';
import { liveQuality, type TriggerRecord } from '@strata/core/plugin';
import { driftShare } from './drift-share.js';
import type { Evaluation, EvaluationContext, FiringCandidate } from './evaluation.js';

const POLL_MS = 5000;

/**
 * The versions `model@alias` served over the last window: live quality from feedback below the
 * threshold (accuracy) or above it (mae), or the share of drifted input features above it. At most one
 * firing per version and window period.
 *
 * Why not only the version the alias points at now: the model server rolls a degraded version back
 * within a request, usually before the agent's next look, and a degraded model that was rolled back is
 * exactly when a retraining run is wanted. So a version the alias was rolled back from within the
 * window is judged too (the current one first).
 */
export async function evaluateModelHealth(
  trigger: TriggerRecord,
  ctx: EvaluationContext,
): Promise<Evaluation> {
  const condition = trigger.condition;
  if (condition.kind !== 'model_health') throw new TypeError(`${trigger.name} is not a model-health trigger`);
  const nextCheck = ctx.now + POLL_MS;
  const [model, alias] = condition.model.split('@') as [string, string];
  const current = await ctx.stack.database.getAlias(model, alias);
  if (current === undefined) return { candidates: [], nextCheck };
  const since = ctx.now - condition.windowMs;
  const firedAt = (trigger.cursor as HealthCursor | null)?.firedAt ?? {};
  const rolledBack = (await ctx.stack.database.aliasHistory(model, alias))
    .filter((c) => c.action === 'rollback' && c.at >= since && c.previousVersion !== null)
    .map((c) => c.previousVersion as number);
  for (const version of new Set([current, ...rolledBack])) {
    const last = firedAt[version];
    if (last !== undefined && ctx.now - last < condition.windowMs) continue;
    const candidate = await judgeVersion(trigger, ctx, model, alias, version, since);
    if (candidate === undefined) continue;
    // Keyed by the previous firing of this version, which every agent reads from the same cursor: two
    // agents judging the same evidence build the same key, and the store lets one of them claim it.
    const dedupeKey = `health:${version}:${last ?? 'first'}`;
    const cursor = { firedAt: { ...firedAt, [version]: ctx.now } };
    return { candidates: [{ ...candidate, dedupeKey, cursor }], nextCheck };
  }
  return { candidates: [], nextCheck };
}

/** The trigger's memory: when each version last fired (epoch ms, keyed by version). */
interface HealthCursor {
  readonly firedAt?: Readonly<Record<number, number>>;
}

async function judgeVersion(
  trigger: TriggerRecord,
  ctx: EvaluationContext,
  model: string,
  alias: string,
  version: number,
  since: number,
): Promise<Pick<FiringCandidate, 'reason' | 'evidence'> | undefined> {
  const condition = trigger.condition;
  if (condition.kind !== 'model_health') throw new TypeError(`${trigger.name} is not a model-health trigger`);
  const windows = await ctx.stack.database.servingWindows({ model, version, since });
  let value: number | null;
  let n: number;
  let bad: boolean;
  if (condition.metric === 'drift') {
    const drift = driftShare(windows);
    value = drift.share;
    n = drift.n;
    bad = value !== null && value > condition.threshold;
  } else if (condition.metric === 'accuracy' || condition.metric === 'mae') {
    const q = liveQuality(windows);
    value = q[condition.metric];
    n = q.n;
    bad =
      value !== null &&
      (condition.metric === 'accuracy' ? value < condition.threshold : value > condition.threshold);
  } else {
    throw new StrataError(`metric "${condition.metric}" is not computed from serving`, {
      code: 'unknown_metric',
      field: 'metric',
      value: condition.metric,
      fix: 'use drift, accuracy or mae',
    });
  }
  if (!bad || n < condition.minCount) return undefined;
  const shown = Number(value!.toFixed(4));
  return {
    reason: `${model}@${alias} (v${version}) ${condition.metric} ${shown} ${condition.metric === 'accuracy' ? 'below' : 'above'} ${condition.threshold} over ${n} observations in the last ${Math.round(condition.windowMs / 1000)}s`,
    evidence: {
      model,
      alias,
      version,
      metric: condition.metric,
      value: shown,
      n,
      threshold: condition.threshold,
      since,
    },
  };
}
