import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import { StrataError } from '../errors/strata-error.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { PreviousRunSteps } from '../metadata/metadata-store.js';
import type {
  ArtifactRecord,
  EventRecord,
  JsonValue,
  LogLine,
  MetadataEntry,
  StepRunRecord,
  StepStatus,
} from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { CompiledPipeline } from '../pipeline/pipeline.js';
import type { Snapshot, SnapshotNode } from '../pipeline/snapshot.js';
import type { StepContext } from '../step/step-context.js';
import { type ArtifactIO, loadArtifact, saveArtifact } from './artifact-io.js';
import { type CacheParts, cacheKey, explainMiss } from './cache-key.js';
import { itemEventName, stepRunId } from './ids.js';
import { inlineMaxBytes, isInline } from './inline-artifact.js';
import { RecentBlobs } from './recent-blobs.js';
import { retryDelay, sleep, withTimeout } from './retry.js';
import { RunningMark } from './running-mark.js';
import { ScratchDir } from './scratch-dir.js';
import { BufferedStepLogger } from './step-logger.js';

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
}

/** How long a step runs before its row is marked `running` (running-mark.ts). */
const RUNNING_MARK_DELAY_MS = 100;

/** Item artifacts a mapped step's expansion writes at once. */
const EXPAND_WRITES = 8;

/** Output lists of step runs this runner completed, kept for the steps downstream (bounded). */
const PRODUCED_CACHE_SIZE = 4096;

interface ProducedOutput {
  readonly name: string;
  readonly position: number;
  readonly artifact: ArtifactRecord;
}

interface ResolvedInput {
  readonly name: string;
  readonly artifacts: ArtifactRecord[];
  readonly collect: boolean;
}

/**
 * The one place that knows how a step executes: resolve inputs, compute the cache key, reuse or run,
 * materialize outputs, record lineage. Orchestrators only decide where and when to call it.
 */
export class StepRunner {
  private readonly io: ArtifactIO;
  private readonly itemCache = new Map<string, Promise<ArtifactRecord[][]>>();
  /**
   * The outputs of the step runs this runner completed (or reused). Completed outputs never change,
   * so the next step of an in-process run takes its inputs from here instead of reading back what was
   * just written; outputs recorded by another process are read from the store.
   */
  private readonly produced = new Map<string, readonly ProducedOutput[]>();
  /** The rows of the pipeline's newest other run, by run (see previousRow). */
  private readonly previousRuns = new Map<string, Promise<PreviousRunSteps | undefined>>();
  /** Rows of nodes missing from that run, by (run, node): once per node, not per map instance. */
  private readonly previousRows = new Map<string, Promise<StepRunRecord | undefined>>();

  constructor(private readonly deps: StepRunnerDeps) {
    // Small outputs stay in memory for the steps downstream (an in-process chain rereads nothing).
    this.io = {
      store: deps.artifactStore,
      materializers: deps.materializers,
      recent: new RecentBlobs(),
      // Outputs up to this size stay in their metadata row (inline-artifact.ts).
      inlineMaxBytes: inlineMaxBytes(),
    };
  }

  async run(task: StepTask): Promise<StepOutcome> {
    const node = nodeOf(task);
    const mapIndex = task.mapIndex ?? -1;
    const id = stepRunId(task.runId, node.id, mapIndex);
    const db = this.deps.database;
    try {
      if (mapIndex < 0 && node.condition && !(await this.conditionHolds(task, node))) {
        await db.updateStepRun(id, {
          status: 'skipped',
          endedAt: Date.now(),
          cacheReason: 'condition was false',
        });
        return { status: 'skipped' };
      }
      const inputs = await this.resolveInputs(task, node, mapIndex);
      const parts = this.cacheParts(node, inputs);
      const key = cacheKey(parts);
      const reused = await this.tryReuse(task, node, id, key, parts, inputs);
      if (reused) return reused;
      const reason = !node.cache.enabled
        ? 'miss: caching disabled for this step'
        : task.noCache
          ? 'miss: caching disabled for this run (--no-cache)'
          : explainMiss(
              node.id,
              parts,
              (await this.previousRow(task, node.id))?.cacheParts as CacheParts | undefined,
            );
      return await this.execute(task, node, id, mapIndex, inputs, {
        cacheKey: key,
        cacheParts: parts as unknown as JsonValue,
        cacheReason: reason,
      });
    } catch (error) {
      // Failures before the step body (missing input artifact, store unreachable) still end the row.
      await db.updateStepRun(id, { status: 'failed', endedAt: Date.now(), ...describeError(error) });
      return { status: 'failed', error: describeError(error).error };
    }
  }

