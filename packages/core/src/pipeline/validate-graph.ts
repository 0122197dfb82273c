import { CompileError } from '../errors/strata-error.js';
import { dependenciesOf, type SnapshotNode } from './snapshot.js';

/**
 * Checks that every dependency exists and that there is no cycle, and returns the nodes in a
 * topological order. Bodies cannot express a cycle, but snapshots also arrive from files and other
 * processes, so the check is on the data, not on how it was built.
 */
export function validateGraph(pipeline: string, nodes: readonly SnapshotNode[]): SnapshotNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) {
    for (const dep of dependenciesOf(node)) {
      if (!byId.has(dep)) {
        throw new CompileError(`pipeline "${pipeline}": step "${node.id}" depends on unknown step "${dep}"`, {
          field: `${node.id}.inputs`,
          value: dep,
          fix: 'wire only outputs of steps called in the same pipeline',
        });
      }
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const order: SnapshotNode[] = [];
  const visit = (node: SnapshotNode, path: string[]) => {
    const s = state.get(node.id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node.id)), node.id].join(' -> ');
      throw new CompileError(`pipeline "${pipeline}" has a cycle: ${cycle}`, {
        code: 'cycle',
        field: node.id,
        value: cycle,
        fix: 'remove one of the dependencies in the cycle',
      });
    }
    state.set(node.id, 'visiting');
    for (const dep of dependenciesOf(node)) visit(byId.get(dep)!, [...path, node.id]);
    state.set(node.id, 'done');
    order.push(node);
  };
  for (const node of nodes) visit(node, []);
  return order;
}
