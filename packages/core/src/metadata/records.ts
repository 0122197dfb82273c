/**
 * The rows of the lineage store, shaped like ML Metadata: artifacts, executions (step runs), events
 * linking them, and contexts (pipeline, run). Timestamps are epoch milliseconds; JSON columns hold
 * plain JSON values.
 */

import type { Snapshot } from '../pipeline/snapshot.js';
import type { CacheParts } from '../runner/cache-key.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * `crashed`: the run's owner (process, container, workflow) was found gone while the run was still
 * marked running; set by whichever reader noticed, with the reason and time.
 */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'crashed';
/** `timed_out`: the step ran past its `timeoutMs` and was stopped; `crashed`: its owner died mid-step. */
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

export const finishedStepStatuses: readonly StepStatus[] = [
  'completed',
  'cached',
  'failed',
  'skipped',
  'cancelled',
  'timed_out',
  'crashed',
];

/** A run in one of these states never changes again (resume starts a new run). */
export const finishedRunStatuses: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'crashed'];

/** Statuses of a step or run that is not over: what liveness checks look after. */
export const activeStatuses: readonly (RunStatus & StepStatus)[] = ['pending', 'running'];

export interface RunRecord {
  readonly id: string;
  readonly name: string;
  readonly pipelineName: string;
  readonly snapshotId: string;
  readonly status: RunStatus;
  readonly stackName: string;
  readonly orchestrator: string;
  readonly params: JsonValue;
  /** What is needed to reproduce the run: git commit + dirty flag, lockfile hash, versions, stack config. */
  readonly environment: JsonValue;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly error: string | null;
  /** The run this one resumed, if any. */
  readonly resumedFrom: string | null;
}

export interface StepRunRecord {
  readonly id: string;
  readonly runId: string;
  /** The node id in the snapshot. */
  readonly nodeId: string;
  readonly stepName: string;
  /** -1 for an ordinary step; 0..n-1 for the instances of a mapped step. */
  readonly mapIndex: number;
  readonly status: StepStatus;
  readonly cacheKey: string | null;
  /** The named parts the cache key was hashed from, kept so a miss can say which part changed. */
  readonly cacheParts: CacheParts | null;
  /** "hit: run r-12 step train" or "miss: code of `train` changed". */
  readonly cacheReason: string | null;
  /** For a cache hit: the step run whose outputs were reused. */
  readonly cachedFrom: string | null;
  readonly attempt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly error: string | null;
  readonly errorStack: string | null;
}

export interface ArtifactRecord {
  readonly id: string;
  readonly uri: string;
  /** Key inside the artifact store (content-addressed). */
  readonly storeKey: string;
  readonly storeIdentity: string;
  readonly sha256: string;
  readonly size: number;
  readonly kind: string;
  readonly materializer: string;
  readonly materializerVersion: number;
  /** The materializer's summary: schema, shape, preview. */
  readonly summary: JsonValue;
  readonly producerStepRunId: string;
  readonly createdAt: number;
}

export type EventType = 'input' | 'output';

export interface EventRecord {
  readonly stepRunId: string;
  readonly artifactId: string;
  readonly type: EventType;
  /** The input or output name. */
  readonly name: string;
  /** Position for collected (fan-in) inputs and mapped outputs; 0 otherwise. */
  readonly position: number;
}

export type MetadataOwner = 'run' | 'step_run' | 'artifact';

export interface MetadataEntry {
  readonly ownerType: MetadataOwner;
  readonly ownerId: string;
  readonly key: string;
  readonly value: JsonValue;
  readonly createdAt: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  readonly stepRunId: string;
  readonly seq: number;
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
}

export interface SnapshotRecord {
  readonly id: string;
  readonly pipelineName: string;
  /** Parsed when read back (stored/snapshot-body.ts): a corrupt or newer-version body is an error. */
  readonly body: Snapshot;
  readonly createdAt: number;
}
