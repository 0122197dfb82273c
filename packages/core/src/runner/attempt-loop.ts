import { StrataError } from '../errors/strata-error.js';
import type { ArtifactRecord } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { localPath } from '../source/local-fingerprint.js';
import type { StepContext } from '../step/step-context.js';
import { monotonicMs } from '../util/monotonic-ms.js';
import {
  type ArtifactIO,
  loadArtifact,
  loadFromMemory,
  NOT_IN_MEMORY,
  saveArtifactNow,
} from './artifact-io.js';
import type { InputResolver } from './input-resolution.js';
import { checkOutputs } from './output-check.js';
import { type LazySignal, raceBody, retryDelay, sleep } from './retry.js';
import { RunningMark } from './running-mark.js';
import { ScratchDir } from './scratch-dir.js';
import { sourceArtifacts, sourceValue } from './source-inputs.js';
import { type LoggedMetadata, makeStepContext } from './step-context-builder.js';
import { BufferedStepLogger, seqBase } from './step-logger.js';
import { captureStepOutput } from './step-output.js';
import { runInStepScope } from './step-scope.js';
import {
  type CacheDecision,
  describeError,
  inputEvents,
  type ResolvedInput,
  type StepOutcome,
  type StepRunnerDeps,
  type StepTask,
} from './step-task.js';
import { undeclaredReadMessage, watchUndeclaredReads } from './undeclared-reads.js';

/** How long a step runs before its row is marked `running` (running-mark.ts). */
const RUNNING_MARK_DELAY_MS = 100;

/**
 * Completions waiting for a group commit (docs/reliability.md, "When a step counts as completed") are
 * committed before a step body starts, unless that step's previous body in this process took less
 * than QUICK_BODY_MS; then only once the oldest has waited FLUSH_BEFORE_QUICK_BODY_MS. A body that
 * runs long does not keep a finished step before it uncommitted, while a chain of short steps still
 * shares commits (and yields to the event loop at each one). 10 ms rather than 2: a group of ~30
 * trivial steps instead of ~7 shares the pages every commit rewrites (the tables' and indexes' last
 * pages), about 5 % of a trivial step's CPU (docs/benchmarks.md, fifth round); the event loop still
 * turns every 10 ms for timers and Ctrl-C.
 */
const QUICK_BODY_MS = 1;
export const FLUSH_BEFORE_QUICK_BODY_MS = 10;
/** Step definitions whose last body in this process took less than QUICK_BODY_MS. */
const quickBodies = new WeakSet<object>();

/** What the attempt loop needs from the runner that owns it. */
export interface AttemptEnv {
  readonly deps: StepRunnerDeps;
  readonly io: ArtifactIO;
  /** `io` with verifyExisting (a --no-cache run's outputs), made once. */
  readonly verifyingIo: ArtifactIO;
  readonly inputs: InputResolver;
  /** Local sources resolve against it. */
  readonly projectRoot: string;
}

/** One step run to execute: which, with what inputs, and how the cache decided. */
export interface AttemptPlan {
  readonly task: StepTask;
  readonly node: SnapshotNode;
  readonly id: string;
  readonly mapIndex: number;
  readonly inputs: readonly ResolvedInput[];
  readonly cache: CacheDecision;
}

/**
 * Runs a step's body until it succeeds or its attempts are spent: loads inputs once, marks the row
 * running, runs the body under its timeout and the run's signal, writes outputs and completes the row,
 * then the success hook; on the last failure (or a cancel) records it and calls the failure hook.
 */
