import { Graph, layout } from '@dagrejs/dagre';

export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Top-left positions for a layered (Sugiyama) layout of a DAG, by dagre. Used for the run DAG and
 * the lineage graph; left-to-right reads like a pipeline.
 */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly { readonly from: string; readonly to: string }[],
  direction: 'LR' | 'TB' = 'LR',
): Map<string, { x: number; y: number }> {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: 28, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  let i = 0;
  for (const e of edges) {
    if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, {}, `e${i++}`);
  }
  layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    if (p) out.set(n.id, { x: p.x - n.width / 2, y: p.y - n.height / 2 });
  }
  return out;
}
