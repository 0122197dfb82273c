import type { StepRunStatus } from '../metadata/metadata-store.js';
import type { EventRecord, StepRunRecord, StepStatus } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import { mapLimited } from '../util/map-limited.js';
import { type ArtifactIO, loadArtifact, saveArtifact } from './artifact-io.js';
import { itemEventName, stepRunId } from './ids.js';
import type { InputResolver } from './input-resolution.js';
import { nodeOf, type ProducedOutput, pendingStepRun, type StepOutcome, type StepTask } from './step-task.js';

/** Item artifacts a mapped step's expansion writes at once. */
const EXPAND_WRITES = 8;

/** A mapped step's instance rows, and the statuses they already had (a resumed run's finished ones). */
export interface MapExpansion {
  readonly rows: StepRunRecord[];
  /** By map index; only the instance rows that existed before this expansion. */
  readonly statuses: ReadonlyMap<number, StepStatus>;
}

/** A mapped step's parent row: expanding it into instance rows, and collecting their outputs. */
export class MapStep {
  constructor(
    private readonly database: StrataDatabase,
    private readonly io: ArtifactIO,
    private readonly inputs: InputResolver,
  ) {}

  /**
   * Creates the instance rows of a mapped step, one per element of the list it maps over, and records
   * each element as an artifact of the parent row. Idempotent, so a resumed run re-expands safely.
   * The items are handed to the input resolver, so the instances do not read them back.
   */
  async expand(task: StepTask): Promise<MapExpansion> {
    const node = nodeOf(task);
    const over = node.map!.over;
    const parentId = stepRunId(task.runId, node.id);
    const db = this.database;
    await db.updateStepRun(parentId, { status: 'running', startedAt: Date.now() });
    const itemName = itemEventName(over);
    let items = (await db.stepRunEvents(parentId)).filter((e) => e.name === itemName).map((e) => e.artifact);
    // Instance rows are added only after the items are recorded: a step with no items yet has none.
    const recorded = items.length > 0;
    if (!recorded) {
      const binding = node.inputs[over]!;
      const source = await this.inputs.outputArtifacts(task.runId, binding.node, binding.output);
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
    this.inputs.rememberItems(parentId, itemName, items);
    const statuses = new Map<number, StepStatus>();
    if (recorded) {
      for (const r of await db.listStepStatuses(task.runId))
        if (r.nodeId === node.id && r.mapIndex >= 0) statuses.set(r.mapIndex, r.status);
    }
    const rows = items.map((_, i) => pendingStepRun(task.runId, node, i));
    await db.addStepRuns(rows.filter((r) => !statuses.has(r.mapIndex)));
    return { rows, statuses };
  }

  async instanceRows(task: StepTask): Promise<StepRunStatus[]> {
    return (await this.database.listStepStatuses(task.runId)).filter(
      (r) => r.nodeId === task.nodeId && r.mapIndex >= 0,
    );
  }

  /**
   * Completes a mapped step's parent row once every instance finished: outputs become ordered lists.
   * Their outputs come from what this runner recorded for them (or, for instances run elsewhere, from
   * their events).
   */
  async collect(
    task: StepTask,
    count: number,
    ended?: ReadonlyMap<number, StepStatus>,
  ): Promise<StepOutcome> {
    const node = nodeOf(task);
    const parentId = stepRunId(task.runId, node.id);
    const db = this.database;
    // A run loop that saw every instance end well (committed) passes their statuses: the rows need no
    // read. Otherwise (an instance failed, or the instances ran in another process) they are read.
    const children = new Map<number, Pick<StepRunStatus, 'id' | 'status' | 'error'>>();
    if (ended && ended.size === count && [...ended.values()].every(succeeded)) {
      for (const [i, status] of ended)
        children.set(i, { id: stepRunId(task.runId, node.id, i), status, error: null });
    } else {
      for (const r of await this.instanceRows(task)) children.set(r.mapIndex, r);
    }
    for (let i = 0; i < count; i++) {
      const child = children.get(i);
      if (!child || !succeeded(child.status)) {
        const error = `instance ${i} of ${count} ended ${child?.status ?? 'missing'}${child?.error ? `: ${child.error}` : ''}`;
        await db.updateStepRun(parentId, { status: 'failed', endedAt: Date.now(), error });
        return { status: 'failed', error };
      }
    }
    // Outputs this runner no longer holds (instances run elsewhere, or past its memory's bound on a
    // map of thousands) are read in one query, not one per instance.
    // (Taken before the read: steps finishing meanwhile may push them out of that memory.)
    const held = Array.from({ length: count }, (_, i) => this.inputs.producedBy(children.get(i)!.id));
    const unheld = held.flatMap((outputs, i) => (outputs ? [] : [children.get(i)!.id]));
    const read = unheld.length === 0 ? new Map() : await db.outputEventsOf(unheld);
    const events: Omit<EventRecord, 'stepRunId'>[] = [];
    const produced: ProducedOutput[] = [];
    for (let i = 0; i < count; i++) {
      const outputs = held[i] ?? read.get(children.get(i)!.id) ?? [];
      for (const output of outputs) {
        events.push({ artifactId: output.artifact.id, type: 'output', name: output.name, position: i });
        produced.push({ name: output.name, position: i, artifact: output.artifact });
      }
    }
    await db.completeStepRun({
      stepRunId: parentId,
      status: 'completed',
      patch: { endedAt: Date.now(), cacheReason: `collected ${count} instances` },
      artifacts: [],
      events,
      metadata: [],
    });
    // Steps downstream, and the progress display, read the collected lists from memory.
    this.inputs.remember(parentId, produced);
    return { status: 'completed' };
  }
}

const succeeded = (status: StepStatus) => status === 'completed' || status === 'cached';