export async function runAttempts(env: AttemptEnv, plan: AttemptPlan): Promise<StepOutcome> {
  const { task, node, id, inputs, cache } = plan;
  const db = env.deps.database;
  const step = task.compiled.steps.get(node.id);
  if (!step) throw new Error(`step "${node.id}" is not defined by the loaded pipeline module`);
  const scratchDir = new ScratchDir();
  const logger = new BufferedStepLogger(db, id, env.deps.echo, 1000, seqBase(task.execution));
  if ((task.execution ?? 1) > 1)
    logger.warn(
      `execution ${task.execution} of this step: the orchestrator retried it after the previous one was lost`,
    );
  const metadata: LoggedMetadata[] = [];
  const attempts = Math.max(1, node.retry?.attempts ?? 1);
  let attempt = 0;
  let startedAt: number | null = null;
  let mark: RunningMark | undefined;
  let finishedEarly = false;
  try {
    const values: Record<string, unknown> = {};
    for (const input of inputs) {
      const loaded = [];
      if (input.source) {
        values[input.name] = sourceValue(input.source, env.projectRoot, input.openSource);
        continue;
      }
      for (const a of input.artifacts) {
        // A small input is decoded from memory, with no promise to wait for.
        const value = loadFromMemory(env.io, a);
        loaded.push(value !== NOT_IN_MEMORY ? value : await loadArtifact(env.io, a, () => scratchDir.path));
      }
      values[input.name] = input.collect ? loaded : loaded[0];
    }
    for (;;) {
      attempt++;
      startedAt = Date.now();
      // Written out, not spread: this object is made and copied for every step.
      const running: RunningPatch = {
        status: 'running',
        startedAt,
        attempt,
        cacheKey: cache.cacheKey,
        cacheParts: cache.cacheParts,
        cacheReason: cache.cacheReason,
      };
      // A retry is marked at once: it follows a failure someone may be watching.
      mark = new RunningMark(() => db.updateStepRun(id, running), attempt === 1 ? RUNNING_MARK_DELAY_MS : 0);
      try {
        await db.flushCompletions?.(quickBodies.has(step.spec) ? FLUSH_BEFORE_QUICK_BODY_MS : 0);
        // Reads in the body's async context are this execution's, even beside other steps in this process.
        // Both sessions begin just before the body: while one is open, every promise in the process pays
        // the async-context hooks (step-scope.ts), so nothing of the runner's own waits runs inside them.
        const watch = watchUndeclaredReads().begin({
          projectRoot: env.projectRoot,
          declared: declaredPaths(inputs, env.projectRoot),
        });
        // What the body prints becomes its log lines (shown live too unless an echo already shows them).
        const output = captureStepOutput().begin(logger, env.deps.echo === undefined);
        let result: unknown;
        const bodyStart = monotonicMs();
        try {
          // One scope for both sessions, entered once (step-scope.ts).
          const ran = runInStepScope({ reads: watch, output }, () =>
            raceBody(
              node.timeoutMs,
              task.signal,
              (signal) =>
                step.spec.run(
                  values as never,
                  node.params as never,
                  stepContext(env, plan, attempt, logger, metadata, scratchDir, signal),
                ),
              node.timeoutMs === undefined
                ? undefined
                : {
                    runId: task.runId,
                    stepRunId: id,
                    nodeId: node.id,
                    startedAt: running.startedAt,
                    attempt,
                  },
            ),
          );
          // A body that returned a plain value has finished: its sessions end now, without a turn of the
          // event loop in which the other steps' work would run with the hooks on (as a body's leaked
          // timer already runs after its step, a promise it started and did not return runs after it too).
          result = isPromise(ran) ? await ran : ran;
        } finally {
          if (monotonicMs() - bodyStart < QUICK_BODY_MS) quickBodies.add(step.spec);
          else quickBodies.delete(step.spec);
          output.end();
          const reads = watch.end();
          if (reads.length > 0) reportUndeclaredReads(reads, node, env.projectRoot, logger, metadata);
        }
        const artifacts = await writeOutputs(
          // --no-cache trusts no stored copy: a corrupt blob with the same content is replaced.
          task.noCache ? env.verifyingIo : env.io,
          node,
          id,
          checkOutputs(node.id, step.spec.outputs, result as never),
        );
        // Most steps log nothing and finish before their running mark: nothing to wait for then.
        if (!logger.untouched) await logger.flush();
        const marking = mark.settleNow();
        if (marking) await marking;
        const committed = completeRow(db, plan, running, artifacts, metadata);
        env.inputs.remember(
          id,
          artifacts.map((a) => ({ name: a.name, position: 0, artifact: a.artifact })),
        );
        if (task.onFinished && !step.spec.onSuccess) {
          // Steps downstream may start on the outputs in memory while the completion waits for its
          // group commit; nothing reports this step completed before the commit (this promise).
          // (A success hook runs after the commit, and the steps downstream after the hook, as before.)
          committed.catch(() => undefined);
          finishedEarly = true;
          task.onFinished({ status: 'completed' });
        }
        await committed;
        await step.spec.onSuccess?.(
          stepContext(env, plan, attempt, logger, metadata, scratchDir, new AbortController().signal),
        );
        return { status: 'completed' };
      } catch (error) {
        await mark.settle();
        const aborted = task.signal?.aborted === true;
        // Once steps downstream started on this attempt's outputs, a failed commit is not retried.
        if (attempt >= attempts || aborted || finishedEarly) throw error;
        const delay = retryDelay(node.retry, attempt);
        logger.warn(
          // The dashboard reads each attempt's timing and error back from this line (server views/attempts.ts).
          `attempt ${attempt}/${attempts} failed after ${Date.now() - startedAt} ms: ${describeError(error).error}; retrying in ${delay} ms`,
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
    const timedOut = !cancelled && error instanceof Error && error.name === 'StepTimeoutError';
    const status = cancelled ? 'cancelled' : timedOut ? 'timed_out' : 'failed';
    await mark?.settle();
    await db.updateStepRun(id, {
      ...cache,
      status,
      startedAt,
      endedAt: Date.now(),
      attempt,
      ...describeError(error),
    });
    try {
      await step.spec.onFailure?.(
        error,
        stepContext(env, plan, attempt, logger, metadata, scratchDir, new AbortController().signal),
      );
    } catch {
      // A failing failure hook must not hide the step's own error.
    }
    return { status, error: describeError(error).error };
  } finally {
    const closing = logger.close();
    if (closing) await closing;
    const removing = scratchDir.remove();
    if (removing) await removing;
  }
}

/**
 * The context the body and both hooks see; only the abort signal differs. A function of the module,
 * not a closure made per step: the bundle (keepNames) names every named closure, a call per step.
 */
function stepContext(
  env: AttemptEnv,
  plan: AttemptPlan,
  attempt: number,
  logger: BufferedStepLogger,
  metadata: LoggedMetadata[],
  scratchDir: ScratchDir,
  signal: AbortSignal | LazySignal,
): StepContext {
  return makeStepContext({
    task: plan.task,
    node: plan.node,
    stepRunId: plan.id,
    mapIndex: plan.mapIndex,
    attempt,
    logger,
    metadata,
    scratchDir,
    signal,
    components: env.deps.components,
    inputs: plan.inputs,
    io: env.io,
  });
}

/** raceBody returns a promise only for a body that returned a thenable. */
function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/** The local paths of a step's declared sources: reading them (or inside them) is declared. */
function declaredPaths(inputs: AttemptPlan['inputs'], projectRoot: string): readonly string[] {
  // Most steps have no source: one shared empty list, not a new one per step.
  if (!inputs.some((i) => i.source?.scheme === 'file')) return NO_PATHS;
  return inputs.flatMap((i) => (i.source?.scheme === 'file' ? [localPath(i.source.uri, projectRoot)] : []));
}

const NO_PATHS: readonly string[] = [];

/**
 * Records each undeclared read as a warning naming the file and how to declare it, and as step
 * metadata (`strata.undeclaredReads`); in strict mode (cache: { strict: true } or STRATA_CACHE_STRICT=1)
 * the step fails instead, since its cached result could go stale without anyone knowing.
 */
function reportUndeclaredReads(
  reads: readonly string[],
  node: AttemptPlan['node'],
  projectRoot: string,
  logger: BufferedStepLogger,
  metadata: LoggedMetadata[],
): void {
  for (const file of reads) logger.warn(undeclaredReadMessage(file, projectRoot));
  metadata.push({ values: { 'strata.undeclaredReads': [...reads] } });
  if (node.cache.strict || process.env.STRATA_CACHE_STRICT === '1') {
    throw new StrataError(
      `step ${node.id} read ${reads.length === 1 ? 'a file' : `${reads.length} files`} that ${reads.length === 1 ? 'is' : 'are'} not a declared source: ${reads.join(', ')}`,
      {
        code: 'undeclared_read',
        field: `${node.id}.inputs`,
        value: reads[0],
        fix: `declare it: pass source('${reads[0]}') to a t.source() or t.file() input of ${node.id} and read the path it receives (or drop cache.strict)`,
      },
    );
  }
}

/** The row's fields while its body runs (the completion adds its end). */
interface RunningPatch extends CacheDecision {
  readonly status: 'running';
  readonly startedAt: number;
  readonly attempt: number;
}

interface WrittenOutput {
  readonly name: string;
  readonly artifact: ArtifactRecord;
}

/** The completed row, its output artifacts, the lineage events and the metadata the step logged, in one write. */
async function completeRow(
  db: StrataDatabase,
  plan: AttemptPlan,
  running: RunningPatch,
  artifacts: readonly WrittenOutput[],
  metadata: readonly LoggedMetadata[],
): Promise<void> {
  const { id, inputs } = plan;
  const byOutput = metadata.length === 0 ? undefined : new Map(artifacts.map((a) => [a.name, a.artifact.id]));
  await db.completeStepRun({
    stepRunId: id,
    status: 'completed',
    patch: {
      status: running.status,
      startedAt: running.startedAt,
      attempt: running.attempt,
      cacheKey: running.cacheKey,
      cacheParts: running.cacheParts,
      cacheReason: running.cacheReason,
      endedAt: Date.now(),
      error: null,
      errorStack: null,
    },
    artifacts: [...sourceArtifacts(inputs), ...artifacts.map((a) => a.artifact)],
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
        m.output && byOutput?.has(m.output)
          ? { ownerType: 'artifact' as const, ownerId: byOutput.get(m.output)!, key, value }
          : { ownerType: 'step_run' as const, ownerId: id, key, value },
      ),
    ),
  });
}

async function writeOutputs(
  io: ArtifactIO,
  node: SnapshotNode,
  id: string,
  values: Record<string, unknown>,
): Promise<WrittenOutput[]> {
  const out: WrittenOutput[] = [];
  for (const name in node.outputs) {
    // The node's output spec is the artifact type ({ kind, materializer? }).
    const saved = saveArtifactNow(io, node.outputs[name]!, values[name], id);
    // A small output is kept inline: its row is made at once, with no promise to wait for.
    out.push({ name, artifact: saved instanceof Promise ? await saved : saved });
  }
  return out;
}
