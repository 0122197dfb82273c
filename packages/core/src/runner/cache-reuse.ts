import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { CachedStep, PreviousRunSteps } from '../metadata/metadata-store.js';
import type { JsonValue, StepRunRecord } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { BoundedMap } from '../util/bounded-map.js';
import { type CacheParts, explainMiss, NodeKeyParts, sourcePart } from './cache-key.js';
import { isInline } from './inline-artifact.js';
import { sourceArtifacts } from './source-inputs.js';
import {
  inputEvents,
  type ProducedOutput,
  type ResolvedInput,
  type StepOutcome,
  type StepTask,
} from './step-task.js';

/** Runs whose newest earlier run is remembered (runs in flight in one process). */
const PREVIOUS_RUNS_SIZE = 16;
/** Nodes missing from that earlier run, looked up one by one. */
const PREVIOUS_ROWS_SIZE = 256;

export interface CacheReuseDeps {
  readonly database: StrataDatabase;
  readonly artifactStore: ArtifactStore;
  readonly materializers: MaterializerRegistry;
}

/** A step run an earlier run (or the resumed run) completed with the same key, with its outputs. */
export interface Reused {
  readonly outcome: StepOutcome;
  readonly outputs: readonly ProducedOutput[];
  /**
   * The `cached` row's commit (the store may hold it for a group commit): the step counts as cached
   * only once it resolves; steps downstream may start on `outputs` before (StepTask.onFinished).
   */
  readonly committed: Promise<void>;
}

/**
 * The cache side of a step: the parts its key is made of, reuse of an identical completed step run
 * (resume first, then the cache), and the reason a step missed.
 */
export class CacheReuse {
  /** The rows of the pipeline's newest other run, by run (see previousRow). */
  private readonly previousRuns = new BoundedMap<string, Promise<PreviousRunSteps | undefined>>(
    PREVIOUS_RUNS_SIZE,
  );
  /** Rows of nodes missing from that run, by (run, node): once per node, not per map instance. */
  private readonly previousRows = new BoundedMap<string, Promise<StepRunRecord | undefined>>(
    PREVIOUS_ROWS_SIZE,
  );

  /** Each node's parts but its inputs (the node objects of a snapshot are never changed). */
  private readonly templates = new WeakMap<SnapshotNode, NodeKeyParts>();

  constructor(private readonly deps: CacheReuseDeps) {}

  parts(node: SnapshotNode, inputs: readonly ResolvedInput[]): CacheParts {
    let named: Record<string, string | string[]> | undefined = {};
    for (const i of inputs) {
      // A source's fingerprint is per execution: such a node's parts are written whole (below).
      if (i.source !== undefined) {
        named = undefined;
        break;
      }
      named[i.name] = i.collect ? i.artifacts.map((a) => a.sha256) : i.artifacts[0]!.sha256;
    }
    const template = this.templateOf(node);
    if (named !== undefined) return template.withInputs(named);
    const { outputs, store, ...codeAndParams } = template.fixed;
    const upstream = inputs.filter((i) => i.source === undefined);
    const sources = inputs.filter((i) => i.source !== undefined);
    return {
      ...codeAndParams,
      inputs: Object.fromEntries(
        upstream.map((i) => [i.name, i.collect ? i.artifacts.map((a) => a.sha256) : i.artifacts[0]!.sha256]),
      ),
      sources: Object.fromEntries(sources.map((i) => [i.name, sourcePart(i.source!)])),
      outputs,
      store,
    };
  }

  /** The node's key parts but its inputs, once per node: every instance of a mapped step shares them. */
  private templateOf(node: SnapshotNode): NodeKeyParts {
    let template = this.templates.get(node);
    if (template === undefined) {
      template = new NodeKeyParts({
        code: node.version === undefined ? node.codeHash : `version:${node.version}`,
        // An explicit version replaces the code identity: its files and packages do not count either.
        ...(node.version === undefined && node.code
          ? { files: node.code.files, packages: node.code.packages }
          : {}),
        params: node.params as Record<string, JsonValue>,
        outputs: this.outputsOf(node),
        store: this.deps.artifactStore.identity,
      });
      this.templates.set(node, template);
    }
    return template;
  }

