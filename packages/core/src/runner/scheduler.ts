import type { StepStatus } from '../metadata/records.js';
import { dependenciesOf, type SnapshotNode } from '../pipeline/snapshot.js';

export interface SchedulerDecision {
  /** Pending nodes whose dependencies all succeeded: start them. */
  readonly ready: string[];
  /** Pending nodes that can never run (a dependency failed or was skipped, or fail-fast stopped the run). */
  readonly skip: { readonly node: string; readonly reason: string }[];
  /** Nothing is pending or running any more. */
  readonly finished: boolean;
  readonly failed: boolean;
}

const succeeded = (s: StepStatus | undefined) => s === 'completed' || s === 'cached';
const dead = (s: StepStatus | undefined) => s === 'failed' || s === 'skipped' || s === 'cancelled';

/**
 * The one scheduling rule every orchestrator shares: a pure function of the graph and the current
 * node states, so the local orchestrator and a Temporal workflow (which must be deterministic) make
 * the same decisions.
 */
export function schedule(
  nodes: readonly SnapshotNode[],
  status: ReadonlyMap<string, StepStatus>,
  options: { readonly failFast: boolean },
): SchedulerDecision {
  const anyFailed = nodes.some((n) => status.get(n.id) === 'failed');
  const ready: string[] = [];
  const skip: { node: string; reason: string }[] = [];
  const skipped = new Set<string>();
  let active = 0;
  for (const node of nodes) {
    const s = status.get(node.id) ?? 'pending';
    if (s === 'running') active++;
    if (s !== 'pending') continue;
    const deps = dependenciesOf(node);
    const blocker = deps.find((d) => dead(status.get(d)) || skipped.has(d));
    if (blocker) {
      skip.push({ node: node.id, reason: `upstream step "${blocker}" did not succeed` });
      skipped.add(node.id);
    } else if (anyFailed && options.failFast) {
      skip.push({ node: node.id, reason: 'run stopped after a failure (fail-fast)' });
      skipped.add(node.id);
    } else if (deps.every((d) => succeeded(status.get(d)))) {
      ready.push(node.id);
    } else {
      active++;
    }
  }
  return { ready, skip, finished: ready.length === 0 && active === 0, failed: anyFailed };
}