  /**
   * Creates the instance rows of a mapped step, one per element of the list it maps over, and records
   * each element as an artifact of the parent row. Idempotent, so a resumed run re-expands safely.
   */
  async expand(task: StepTask): Promise<StepRunRecord[]> {
    const node = nodeOf(task);
    const over = node.map!.over;
    const parentId = stepRunId(task.runId, node.id);
    const db = this.deps.database;
    await db.updateStepRun(parentId, { status: 'running', startedAt: Date.now() });
    const itemName = itemEventName(over);
    let items = (await db.stepRunEvents(parentId)).filter((e) => e.name === itemName).map((e) => e.artifact);
    if (items.length === 0) {
      const binding = node.inputs[over]!;
      const source = await this.outputArtifacts(task.runId, binding.node, binding.output);
      if (binding.collect) {
        items = source;
      } else {
        const list = await loadArtifact(this.io, source[0]!);
        if (!Array.isArray(list)) {
          throw new TypeError(
            `step "${node.id}" maps over input "${over}", but its value is ${typeof list}, not an array`,
          );
        }
        // A few writes at a time: one after the other, a 1,000-item list waited for 1,000 store round trips.
        items = await mapLimited(list, EXPAND_WRITES, (element) =>
          saveArtifact(this.io, { kind: 'json' }, element, parentId),
        );
      }
      await db.completeStepRun({
        stepRunId: parentId,
        status: 'running',
        patch: {},
        artifacts: binding.collect ? [] : items,
        events: [
          // The list the step maps over is an input of the parent row, so lineage reaches the instances.
          ...source.map((a, position) => ({
            artifactId: a.id,
            type: 'input' as const,
            name: over,
            position,
          })),
          ...items.map((a, position) => ({
            artifactId: a.id,
            type: 'output' as const,
            name: itemName,
            position,
          })),
        ],
        metadata: [],
      });
    }
    const existing = new Set(
      (await db.listStepRuns(task.runId)).filter((r) => r.nodeId === node.id).map((r) => r.mapIndex),
    );
    const rows = items.map((_, i) => pendingStepRun(task.runId, node, i));
    await db.addStepRuns(rows.filter((r) => !existing.has(r.mapIndex)));
    return rows;
  }

  async instanceRows(task: StepTask): Promise<StepRunRecord[]> {
    return (await this.deps.database.listStepRuns(task.runId)).filter(
      (r) => r.nodeId === task.nodeId && r.mapIndex >= 0,
    );
  }

  /**
   * Completes a mapped step's parent row once every instance finished: outputs become ordered lists.
   * The instances' rows are read in one query; their outputs come from what this runner recorded for
   * them (or, for instances run elsewhere, from their events).
   */
  async collect(task: StepTask, count: number): Promise<StepOutcome> {
    const node = nodeOf(task);
    const parentId = stepRunId(task.runId, node.id);
    const db = this.deps.database;
    const children = new Map((await this.instanceRows(task)).map((r) => [r.mapIndex, r]));
    const events: Omit<EventRecord, 'stepRunId'>[] = [];
    for (let i = 0; i < count; i++) {
      const child = children.get(i);
      if (!child || (child.status !== 'completed' && child.status !== 'cached')) {
        const error = `instance ${i} of ${count} ended ${child?.status ?? 'missing'}${child?.error ? `: ${child.error}` : ''}`;
        await db.updateStepRun(parentId, { status: 'failed', endedAt: Date.now(), error });
        return { status: 'failed', error };
      }
      const outputs =
        this.produced.get(child.id) ?? (await db.stepRunEvents(child.id)).filter((e) => e.type === 'output');
      for (const output of outputs)
        events.push({ artifactId: output.artifact.id, type: 'output', name: output.name, position: i });
    }
    await db.completeStepRun({
      stepRunId: parentId,
      status: 'completed',
      patch: { endedAt: Date.now(), cacheReason: `collected ${count} instances` },
      artifacts: [],
      events,
      metadata: [],
    });
    return { status: 'completed' };
  }

