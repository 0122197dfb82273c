import { z } from 'zod';
import { Json, Millis } from './common.js';
import { StepStatus } from './steps.js';

export const Pipeline = z
  .object({ name: z.string(), runCount: z.number().int(), lastRunAt: Millis.nullable() })
  .meta({ id: 'Pipeline' });
export type Pipeline = z.infer<typeof Pipeline>;

export const DagNode = z
  .object({
    id: z.string(),
    step: z.string(),
    mapped: z.boolean().meta({ description: 'a map node: one instance per item of its `over` input' }),
    params: Json,
    outputs: z.array(z.object({ name: z.string(), kind: z.string() })),
    condition: z.object({ node: z.string(), output: z.string(), predicate: z.string() }).optional(),
    cache: z.boolean(),
    status: StepStatus.optional().meta({ description: 'on a run DAG: the step run status (map: aggregate)' }),
    stepRunId: z.string().optional(),
  })
  .meta({ id: 'DagNode' });
export type DagNode = z.infer<typeof DagNode>;

export const DagEdge = z
  .object({
    from: z.string(),
    to: z.string(),
    kind: z.enum(['data', 'order', 'condition']),
    output: z.string().optional(),
    input: z.string().optional(),
    collect: z.boolean().meta({ description: 'fan-in: the input receives every instance of a map node' }),
  })
  .meta({ id: 'DagEdge' });
export type DagEdge = z.infer<typeof DagEdge>;

export const MapGroup = z
  .object({
    nodeId: z.string(),
    over: z.object({ node: z.string(), output: z.string() }),
    concurrency: z.number().int().optional(),
    instances: z
      .array(z.object({ index: z.number().int(), stepRunId: z.string(), status: StepStatus }))
      .meta({ description: 'on a run DAG: one entry per instance (empty until the list is known)' }),
  })
  .meta({ id: 'MapGroup' });
export type MapGroup = z.infer<typeof MapGroup>;

export const Dag = z
  .object({
    pipelineName: z.string(),
    snapshotId: z.string(),
    nodes: z.array(DagNode),
    edges: z.array(DagEdge),
    mapGroups: z.array(MapGroup),
  })
  .meta({ id: 'Dag', description: 'nodes in topological order' });
export type Dag = z.infer<typeof Dag>;

export const Snapshot = z
  .object({ id: z.string(), pipelineName: z.string(), createdAt: Millis, body: Json, dag: Dag })
  .meta({ id: 'Snapshot' });
export type Snapshot = z.infer<typeof Snapshot>;
