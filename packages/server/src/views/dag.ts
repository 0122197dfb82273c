import type { StepRunRecord, StepStatus } from '@strata/core';
import type { Snapshot, SnapshotNode } from '@strata/core/plugin';
import type { Dag, DagEdge, DagNode, MapGroup } from '../schemas/pipelines.js';

/**
 * The graph a UI draws from a snapshot body: one node per snapshot node, data edges from inputs,
 * ordering edges from `after`, condition edges, and a map group per mapped node. With a run's step
 * rows, nodes carry their status and map groups their instances.
 */
export function buildDag(snapshotId: string, body: Snapshot, steps: readonly StepRunRecord[] = []): Dag {
  const byNode = new Map<string, StepRunRecord[]>();
  for (const s of steps) {
    const list = byNode.get(s.nodeId) ?? [];
    list.push(s);
    byNode.set(s.nodeId, list);
  }
  const nodes: DagNode[] = [];
  const edges: DagEdge[] = [];
  const mapGroups: MapGroup[] = [];
  for (const node of body.nodes ?? []) {
    const rows = byNode.get(node.id) ?? [];
    nodes.push(dagNode(node, rows, steps.length > 0));
    for (const [input, binding] of Object.entries(node.inputs ?? {})) {
      edges.push({
        from: binding.node,
        to: node.id,
        kind: 'data',
        output: binding.output,
        input,
        collect: binding.collect,
      });
    }
    for (const before of node.after ?? [])
      edges.push({ from: before, to: node.id, kind: 'order', collect: false });
    if (node.condition) {
      edges.push({
        from: node.condition.node,
        to: node.id,
        kind: 'condition',
        output: node.condition.output,
        collect: false,
      });
    }
    if (node.map) {
      const over = node.inputs[node.map.over];
      mapGroups.push({
        nodeId: node.id,
        over: { node: over?.node ?? '', output: over?.output ?? node.map.over },
        ...(node.map.concurrency === undefined ? {} : { concurrency: node.map.concurrency }),
        instances: rows
          .filter((r) => r.mapIndex >= 0)
          .sort((a, b) => a.mapIndex - b.mapIndex)
          .map((r) => ({ index: r.mapIndex, stepRunId: r.id, status: r.status })),
      });
    }
  }
  return { pipelineName: body.pipeline, snapshotId, nodes, edges, mapGroups };
}

function dagNode(node: SnapshotNode, rows: readonly StepRunRecord[], withStatus: boolean): DagNode {
  const base: DagNode = {
    id: node.id,
    step: node.step,
    mapped: node.map !== undefined,
    params: node.params,
    outputs: Object.entries(node.outputs ?? {}).map(([name, spec]) => ({ name, kind: spec.kind })),
    ...(node.condition ? { condition: { ...node.condition } } : {}),
    cache: node.cache?.enabled ?? true,
  };
  if (!withStatus) return base;
  const own = rows.find((r) => r.mapIndex < 0) ?? rows[0];
  const status = aggregate(rows.map((r) => r.status));
  return { ...base, ...(status ? { status } : {}), ...(own ? { stepRunId: own.id } : {}) };
}

/** A map node's status from its rows: failed beats running beats pending; all done -> completed/cached. */
export function aggregate(statuses: readonly StepStatus[]): StepStatus | undefined {
  if (statuses.length === 0) return undefined;
  const order: StepStatus[] = ['failed', 'cancelled', 'running', 'pending', 'completed', 'cached', 'skipped'];
  const has = new Set(statuses);
  if (has.size === 1) return statuses[0];
  if (has.has('failed')) return 'failed';
  if (has.has('timed_out')) return 'timed_out';
  if (has.has('crashed')) return 'crashed';
  if (has.has('cancelled')) return 'cancelled';
  if (has.has('running') || (has.has('pending') && statuses.some((s) => s !== 'pending'))) return 'running';
  return order.find((s) => has.has(s));
}
