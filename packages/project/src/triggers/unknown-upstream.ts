import { StrataError } from '@strata/core';
import { didYouMean, type TriggerCondition, type TriggerRecord } from '@strata/core/plugin';

type RunCompletion = Extract<TriggerCondition, { kind: 'run_completion' }>;

/**
 * Refuses a run-completion trigger whose upstream (`--after`) is no pipeline the store knows: one that
 * has runs, or one a stored schedule or trigger runs. A typo (`--after trian`) was stored, and the
 * trigger never fired. A pipeline some trigger will run counts, so a chain can be set up before its
 * first run (`train` on new data, `evaluate` after `train`); one nothing runs yet is run once first.
 */
export function refuseUnknownUpstream(
  name: string,
  condition: RunCompletion,
  pipelines: readonly { readonly name: string }[],
  triggers: readonly TriggerRecord[],
): void {
  const known = new Set([...pipelines.map((p) => p.name), ...triggers.map((t) => t.target.pipeline)]);
  if (known.has(condition.pipeline)) return;
  const guess = didYouMean(condition.pipeline, known);
  const names = [...known].sort();
  const listed =
    names.length === 0
      ? 'the store knows no pipeline yet'
      : `known pipelines: ${names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (strata pipelines list)` : names.join(', ')}`;
  throw new StrataError(
    `trigger ${name}: --after "${condition.pipeline}" is not a pipeline this store has runs of or a trigger runs (${listed})`,
    {
      code: 'invalid_trigger',
      field: 'after',
      value: condition.pipeline,
      fix: `${guess ? `did you mean --after ${guess}? ` : ''}give the upstream pipeline's name (strata pipelines list); for one that has never run, run it once (strata run FILE) or create the trigger that runs it first`,
    },
  );
}
