import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useMemo } from 'react';
import type { Lineage } from '../api/types.js';
import { layoutGraph } from '../components/graph-layout.js';
import { navigate } from '../router.js';

type LineageData = {
  label: string;
  sub: string;
  kind: 'artifact' | 'step';
  root: boolean;
  href: string;
  status?: string | undefined;
};

const LineageNodeView = memo(function LineageNodeView({ data, id }: NodeProps<Node<LineageData>>) {
  return (
    <div
      className={`lineage-node lineage-${data.kind}${data.root ? ' root' : ''}${data.status ? ` status-bg-${data.status}` : ''}`}
      data-lineage-id={id}
    >
      <Handle type="target" position={Position.Left} />
      <a
        href={data.href}
        onClick={(e) => {
          e.preventDefault();
          navigate(data.href);
        }}
      >
        {data.label}
      </a>
      <div className="small muted">{data.sub}</div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

const nodeTypes = { lineage: LineageNodeView };

function hrefOf(n: Lineage['nodes'][number]): string {
  if (n.type === 'artifact') return `/artifacts/${encodeURIComponent(n.id)}`;
  const runId = n.runId ?? n.id.split('/')[0] ?? '';
  const nodeId = n.id.slice(runId.length + 1).replace(/\[\d+\]$/, '');
  return `/runs/${encodeURIComponent(runId)}?step=${encodeURIComponent(nodeId)}`;
}

/** Producers, consumers, upstream and downstream of an artifact; every node links to its page. */
export function LineageGraph({ lineage }: { lineage: Lineage }) {
  const positions = useMemo(
    () =>
      layoutGraph(
        lineage.nodes.map((n) => ({ id: n.id, width: 180, height: 52 })),
        lineage.edges,
      ),
    [lineage],
  );
  // An artifact is best known by the name its producer gave it (`model`, `train`), not its id.
  const outputName = new Map(lineage.edges.map((e) => [e.to, e.name]));
  const nodes: Node<LineageData>[] = lineage.nodes.map((n) => ({
    id: n.id,
    type: 'lineage',
    position: positions.get(n.id) ?? { x: 0, y: 0 },
    data: {
      label: n.type === 'artifact' ? (outputName.get(n.id) ?? n.label) : n.label,
      sub:
        n.type === 'artifact' ? `${n.kind ?? 'artifact'} · ${n.id.slice(0, 12)}` : `step · ${n.status ?? ''}`,
      kind: n.type,
      root: n.id === lineage.root,
      href: hrefOf(n),
      status: n.type === 'step' ? n.status : undefined,
    },
    width: 180,
    height: 52,
  }));
  const edges: Edge[] = lineage.edges.map((e, i) => ({
    id: `l${i}`,
    source: e.from,
    target: e.to,
    label: e.name,
    markerEnd: { type: MarkerType.ArrowClosed },
  }));
  return (
    <section className="lineage" aria-label="Lineage graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ minZoom: 0.5, maxZoom: 1.1 }}
        minZoom={0.1}
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        colorMode="system"
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
