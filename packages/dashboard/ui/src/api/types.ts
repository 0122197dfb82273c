/**
 * The shapes the pages read: the server's API types (packages/server/src/schemas), mirrored here
 * until the dashboard imports them from `@strata/server/schemas`. `api.ts` is the only module that
 * talks to the server.
 */
export type Json = unknown;

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'crashed';
export type StepStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'cached'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'timed_out'
  | 'crashed';

export interface Run {
  id: string;
  name: string;
  pipelineName: string;
  snapshotId: string;
  status: RunStatus;
  stackName: string;
  orchestrator: string;
  params: Json;
  environment: Json;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  resumedFrom: string | null;
}

export interface RunPage {
  items: Run[];
  nextCursor?: string | undefined;
}

export interface StepRun {
  id: string;
  runId: string;
  nodeId: string;
  stepName: string;
  mapIndex: number;
  status: StepStatus;
  cacheKey: string | null;
  cacheParts: Json;
  cacheReason: string | null;
  cachedFrom: string | null;
  attempt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  errorStack: string | null;
}

export interface StepIo {
  type: 'input' | 'output';
  name: string;
  position: number;
  artifactId: string;
  kind: string;
  size: number;
}

export interface StepDetail {
  step: StepRun;
  params: Json;
  io: StepIo[];
  metadata: Record<string, Json>;
}

export interface LogLine {
  stepRunId: string;
  seq: number;
  at: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface LogPage {
  items: LogLine[];
  nextAfterSeq?: number | undefined;
}

export interface Pipeline {
  name: string;
  runCount: number;
  lastRunAt: number | null;
}

export interface DagNode {
  id: string;
  step: string;
  mapped: boolean;
  params: Json;
  outputs: { name: string; kind: string }[];
  condition?: { node: string; output: string; predicate: string } | undefined;
  cache: boolean;
  status?: StepStatus | undefined;
  stepRunId?: string | undefined;
}

export interface DagEdge {
  from: string;
  to: string;
  kind: 'data' | 'order' | 'condition';
  output?: string | undefined;
  input?: string | undefined;
  collect: boolean;
}

export interface MapGroup {
  nodeId: string;
  over: { node: string; output: string };
  concurrency?: number | undefined;
  instances: { index: number; stepRunId: string; status: StepStatus }[];
}

export interface Dag {
  pipelineName: string;
  snapshotId: string;
  nodes: DagNode[];
  edges: DagEdge[];
  mapGroups: MapGroup[];
}

export interface Artifact {
  id: string;
  uri: string;
  storeIdentity: string;
  sha256: string;
  size: number;
  kind: string;
  materializer: string;
  materializerVersion: number;
  summary: Json;
  producerStepRunId: string;
  createdAt: number;
}

export interface ArtifactDetail {
  artifact: Artifact;
  producers: StepRun[];
  consumers: { stepRun: StepRun; name: string }[];
  metadata: Record<string, Json>;
}

export type Preview =
  | {
      type: 'table';
      columns: { name: string; type: string }[];
      rows: unknown[][];
      totalRows: number | null;
      truncated: boolean;
    }
  | { type: 'json'; value: unknown; truncated: boolean }
  | { type: 'text'; text: string; truncated: boolean }
  | { type: 'image'; mediaType: string; dataUrl: string }
  | { type: 'binary'; size: number; reason: string };

export interface LineageNode {
  id: string;
  type: 'artifact' | 'step';
  label: string;
  runId?: string | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  depth: number;
}

export interface Lineage {
  root: string;
  direction: 'upstream' | 'downstream' | 'both';
  depth: number;
  nodes: LineageNode[];
  edges: { from: string; to: string; name: string }[];
  truncated: boolean;
}

export interface Model {
  name: string;
  description: string | null;
  createdAt: number;
  latestVersion: number;
  aliases: Record<string, number>;
}

export interface ModelVersion {
  model: string;
  version: number;
  artifactId: string;
  runId: string | null;
  metrics: Json;
  metadata: Json;
  createdAt: number;
}

export interface AliasChange {
  model: string;
  alias: string;
  version: number;
  previousVersion: number | null;
  action: 'promote' | 'rollback';
  reason: string;
  actor: string;
  at: number;
}

export interface ModelDetail {
  model: Model;
  versions: ModelVersion[];
  history: AliasChange[];
}

export interface Component {
  type: string;
  name: string;
  flavor: string;
  config: Json;
  createdAt: number;
  updatedAt: number;
}

export interface Stack {
  name: string;
  components: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface StackDetail {
  stack: Stack;
  components: Component[];
}

export interface MetricPoint {
  runId: string;
  runCreatedAt: number;
  stepRunId: string | null;
  nodeId: string | null;
  key: string;
  value: Json;
}

export interface ServerInfo {
  version: string;
  api: 'v1';
  database: 'sqlite' | 'postgres';
  auth: 'local' | 'token';
  principal: { name: string; scope: 'read' | 'write' | 'admin' };
}

export interface RunFilter {
  pipeline?: string | undefined;
  status?: string | undefined;
  stack?: string | undefined;
  from?: number | undefined;
  /** Text in the run id or name, matched by the server over every run (not only this page). */
  q?: string | undefined;
  /** Runs of one snapshot. */
  snapshot?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A live change pushed by the server over SSE: ids and the new status; pages fetch more if needed. */
export type LiveEvent =
  | { id: string; type: 'run'; at: number; data: { runId: string; pipelineName: string; status: string } }
  | {
      id: string;
      type: 'step';
      at: number;
      data: { runId: string; stepRunId: string; nodeId: string; status: string };
    }
  | {
      id: string;
      type: 'log';
      at: number;
      data: { runId: string; stepRunId: string; seq: number; level: string; message: string };
    }
  | {
      id: string;
      type: 'model';
      at: number;
      data: { model: string; alias: string | null; version: number; action: string };
    };
