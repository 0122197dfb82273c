import type { TriggerRecord } from '@strata/core/plugin';
import type { SourceVersion } from '../triggers/local-source.js';
import { needsSettling, sourceVersion } from '../triggers/source-version.js';
import type { Evaluation, EvaluationContext } from './evaluation.js';

/**
 * A local version is fired once two looks this far apart agree (a file still being copied changes in
 * between); an object store's listing only shows whole objects, so its versions fire at first sight.
 */
export const SETTLE_MS = 150;

/**
 * A new data version: the source's digest differs from the cursor's and has settled. Keyed by the
 * digest, so the same data version never starts two runs, whichever agent looks.
 */
export async function evaluateNewData(trigger: TriggerRecord, ctx: EvaluationContext): Promise<Evaluation> {
  const condition = trigger.condition;
  if (condition.kind !== 'new_data') throw new TypeError(`${trigger.name} is not a new-data trigger`);
  const version = await sourceVersion(condition.source, ctx.stack);
  const seen = trigger.cursor as SourceVersion | null;
  const poll = ctx.now + condition.pollMs;
  if (seen === null) return { candidates: [], cursor: version as never, nextCheck: poll };
  if (version.digest === seen.digest) {
    ctx.memo.delete('settling');
    return { candidates: [], nextCheck: poll };
  }
  if (needsSettling(condition.source) && ctx.memo.get('settling') !== version.digest) {
    ctx.memo.set('settling', version.digest);
    return { candidates: [], nextCheck: ctx.now + SETTLE_MS };
  }
  ctx.memo.delete('settling');
  const before = seen.entries ?? {};
  const added = Object.keys(version.entries).filter((k) => !(k in before));
  const changed = Object.keys(version.entries).filter((k) => k in before && before[k] !== version.entries[k]);
  const removed = Object.keys(before).filter((k) => !(k in version.entries));
  const what = [
    added.length
      ? `${added.length} added (${added.slice(0, 3).join(', ')}${added.length > 3 ? ', …' : ''})`
      : '',
    changed.length ? `${changed.length} changed` : '',
    removed.length ? `${removed.length} removed` : '',
  ].filter(Boolean);
  return {
    candidates: [
      {
        dedupeKey: `data:${version.digest}`,
        reason: `new data in ${condition.source}: ${what.join(', ') || 'files changed'}`,
        evidence: {
          uri: condition.source,
          digest: version.digest,
          count: version.count,
          previous: seen.digest,
          added,
          changed,
          removed,
        },
        cursor: version as never,
      },
    ],
    nextCheck: poll,
  };
}
