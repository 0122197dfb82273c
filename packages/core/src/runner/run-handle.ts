import { alertRunEnd } from '../alerter/run-alerts.js';
import { finishTracking } from '../experiment-tracker/tracking.js';
import { reconcileRun } from '../liveness/reconcile.js';
import { finishedRunStatuses, type RunRecord, type RunStatus } from '../metadata/records.js';
import type { Snapshot } from '../pipeline/snapshot.js';
import type { Stack } from '../stack/stack.js';
import { loadArtifact } from './artifact-io.js';
import { stepRunId } from './ids.js';
import { sleep } from './retry.js';
import type { ProducedOutput } from './step-task.js';

const finished: readonly RunStatus[] = finishedRunStatuses;

/** How often `wait()` asks whether a detached run's owner is still there. */
const OWNER_PROBE_MS = 2_000;

/** A submitted run: its id at once, its outcome through `wait()`, its outputs through `output()`. */
export class RunHandle {
  readonly id: string;
  readonly name: string;

  constructor(
    private readonly stack: Stack,
    run: RunRecord,
    private readonly execution: Promise<{ readonly detached: boolean }>,
    /**
     * The run's snapshot when this process submitted it (the same content as its stored row): a
     * progress view reads its nodes from here instead of reading and parsing the row again.
     */
    readonly snapshot?: Snapshot,
    private readonly inMemory?: (stepRunId: string) => readonly ProducedOutput[] | undefined,
  ) {
    this.id = run.id;
    this.name = run.name;
    // Surface orchestrator crashes through wait(), not as unhandled rejections.
    execution.catch(() => undefined);
  }

  /**
   * The outputs of a step run of this run as the runner in this process recorded them (name,
   * position, artifact record: the same as its output events), or undefined when this process did not
   * run the step or no longer remembers it: a progress view then reads them from the store.
   */
  outputsInMemory(stepRunId: string): readonly ProducedOutput[] | undefined {
    return this.inMemory?.(stepRunId);
  }

  async status(): Promise<RunStatus> {
    return (await this.stack.database.getRun(this.id))!.status;
  }

  /** Resolves with the final run record; in-process runs finish with the orchestrator, remote ones are polled. */
  async wait(options: { pollMs?: number; timeoutMs?: number } = {}): Promise<RunRecord> {
    const { detached } = await this.execution;
    const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    // The run's own orchestrator judges its owner (a workflow), asked every few seconds, not every poll.
    const orchestrator = this.stack.orchestrator;
    const probe = orchestrator.judgeOwner?.bind(orchestrator);
    let probedAt = 0;
    for (;;) {
      let run = (await this.stack.database.getRun(this.id))!;
      if (!detached) return run;
      // A detached run whose owner died would otherwise be waited for forever.
      if (!finished.includes(run.status) && Date.now() - probedAt >= OWNER_PROBE_MS) {
        probedAt = Date.now();
        const probes = probe ? { workflow: probe, container: probe } : undefined;
        run = await reconcileRun(this.stack.database, run, probes ? { probes } : {});
      }
      if (finished.includes(run.status)) {
        await finishTracking(this.stack, run.id);
        await alertRunEnd(this.stack, run.id);
        return (await this.stack.database.getRun(this.id))!;
      }
      if (Date.now() > deadline)
        throw new Error(`run ${this.id} did not finish within ${options.timeoutMs} ms`);
      await sleep(options.pollMs ?? 250);
    }
  }

  /** Loads an output value of a step of this run (a mapped step yields the array of its instances' values). */
  async output<T = unknown>(step: string, name: string): Promise<T> {
    const events = (await this.stack.database.stepRunEvents(stepRunId(this.id, step)))
      .filter((e) => e.type === 'output' && e.name === name)
      .sort((a, b) => a.position - b.position);
    if (events.length === 0) throw new Error(`run ${this.id} has no output "${name}" of step "${step}"`);
    const io = { store: this.stack.artifactStore, materializers: this.stack.materializers };
    const values = [];
    for (const e of events) values.push(await loadArtifact(io, e.artifact));
    const node = (await this.stack.database.getStepRun(stepRunId(this.id, step)))!;
    const mapped = (await this.stack.database.listStepRuns(this.id)).some(
      (r) => r.nodeId === node.nodeId && r.mapIndex >= 0,
    );
    return (mapped ? values : values[0]) as T;
  }
}