  private async conditionHolds(task: StepTask, node: SnapshotNode): Promise<boolean> {
    const { node: source, output, predicate } = node.condition!;
    const [artifact] = await this.outputArtifacts(task.runId, source, output);
    const fn = task.compiled.predicates.get(predicate);
    if (!fn || !artifact) throw new Error(`condition ${predicate} of step "${node.id}" cannot be evaluated`);
    return fn(await loadArtifact(this.io, artifact));
  }

  private async resolveInputs(
    task: StepTask,
    node: SnapshotNode,
    mapIndex: number,
  ): Promise<ResolvedInput[]> {
    const resolved: ResolvedInput[] = [];
    for (const [name, binding] of Object.entries(node.inputs)) {
      if (mapIndex >= 0 && node.map?.over === name) {
        const items = await this.mapItems(stepRunId(task.runId, node.id), itemEventName(name));
        resolved.push({ name, artifacts: items[mapIndex] ?? [], collect: false });
        continue;
      }
      const artifacts = await this.outputArtifacts(task.runId, binding.node, binding.output);
      if (artifacts.length === 0 && !binding.collect) {
        throw new Error(
          `input "${name}" of step "${node.id}": upstream "${binding.node}" recorded no output "${binding.output}"`,
        );
      }
      resolved.push({ name, artifacts, collect: binding.collect });
    }
    return resolved;
  }

  /**
   * A mapped step's items by position. Items never change once recorded, so they are read once per
   * parent row, not once per instance (which made a 5,000-item fan-out quadratic).
   */
  private mapItems(parentId: string, itemName: string): Promise<ArtifactRecord[][]> {
    const key = `${parentId}\u0000${itemName}`;
    let entry = this.itemCache.get(key);
    if (!entry) {
      entry = this.deps.database.stepRunEvents(parentId).then((events) => {
        const byPosition: ArtifactRecord[][] = [];
        for (const e of events) {
          if (e.name !== itemName) continue;
          const list = byPosition[e.position] ?? [];
          list.push(e.artifact);
          byPosition[e.position] = list;
        }
        if (byPosition.length === 0) this.itemCache.delete(key);
        return byPosition;
      });
      entry.catch(() => this.itemCache.delete(key));
      this.itemCache.set(key, entry);
      if (this.itemCache.size > 16) this.itemCache.delete(this.itemCache.keys().next().value!);
    }
    return entry;
  }

  /**
   * The previous row of a node, for miss reasons. The rows of the pipeline's newest other run are read
   * once per run (one query instead of one per node; none for a pipeline's first run); only a node
   * missing from that run is looked up on its own, once per (run, node).
   */
  private async previousRow(task: StepTask, nodeId: string): Promise<StepRunRecord | undefined> {
    const db = this.deps.database;
    let run = this.previousRuns.get(task.runId);
    if (!run) {
      run = db.previousRunSteps(task.snapshot.pipeline, task.runId);
      run.catch(() => this.previousRuns.delete(task.runId));
      this.previousRuns.set(task.runId, run);
      if (this.previousRuns.size > 16) this.previousRuns.delete(this.previousRuns.keys().next().value!);
    }
    const previous = await run;
    if (!previous) return undefined;
    const found = previous.steps.get(nodeId);
    if (found) return found;
    const key = `${task.runId}\u0000${nodeId}`;
    let entry = this.previousRows.get(key);
    if (!entry) {
      entry = db.previousStepRun(task.snapshot.pipeline, nodeId, task.runId);
      entry.catch(() => this.previousRows.delete(key));
      this.previousRows.set(key, entry);
      if (this.previousRows.size > 256) this.previousRows.delete(this.previousRows.keys().next().value!);
    }
    return entry;
  }

  private remember(id: string, outputs: readonly ProducedOutput[]): void {
    this.produced.set(id, outputs);
    if (this.produced.size > PRODUCED_CACHE_SIZE) this.produced.delete(this.produced.keys().next().value!);
  }

  private async outputArtifacts(runId: string, nodeId: string, output: string): Promise<ArtifactRecord[]> {
    const id = stepRunId(runId, nodeId);
    const known = this.produced.get(id);
    if (known) {
      return known
        .filter((e) => e.name === output)
        .sort((a, b) => a.position - b.position)
        .map((e) => e.artifact);
    }
    const events = await this.deps.database.stepRunEvents(id);
    return events
      .filter((e) => e.type === 'output' && e.name === output)
      .sort((a, b) => a.position - b.position)
      .map((e) => e.artifact);
  }