  /** output name -> materializer id@version: the same for every execution of the node in a run. */
  private outputsOf(node: SnapshotNode): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(node.outputs)) {
      const id = this.deps.materializers.idFor(
        spec.materializer === undefined
          ? { kind: spec.kind }
          : { kind: spec.kind, materializer: spec.materializer },
      );
      const m = id ? this.deps.materializers.get(id) : undefined;
      outputs[name] = m ? `${m.id}@${m.version}` : 'auto';
    }
    return outputs;
  }

  /** Why a step runs when caching is off for it or for the run (no look-up needed); else undefined. */
  disabledReason(task: StepTask, node: SnapshotNode): string | undefined {
    if (!node.cache.enabled) return 'miss: caching disabled for this step';
    if (task.noCache) return 'miss: caching disabled for this run (--no-cache)';
    return undefined;
  }

  /** Why a step that was not reused runs: disabled, or what differs from its previous row. */
  async missReason(task: StepTask, node: SnapshotNode, parts: CacheParts): Promise<string> {
    const disabled = this.disabledReason(task, node);
    if (disabled !== undefined) return disabled;
    return explainMiss(node.id, parts, (await this.previousRow(task, node.id))?.cacheParts ?? undefined);
  }

  /**
   * Completes the row as `cached` from an identical earlier step run. Otherwise the step must run:
   * undefined when there is none, or a miss reason when there is one whose output bytes are gone from
   * the artifact store (someone cleaned it), so the step's row says so instead of a generic miss.
   * Resolves once the completion is handed to the store; await `committed` for its commit.
   */
  async tryReuse(
    task: StepTask,
    node: SnapshotNode,
    id: string,
    key: string,
    parts: CacheParts,
    inputs: readonly ResolvedInput[],
  ): Promise<Reused | string | undefined> {
    const db = this.deps.database;
    let source: CachedStep['stepRun'] | undefined;
    let outputs: readonly ProducedOutput[] | undefined;
    let reason = '';
    if (task.resumedFrom) {
      const previous = await db.getStepRun(id.replace(task.runId, task.resumedFrom));
      if (
        previous &&
        (previous.status === 'completed' || previous.status === 'cached') &&
        previous.cacheKey === key
      ) {
        source = previous.cachedFrom ? ((await db.getStepRun(previous.cachedFrom)) ?? previous) : previous;
        reason = `hit: reused from run ${task.resumedFrom} (resume)`;
      }
    }
    if (!source && node.cache.enabled && !task.noCache) {
      const ttl = node.cache.ttlSeconds;
      const hit = await db.findCached(key, ttl === undefined ? undefined : Date.now() - ttl * 1000);
      if (hit) {
        source = hit.stepRun;
        outputs = hit.outputs;
        reason = `hit: run ${hit.stepRun.runId} step ${hit.stepRun.nodeId}`;
      }
    }
    if (!source) return undefined;
    outputs ??= (await db.stepRunEvents(source.id)).filter((e) => e.type === 'output');
    for (const event of outputs) {
      // A cached row is only useful if its bytes are still there (someone may have cleaned the store).
      if (isInline(event.artifact)) continue;
      if (!(await this.deps.artifactStore.exists(event.artifact.storeKey))) {
        return `miss: run ${source.runId} step ${source.nodeId} made this result, but its output "${event.name}" (${event.artifact.uri}) is gone from the artifact store`;
      }
    }
    const now = Date.now();
    const committed = db.completeStepRun({
      stepRunId: id,
      status: 'cached',
      patch: {
        startedAt: now,
        endedAt: now,
        cacheKey: key,
        cacheParts: parts,
        cacheReason: reason,
        cachedFrom: source.id,
      },
      artifacts: sourceArtifacts(inputs),
      events: [
        ...inputEvents(inputs),
        ...outputs.map((e) => ({
          artifactId: e.artifact.id,
          type: 'output' as const,
          name: e.name,
          position: e.position,
        })),
      ],
      metadata: [],
    });
    return { outcome: { status: 'cached' }, outputs, committed };
  }

  /**
   * The previous row of a node, for miss reasons. The rows of the pipeline's newest other run are read
   * once per run (one query instead of one per node; none for a pipeline's first run); only a node
   * missing from that run is looked up on its own, once per (run, node).
   */
  private async previousRow(task: StepTask, nodeId: string): Promise<StepRunRecord | undefined> {
    const db = this.deps.database;
    const previous = await this.previousRuns.promise(task.runId, () =>
      db.previousRunSteps(task.snapshot.pipeline, task.runId),
    );
    if (!previous) return undefined;
    const found = previous.steps.get(nodeId);
    if (found) return found;
    return this.previousRows.promise(`${task.runId}\u0000${nodeId}`, () =>
      db.previousStepRun(task.snapshot.pipeline, nodeId, task.runId),
    );
  }
}
