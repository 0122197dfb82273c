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
import type { Dag, StepStatus } from '../api/types.js';
import { layoutGraph } from '../components/graph-layout.js';
import { describeCondition } from './condition-text.js';
import type { NodeState } from './node-state.js';

const W = 190;
const H = 64;

type StepNodeData = {
  label: string;
  status: StepStatus;
  map: { total: number; done: number; over: string } | undefined;
  condition: string | undefined;
  selected: boolean;
  /** False on a snapshot's DAG: nothing has run, so no status word or colour. */
  showStatus: boolean;
};

/** One step: its name, a status word and colour, and for a map the instance count and progress. */
const StepNode = memo(function StepNode({ data, id }: NodeProps<Node<StepNodeData>>) {
  return (
    <div
      className={`dag-node${data.showStatus ? ` status-bg-${data.status}` : ''}${data.selected ? ' selected' : ''}${data.map ? ' map' : ''}`}
      data-node-id={id}
      data-status={data.showStatus ? data.status : undefined}
      title={data.map ? `one instance per item of ${data.map.over}` : undefined}
    >
      <Handle type="target" position={Position.Left} />
      <div className="dag-node-title">
        {data.label}
        {data.map ? <span className="map-tag">map</span> : null}
      </div>
      <div className="dag-node-sub">
        {data.showStatus ? data.status : data.map ? 'map' : 'step'}
        {data.map && data.showStatus ? ` · ${data.map.done}/${data.map.total} done` : ''}
      </div>
      {data.map && data.map.total > 0 ? (
        <div className="progress" aria-hidden="true">
          <div style={{ width: `${(100 * data.map.done) / data.map.total}%` }} />
        </div>
      ) : null}
      {data.condition ? <div className="dag-node-cond">if {data.condition}</div> : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

const nodeTypes = { step: StepNode };

/** The run's DAG, laid out by dagre, coloured by each node's live status. Click or Enter selects. */
export function DagView({
  dag,
  states,
  selected,
  onSelect,
  showStatus = true,
}: {
  dag: Dag;
  states: ReadonlyMap<string, NodeState>;
  selected: string | undefined;
  onSelect: (nodeId: string) => void;
  showStatus?: boolean;
}) {
  // The layout depends only on the graph's shape, not on statuses: it is computed once per run.
  const positions = useMemo(
    () =>
      layoutGraph(
        dag.nodes.map((n) => ({ id: n.id, width: W, height: H })),
        dag.edges,
      ),
    [dag],
  );
  const overs = new Map(dag.mapGroups.map((g) => [g.nodeId, `${g.over.node}.${g.over.output}`]));
  const nodes: Node<StepNodeData>[] = dag.nodes.map((n) => {
    const st = states.get(n.id);
    const done = (st?.counts.completed ?? 0) + (st?.counts.cached ?? 0) + (st?.counts.skipped ?? 0);
    return {
      id: n.id,
      type: 'step',
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      data: {
        label: n.id,
        status: st?.status ?? 'pending',
        map: n.mapped ? { total: st?.instances.length ?? 0, done, over: overs.get(n.id) ?? '?' } : undefined,
        condition: n.condition ? describeCondition(n.condition) : undefined,
        selected: n.id === selected,
        showStatus,
      },
      ariaLabel: showStatus ? `Step ${n.id}, ${st?.status ?? 'pending'}` : `Step ${n.id}`,
      width: W,
      height: H,
    };
  });
  const edges: Edge[] = dag.edges.map((e, i) => ({
    id: `${e.from}-${e.to}-${i}`,
    source: e.from,
    target: e.to,
    label:
      e.kind === 'data'
        ? e.collect
          ? `${e.output ?? ''} (all)`
          : (e.output ?? '')
        : e.kind === 'condition'
          ? 'if'
          : 'after',
    animated: states.get(e.to)?.status === 'running',
    markerEnd: { type: MarkerType.ArrowClosed },
    style: e.kind === 'data' ? {} : { strokeDasharray: '4 4' },
  }));
  return (
    <section className="dag" aria-label="Pipeline graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ minZoom: 0.55, maxZoom: 1.1 }}
        minZoom={0.1}
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_, n) => onSelect(n.id)}
        proOptions={{ hideAttribution: true }}
        colorMode="system"
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
