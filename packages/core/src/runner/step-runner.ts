import type { StepStatus } from '../metadata/records.js';
import { SourceFingerprints } from '../source/fingerprint-sources.js';
import type { ArtifactIO } from './artifact-io.js';
import { FLUSH_BEFORE_QUICK_BODY_MS, runAttempts } from './attempt-loop.js';
import { cacheKey } from './cache-key.js';
import { CacheReuse } from './cache-reuse.js';
import { stepRunId } from './ids.js';
import { inlineMaxBytes } from './inline-artifact.js';
import { InputResolver } from './input-resolution.js';
import { type MapExpansion, MapStep } from './map-step.js';
import { RecentBlobs } from './recent-blobs.js';
import { resolveSources } from './source-inputs.js';
import {
  describeError,
  nodeOf,
  type ProducedOutput,
  type StepOutcome,
  type StepRunnerDeps,
  type StepTask,
} from './step-task.js';

export type { StepOutcome, StepRunnerDeps, StepTask } from './step-task.js';
export { pendingStepRun } from './step-task.js';

/**
 * The one place that knows how a step executes: resolve inputs (input-resolution.ts), compute the
 * cache key and reuse an identical step run (cache-reuse.ts), or run the body (attempt-loop.ts);
 * mapped steps expand and collect in map-step.ts. Orchestrators only decide where and when to call it.
 */
export class StepRunner {
  private readonly io: ArtifactIO;
  private readonly verifyingIo: ArtifactIO;
  private readonly inputs: InputResolver;
  private readonly cache: CacheReuse;
  private readonly maps: MapStep;
  private readonly sources: SourceFingerprints;

  constructor(private readonly deps: StepRunnerDeps) {
    // Small outputs stay in memory for the steps downstream (an in-process chain rereads nothing).
    this.io = {
      store: deps.artifactStore,
      materializers: deps.materializers,
      recent: new RecentBlobs(),
      // Outputs up to this size stay in their metadata row (inline-artifact.ts).
      inlineMaxBytes: inlineMaxBytes(),
    };
    this.verifyingIo = { ...this.io, verifyExisting: true };
    this.inputs = new InputResolver(deps.database, this.io);
    this.cache = new CacheReuse(deps);
    this.maps = new MapStep(deps.database, this.io, this.inputs);
    this.sources = deps.sources ?? new SourceFingerprints({ projectRoot: process.cwd() });
  }

  /**
   * The outputs this runner recorded for a step run it completed or reused (undefined once forgotten
   * or for a step run elsewhere): a progress view of an in-process run prints them without a read.
   */
  producedBy(stepRunId: string): readonly ProducedOutput[] | undefined {
    return this.inputs.producedBy(stepRunId);
  }