  private cacheParts(node: SnapshotNode, inputs: ResolvedInput[]): CacheParts {
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
    return {
      code: node.version === undefined ? node.codeHash : `version:${node.version}`,
      params: node.params as Record<string, JsonValue>,
      inputs: Object.fromEntries(
        inputs.map((i) => [i.name, i.collect ? i.artifacts.map((a) => a.sha256) : i.artifacts[0]!.sha256]),
      ),
      outputs,
      store: this.deps.artifactStore.identity,
    };
  }

  private async tryReuse(
    task: StepTask,
    node: SnapshotNode,
    id: string,
    key: string,
    parts: CacheParts,
    inputs: ResolvedInput[],
  ): Promise<StepOutcome | undefined> {
    const db = this.deps.database;
    let source: StepRunRecord | undefined;
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
      if (!(await this.deps.artifactStore.exists(event.artifact.storeKey))) return undefined;
    }
    const now = Date.now();
    await db.completeStepRun({
      stepRunId: id,
      status: 'cached',
      patch: {
        startedAt: now,
        endedAt: now,
        cacheKey: key,
        cacheParts: parts as unknown as JsonValue,
        cacheReason: reason,
        cachedFrom: source.id,
      },
      artifacts: [],
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
    this.remember(id, outputs);
    return { status: 'cached' };
  }

  private async execute(
    task: StepTask,
    node: SnapshotNode,
    id: string,
    mapIndex: number,
    inputs: ResolvedInput[],
    cache: { cacheKey: string; cacheParts: JsonValue; cacheReason: string },
  ): Promise<StepOutcome> {
    const db = this.deps.database;
    const step = task.compiled.steps.get(node.id);
    if (!step) throw new Error(`step "${node.id}" is not defined by the loaded pipeline module`);
    const scratchDir = new ScratchDir();
    const logger = new BufferedStepLogger(db, id, this.deps.echo);
    const metadata: { output?: string; values: Record<string, JsonValue> }[] = [];
    const attempts = Math.max(1, node.retry?.attempts ?? 1);
    let attempt = 0;
    let startedAt: number | null = null;
    let mark: RunningMark | undefined;
    // The body and both hooks see the same context; only the abort signal differs.
    const contextFor = (signal: AbortSignal) =>
      makeContext(task, node, id, mapIndex, attempt, logger, metadata, scratchDir, signal, {
        components: this.deps.components,
        inputs,
      });
    try {
      const values: Record<string, unknown> = {};
      for (const input of inputs) {
        const loaded = [];
        for (const a of input.artifacts) loaded.push(await loadArtifact(this.io, a, () => scratchDir.path));
        values[input.name] = input.collect ? loaded : loaded[0];
      }
      for (;;) {
        attempt++;
        startedAt = Date.now();
        const running = { status: 'running' as const, startedAt, attempt, ...cache };
        // A retry is marked at once: it follows a failure someone may be watching.
        mark = new RunningMark(
          () => db.updateStepRun(id, running),
          attempt === 1 ? RUNNING_MARK_DELAY_MS : 0,
        );
        try {
          const result = await withTimeout(node.timeoutMs, task.signal, (signal) => {
            return Promise.resolve(step.spec.run(values as never, node.params as never, contextFor(signal)));
          });
          const artifacts = await this.writeOutputs(node, id, result);
          await logger.flush();
          const byOutput = new Map(artifacts.map((a) => [a.name, a.artifact.id]));
          await mark.settle();
          await db.completeStepRun({
            stepRunId: id,
            status: 'completed',
            patch: { ...running, endedAt: Date.now(), error: null, errorStack: null },
            artifacts: artifacts.map((a) => a.artifact),
            events: [
              ...inputEvents(inputs),
              ...artifacts.map((a) => ({
                artifactId: a.artifact.id,
                type: 'output' as const,
                name: a.name,
                position: 0,
              })),
            ],
            metadata: metadata.flatMap((m) =>
              Object.entries(m.values).map(([key, value]) =>
                m.output && byOutput.has(m.output)
                  ? { ownerType: 'artifact' as const, ownerId: byOutput.get(m.output)!, key, value }
                  : { ownerType: 'step_run' as const, ownerId: id, key, value },
              ),
            ),
          });
          this.remember(
            id,
            artifacts.map((a) => ({ name: a.name, position: 0, artifact: a.artifact })),
          );
          await step.spec.onSuccess?.(contextFor(new AbortController().signal));
          return { status: 'completed' };
        } catch (error) {
          await mark.settle();
          const aborted = task.signal?.aborted === true;
          if (attempt >= attempts || aborted) throw error;
          const delay = retryDelay(node.retry, attempt);
          logger.warn(
            `attempt ${attempt}/${attempts} failed: ${describeError(error).error}; retrying in ${delay} ms`,
          );
          await sleep(delay, task.signal);
        }
      }
    } catch (error) {
      logger.error(describeError(error).error ?? String(error));
      await logger.flush().catch(() => undefined);
      const cancelled =
        task.signal?.aborted === true &&
        !(task.signal.reason instanceof Error && task.signal.reason.name === 'StepTimeoutError');
      await mark?.settle();
      await db.updateStepRun(id, {
        ...cache,
        status: cancelled ? 'cancelled' : 'failed',
        startedAt,
        endedAt: Date.now(),
        attempt,
        ...describeError(error),
      });
      try {
        await step.spec.onFailure?.(error, contextFor(new AbortController().signal));
      } catch {
        // A failing failure hook must not hide the step's own error.
      }
      return { status: cancelled ? 'cancelled' : 'failed', error: describeError(error).error };
    } finally {
      await scratchDir.remove();
    }
  }

  private async writeOutputs(node: SnapshotNode, id: string, result: unknown) {
    const declared = Object.entries(node.outputs);
    if (declared.length > 0 && (typeof result !== 'object' || result === null)) {
      throw new TypeError(
        `step "${node.id}" must return an object with outputs ${declared.map(([n]) => n).join(', ')}`,
      );
    }
    const out: { name: string; artifact: ArtifactRecord }[] = [];
    for (const [name, spec] of declared) {
      const value = (result as Record<string, unknown>)[name];
      if (value === undefined)
        throw new TypeError(`step "${node.id}" returned no value for output "${name}"`);
      const type =
        spec.materializer === undefined
          ? { kind: spec.kind }
          : { kind: spec.kind, materializer: spec.materializer };
      out.push({ name, artifact: await saveArtifact(this.io, type, value, id) });
    }
    return out;
  }
}

/** Calls `fn` on every item with at most `limit` calls in flight; results keep the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function nodeOf(task: StepTask): SnapshotNode {
  const node = task.snapshot.nodes.find((n) => n.id === task.nodeId);
  if (!node) throw new Error(`snapshot ${task.snapshot.id} has no step "${task.nodeId}"`);
  return node;
}

function inputEvents(inputs: ResolvedInput[]): Omit<EventRecord, 'stepRunId'>[] {
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

function describeError(error: unknown): { error: string; errorStack: string | null } {
  if (error instanceof Error)
    return { error: `${error.name}: ${error.message}`, errorStack: error.stack ?? null };
  return { error: String(error), errorStack: null };
}

function makeContext(
  task: StepTask,
  node: SnapshotNode,
  id: string,
  mapIndex: number,
  attempt: number,
  logger: BufferedStepLogger,
  metadata: { output?: string; values: Record<string, JsonValue> }[],
  scratchDir: ScratchDir,
  signal: AbortSignal,
  env: { components?: ReadonlyMap<string, unknown> | undefined; inputs?: readonly ResolvedInput[] } = {},
): StepContext {
  const { components } = env;
  return {
    runId: task.runId,
    stepRunId: id,
    nodeId: node.id,
    stepName: node.step,
    pipelineName: task.snapshot.pipeline,
    mapIndex,
    attempt,
    logger,
    log(values, options) {
      metadata.push(options?.output === undefined ? { values } : { values, output: options.output });
    },
    outputUri: (name) =>
      `strata://runs/${task.runId}/${node.id}${mapIndex >= 0 ? `[${mapIndex}]` : ''}/${name}`,
    get scratchDir() {
      return scratchDir.path;
    },
    signal,
    inputArtifacts: (name) => env.inputs?.find((i) => i.name === name)?.artifacts ?? [],
    component<T>(type: string): T {
      const found = components?.get(type);
      if (found === undefined) {
        throw new StrataError(`step "${node.id}" needs a ${type} component, but the active stack has none`, {
          code: 'missing_component',
          field: type,
          value: [...(components?.keys() ?? [])].join(', ') || 'none',
          fix: `register one and add it to the stack (strata stack update <stack> --${type.replaceAll('_', '-')} NAME)`,
        });
      }
      return found as T;
    },
  };
}

export type { MetadataEntry };
