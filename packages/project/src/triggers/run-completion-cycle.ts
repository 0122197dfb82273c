import { StrataError } from '@strata/core';
import type { TriggerCondition, TriggerRecord } from '@strata/core/plugin';

type RunCompletion = Extract<TriggerCondition, { kind: 'run_completion' }>;

/**
 * Refuses a run-completion trigger that would start its own upstream again: `train` after `train`, or
 * `train` after `evaluate` while another trigger runs `evaluate` after `train`. Each run of such a cycle
 * ends and fires the next, so an agent would start runs for ever (one a second, found by trying it).
 * Paused triggers count: resuming one would close the cycle.
 */
export function refuseRunCompletionCycle(
  name: string,
  pipeline: string,
  condition: RunCompletion,
  existing: readonly TriggerRecord[],
): void {
  // Edges upstream -> downstream: when a run of `upstream` ends, the trigger runs `downstream`.
  const edges = existing
    .filter((t) => t.condition.kind === 'run_completion' && t.name !== name)
    .map((t) => ({
      trigger: t.name,
      upstream: (t.condition as RunCompletion).pipeline,
      downstream: t.target.pipeline,
    }));
  const path = pathBetween(pipeline, condition.pipeline, edges);
  if (path === undefined) return;
  const chain = [
    ...path.map((e) => `${e.upstream} ends -> trigger ${e.trigger} runs ${e.downstream}`),
    `${condition.pipeline} ends -> this trigger runs ${pipeline}`,
  ].join('; ');
  throw new StrataError(
    `trigger ${name}: --after ${condition.pipeline} would start runs for ever (${chain})`,
    {
      code: 'invalid_trigger',
      field: 'after',
      value: condition.pipeline,
      fix:
        path.length === 0
          ? `a pipeline cannot follow itself; to run ${pipeline} again and again use \`strata schedule create\``
          : `run-completion triggers must not form a cycle: choose another --after, or delete trigger ${path[0]!.trigger}`,
    },
  );
}

interface Edge {
  readonly trigger: string;
  readonly upstream: string;
  readonly downstream: string;
}

/** The edges leading from `from` to `to` (breadth first, so the shortest); [] when they are the same. */
function pathBetween(from: string, to: string, edges: readonly Edge[]): Edge[] | undefined {
  const via = new Map<string, Edge[]>([[from, []]]);
  const queue = [from];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (node === to) return via.get(node);
    for (const edge of edges) {
      if (edge.upstream !== node || via.has(edge.downstream)) continue;
      via.set(edge.downstream, [...via.get(node)!, edge]);
      queue.push(edge.downstream);
    }
  }
  return undefined;
}