  async run(task: StepTask): Promise<StepOutcome> {
    const node = nodeOf(task);
    const mapIndex = task.mapIndex ?? -1;
    const id = stepRunId(task.runId, node.id, mapIndex);
    const db = this.deps.database;
    try {
      if (mapIndex < 0 && node.condition && !(await this.inputs.conditionHolds(task, node))) {
        await db.updateStepRun(id, {
          status: 'skipped',
          endedAt: Date.now(),
          cacheReason: 'condition was false',
        });
        return { status: 'skipped' };
      }
      const inputs = await this.inputs.resolve(task, node, mapIndex);
      if (node.sources)
        inputs.push(...(await resolveSources(this.sources, node, id, task.signal, declared(task))));
      const parts = this.cache.parts(node, inputs);
      const key = cacheKey(parts);
      // A cached chain runs on microtasks alone (its look-ups and hand-overs never wait for I/O): the
      // completions it holds are committed once the oldest waited 10 ms, through a turn of the event
      // loop, so timers (progress, heartbeats) and Ctrl-C are served and no finished step waits long.
      const mayReuse = (node.cache.enabled && !task.noCache) || Boolean(task.resumedFrom);
      if (task.onFinished && mayReuse) await db.flushCompletions?.(FLUSH_BEFORE_QUICK_BODY_MS);
      // (Nothing to look up for a step that can reuse nothing, e.g. under --no-cache.)
      const reused = mayReuse ? await this.cache.tryReuse(task, node, id, key, parts, inputs) : undefined;
      if (typeof reused === 'object') {
        this.inputs.remember(id, reused.outputs);
        if (task.onFinished) {
          // As for a step that ran (attempt-loop.ts): the steps downstream start on the outputs while
          // the `cached` row waits for its group commit, so a cached chain shares commits; the step's
          // promise still resolves only after the commit.
          reused.committed.catch(() => undefined);
          task.onFinished(reused.outcome);
        }
        await reused.committed;
        return reused.outcome;
      }
      const cacheReason =
        this.cache.disabledReason(task, node) ?? reused ?? (await this.cache.missReason(task, node, parts));
      // A run cancelled while this step's inputs were resolved or its sources fingerprinted (Ctrl-C
      // while a large file is hashed): its body does not start.
      task.signal?.throwIfAborted();
      return await runAttempts(
        {
          deps: this.deps,
          io: this.io,
          verifyingIo: this.verifyingIo,
          inputs: this.inputs,
          projectRoot: this.sources.projectRoot,
        },
        {
          task,
          node,
          id,
          mapIndex,
          inputs,
          cache: { cacheKey: key, cacheParts: parts, cacheReason },
        },
      );
    } catch (error) {
      // Failures before the step body (missing input artifact, store unreachable) still end the row;
      // a cancel that stopped it there (the run's signal, not a timeout) is recorded as one.
      const reason: unknown = task.signal?.reason;
      const cancelled =
        task.signal?.aborted === true && !(reason instanceof Error && reason.name === 'StepTimeoutError');
      const status = cancelled ? 'cancelled' : 'failed';
      await db.updateStepRun(id, { status, endedAt: Date.now(), ...describeError(error) });
      return { status, error: describeError(error).error };
    }
  }

  /**
   * Settles a step without running its body when that can be decided here: `skipped` (its condition is
   * false) or `cached` (an identical earlier step run, or the resumed run's). Undefined: it must run.
   * A submitter that dispatches steps to containers calls this first, so a hit starts no container;
   * anything unexpected is left to the step's own process, which reports it.
   */
  async decideWithoutRunning(task: StepTask): Promise<StepOutcome | undefined> {
    const node = nodeOf(task);
    const mapIndex = task.mapIndex ?? -1;
    const id = stepRunId(task.runId, node.id, mapIndex);
    const cacheable = (node.cache.enabled && !task.noCache) || Boolean(task.resumedFrom);
    if (!cacheable && !(mapIndex < 0 && node.condition)) return undefined;
    try {
      if (mapIndex < 0 && node.condition && !(await this.inputs.conditionHolds(task, node))) {
        await this.deps.database.updateStepRun(id, {
          status: 'skipped',
          endedAt: Date.now(),
          cacheReason: 'condition was false',
        });
        return { status: 'skipped' };
      }
      if (!cacheable) return undefined;
      const inputs = [
        ...(await this.inputs.resolve(task, node, mapIndex)),
        ...(await resolveSources(this.sources, node, id, task.signal, declared(task))),
      ];
      const parts = this.cache.parts(node, inputs);
      const reused = await this.cache.tryReuse(task, node, id, cacheKey(parts), parts, inputs);
      if (typeof reused !== 'object') return undefined;
      await reused.committed;
      this.inputs.remember(id, reused.outputs);
      return reused.outcome;
    } catch {
      return undefined;
    }
  }

  /** Creates a mapped step's instance rows (map-step.ts). */
  expand(task: StepTask): Promise<MapExpansion> {
    return this.maps.expand(task);
  }

  /**
   * Completes a mapped step's parent row from its instances (map-step.ts); `ended`: the statuses a run
   * loop saw its instances end with, if it saw them all.
   */
  collect(task: StepTask, count: number, ended?: ReadonlyMap<number, StepStatus>): Promise<StepOutcome> {
    return this.maps.collect(task, count, ended);
  }
}

/** The step's declared inputs (their kinds), from the pipeline module this process loaded. */
function declared(task: StepTask) {
  return task.compiled.steps.get(task.nodeId)?.spec.inputs ?? {};
}
