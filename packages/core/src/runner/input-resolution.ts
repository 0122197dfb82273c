import type { ArtifactRecord } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { BoundedMap } from '../util/bounded-map.js';
import { type ArtifactIO, loadArtifact } from './artifact-io.js';
import { itemEventName, stepRunId } from './ids.js';
import type { ProducedOutput, ResolvedInput, StepTask } from './step-task.js';

/** Output lists of step runs this runner completed, kept for the steps downstream. */
const PRODUCED_CACHE_SIZE = 4096;
/** Mapped steps whose item lists are kept (a handful of fan-outs are in flight at once). */
const ITEM_CACHE_SIZE = 16;

/**
 * Finds the artifacts a step reads: its upstream outputs, its element of a mapped list, the value its
 * condition tests. Outputs this runner just produced are served from memory (completed outputs never
 * change, so the next step of an in-process run rereads nothing); others come from the database.
 */
export class InputResolver {
  private readonly produced = new BoundedMap<string, readonly ProducedOutput[]>(PRODUCED_CACHE_SIZE);
  private readonly itemCache = new BoundedMap<string, Promise<ArtifactRecord[][]>>(ITEM_CACHE_SIZE);

  constructor(
    private readonly database: StrataDatabase,
    private readonly io: ArtifactIO,
  ) {}

  /** Records what a step run produced (or reused), for the steps downstream. */
  remember(id: string, outputs: readonly ProducedOutput[]): void {
    this.produced.set(id, outputs);
  }

  /** What this runner recorded for a step run, if it still remembers. */
  producedBy(id: string): readonly ProducedOutput[] | undefined {
    return this.produced.get(id);
  }

  async resolve(task: StepTask, node: SnapshotNode, mapIndex: number): Promise<ResolvedInput[]> {
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

  async conditionHolds(task: StepTask, node: SnapshotNode): Promise<boolean> {
    const { node: source, output, predicate } = node.condition!;
    const [artifact] = await this.outputArtifacts(task.runId, source, output);
    const fn = task.compiled.predicates.get(predicate);
    if (!fn || !artifact) throw new Error(`condition ${predicate} of step "${node.id}" cannot be evaluated`);
    return fn(await loadArtifact(this.io, artifact));
  }

  async outputArtifacts(runId: string, nodeId: string, output: string): Promise<ArtifactRecord[]> {
    const id = stepRunId(runId, nodeId);
    const known = this.produced.get(id);
    if (known) {
      return known
        .filter((e) => e.name === output)
        .sort((a, b) => a.position - b.position)
        .map((e) => e.artifact);
    }
    const events = await this.database.stepRunEvents(id);
    return events
      .filter((e) => e.type === 'output' && e.name === output)
      .sort((a, b) => a.position - b.position)
      .map((e) => e.artifact);
  }

  /** A mapped step's items as its expansion recorded them (one artifact a position): read from here, not back. */
  rememberItems(parentId: string, itemName: string, items: readonly ArtifactRecord[]): void {
    this.itemCache.set(itemKey(parentId, itemName), Promise.resolve(items.map((a) => [a])));
  }

  /**
   * A mapped step's items by position. Items never change once recorded, so they are read once per
   * parent row, not once per instance (which made a 5,000-item fan-out quadratic).
   */
  private mapItems(parentId: string, itemName: string): Promise<ArtifactRecord[][]> {
    const key = itemKey(parentId, itemName);
    return this.itemCache.promise(key, () =>
      this.database.stepRunEvents(parentId).then((events) => {
        const byPosition: ArtifactRecord[][] = [];
        for (const e of events) {
          if (e.name !== itemName) continue;
          const list = byPosition[e.position] ?? [];
          list.push(e.artifact);
          byPosition[e.position] = list;
        }
        // Not expanded yet: ask again next time.
        if (byPosition.length === 0) this.itemCache.delete(key);
        return byPosition;
      }),
    );
  }
}

const itemKey = (parentId: string, itemName: string) => `${parentId}\u0000${itemName}`;
