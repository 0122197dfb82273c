import type { StepRun, StepStatus } from '../api/types.js';

/** What the DAG shows for one node: its status, and for a mapped step the counts of its instances. */
export interface NodeState {
  readonly status: StepStatus;
  /** The node's own row (an ordinary step, or the parent row of a mapped step). */
  readonly row: StepRun | undefined;
  readonly instances: readonly StepRun[];
  readonly counts: Readonly<Partial<Record<StepStatus, number>>>;
}

const precedence: readonly StepStatus[] = [
  'failed',
  'running',
  'cancelled',
  'pending',
  'completed',
  'cached',
  'skipped',
];

/** Groups step rows by node; a map node's status is the most urgent of its rows' statuses. */
export function nodeStates(steps: readonly StepRun[]): Map<string, NodeState> {
  const byNode = new Map<string, { row: StepRun | undefined; instances: StepRun[] }>();
  for (const s of steps) {
    let entry = byNode.get(s.nodeId);
    if (!entry) {
      entry = { row: undefined, instances: [] };
      byNode.set(s.nodeId, entry);
    }
    if (s.mapIndex < 0) entry.row = s;
    else entry.instances.push(s);
  }
  const out = new Map<string, NodeState>();
  for (const [nodeId, { row, instances }] of byNode) {
    instances.sort((a, b) => a.mapIndex - b.mapIndex);
    const counts: Partial<Record<StepStatus, number>> = {};
    for (const i of instances) counts[i.status] = (counts[i.status] ?? 0) + 1;
    let status: StepStatus = row?.status ?? 'pending';
    if (instances.length > 0) {
      const present = new Set<StepStatus>(instances.map((i) => i.status));
      if (row && (row.status === 'failed' || row.status === 'cancelled')) {
        present.add(row.status);
      }
      const all = [...present];
      status =
        all.length === 1
          ? (all[0] as StepStatus)
          : present.has('completed') && present.has('cached') && all.length === 2
            ? 'completed'
            : (precedence.find((p) => present.has(p) && p !== 'completed' && p !== 'cached') ?? 'completed');
      // Some instances done and some waiting: the map as a whole is running.
      if (status === 'pending' && (present.has('completed') || present.has('cached'))) status = 'running';
    }
    out.set(nodeId, { status, row, instances, counts });
  }
  return out;
}

/** Sets one step row's status (a live event); an unknown id leaves the list as it is. */
export function withStepStatus(steps: readonly StepRun[], stepRunId: string, status: StepStatus): StepRun[] {
  const at = steps.findIndex((s) => s.id === stepRunId);
  if (at < 0) return steps as StepRun[];
  const copy = steps.slice();
  copy[at] = { ...(steps[at] as StepRun), status };
  return copy;
}
