import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { ArtifactRecord, EventRecord, LogLine, StepRunRecord, StepStatus } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { CompiledPipeline } from '../pipeline/pipeline.js';
import type { Snapshot, SnapshotNode } from '../pipeline/snapshot.js';
import type { SourceFingerprints } from '../source/fingerprint-sources.js';
import type { SourceObject } from '../source/source-reader.js';
import type { SourceFingerprint } from '../source/source-spec.js';
import type { CacheParts } from './cache-key.js';
import { stepRunId } from './ids.js';

/** One step (or one instance of a mapped step) of one run, as an orchestrator hands it to the StepRunner. */
export interface StepTask {
  readonly runId: string;
  readonly snapshot: Snapshot;
  readonly compiled: CompiledPipeline;
  readonly nodeId: string;
  /** -1 for an ordinary step (or a mapped step's parent row). */
  readonly mapIndex?: number;
  readonly noCache?: boolean;
  /** A previous run whose identical completed steps are reused (resume). */
  readonly resumedFrom?: string | null;
  readonly signal?: AbortSignal;
  /**
   * Which execution of this task its executor is making: 1 the first; a Temporal activity retried after
   * a worker died is execution 2, 3... Each execution logs in its own block of seqs, so the lines of a
   * retry never collide with (and are never dropped in favour of) those of the execution before it.
   */
  readonly execution?: number;
  /**
   * Called when the step finished with its outputs known in this process, possibly before its
   * completion is committed (the run's promise still resolves only after): an in-process run loop
   * starts the steps downstream on it, so a chain of short steps shares group commits.
   */
  readonly onFinished?: (outcome: StepOutcome) => void;
}

export interface StepOutcome {
  readonly status: StepStatus;
  readonly error?: string;
}

export interface StepRunnerDeps {
  readonly database: StrataDatabase;
  readonly artifactStore: ArtifactStore;
  readonly materializers: MaterializerRegistry;
  /** Live sink for log lines (CLI progress, container stdout). */
  readonly echo?: (line: LogLine) => void;
  /** The stack's components by type (`Stack.extras`), served to steps through `context.component()`. */
  readonly components?: ReadonlyMap<string, unknown>;
  /** Fingerprints sources (`Stack.sources`); core's file and http(s) fingerprinters when absent. */
  readonly sources?: SourceFingerprints;
}

/** An output a step run recorded, at its position (0, or the instance index of a collected map). */
export interface ProducedOutput {
  readonly name: string;
  readonly position: number;
  readonly artifact: ArtifactRecord;
}

/** A step input bound to the artifacts it reads (one, or the list a collecting input gathers). */
export interface ResolvedInput {
  readonly name: string;
  readonly artifacts: ArtifactRecord[];
  readonly collect: boolean;
  /** For a source input: the fingerprint taken before the cache lookup (its artifact row is new). */
  readonly source?: SourceFingerprint;
  /** For an object-store source the stack can read: its objects, pinned to that fingerprint. */
  readonly openSource?: (signal?: AbortSignal) => Promise<SourceObject[]>;
}

/** What the attempt loop records on the row together with its status: how the cache decided. */
export interface CacheDecision {
  readonly cacheKey: string;
  readonly cacheParts: CacheParts;
  readonly cacheReason: string;
}

/** Each snapshot's nodes by id, built once: a scan per step made a 2,000-step chain quadratic. */
const nodesById = new WeakMap<Snapshot, ReadonlyMap<string, SnapshotNode>>();

export function nodeOf(task: StepTask): SnapshotNode {
  let byId = nodesById.get(task.snapshot);
  if (!byId) {
    byId = new Map(task.snapshot.nodes.map((n) => [n.id, n]));
    nodesById.set(task.snapshot, byId);
  }
  const node = byId.get(task.nodeId);
  if (!node) throw new Error(`snapshot ${task.snapshot.id} has no step "${task.nodeId}"`);
  return node;
}

export function inputEvents(inputs: readonly ResolvedInput[]): Omit<EventRecord, 'stepRunId'>[] {
  return inputs.flatMap((input) =>
    input.artifacts.map((a, position) => ({
      artifactId: a.id,
      type: 'input' as const,
      name: input.name,
      position,
    })),
  );
}

export function pendingStepRun(runId: string, node: SnapshotNode, mapIndex = -1): StepRunRecord {
  return {
    id: stepRunId(runId, node.id, mapIndex),
    runId,
    nodeId: node.id,
    stepName: node.step,
    mapIndex,
    status: 'pending',
    cacheKey: null,
    cacheParts: null,
    cacheReason: null,
    cachedFrom: null,
    attempt: 0,
    startedAt: null,
    endedAt: null,
    error: null,
    errorStack: null,
  };
}

/**
 * The text recorded for a failed step. A plain StrataError's message says what failed, so its class
 * name would only be noise (`StrataError: ingest: …`); other errors keep theirs, since `TypeError: …`
 * or `IntegrityError: …` says what kind of failure it is. A StrataError's fix is kept after the
 * message: the run's failure line is often all a user reads. By name, not instanceof: errors rebuilt
 * from a worker or container keep their name but not their class.
 */
export function describeError(error: unknown): { error: string; errorStack: string | null } {
  if (error instanceof Error) {
    let text = error.name === 'StrataError' ? error.message : `${error.name}: ${error.message}`;
    const fix = (error as { fix?: unknown }).fix;
    if (typeof fix === 'string' && fix !== '' && !error.message.includes(fix)) text += `; fix: ${fix}`;
    return { error: text, errorStack: error.stack ?? null };
  }
  return { error: String(error), errorStack: null };
}
