import type { ArtifactRecord, JsonValue, StepRunRecord } from '../metadata/records.js';
import { loadArtifact } from '../runner/artifact-io.js';
import { isInline } from '../runner/inline-artifact.js';
import { type DataSourceVersion, dataSourcesOf } from './data-sources.js';
import type { ClientSources } from './sources.js';

/** How an artifact came to be: the step run that produced it and, recursively, that step's inputs. */
export interface UpstreamNode {
  readonly artifact: ArtifactRecord;
  /** Undefined for an artifact whose producer row is gone. */
  readonly producer?: StepRunRecord;
  /** The producer's inputs, by input name, each with its own upstream. */
  readonly inputs: readonly { readonly name: string; readonly node: UpstreamNode }[];
}

/** Where an artifact went: each step run that read it and, recursively, what those steps produced. */
export interface DownstreamEdge {
  readonly consumer: StepRunRecord;
  /** The input name under which the consumer read the artifact. */
  readonly input: string;
  readonly outputs: readonly {
    readonly name: string;
    readonly artifact: ArtifactRecord;
    readonly downstream: readonly DownstreamEdge[];
  }[];
}

export interface Lineage {
  readonly artifact: ArtifactRecord;
  readonly upstream: UpstreamNode;
  readonly downstream: readonly DownstreamEdge[];
}

/** One stored artifact: its row, its value, its metadata and its lineage. */
export class ArtifactView {
  constructor(
    private readonly sources: ClientSources,
    readonly record: ArtifactRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  /** True when the value is small enough to be kept in its metadata row rather than the artifact store. */
  get inline(): boolean {
    return isInline(this.record);
  }

  /** Reads the value back with the materializer that wrote it (files and directories land in a temp dir). */
  load<T = unknown>(): Promise<T> {
    return loadArtifact(
      { store: this.sources.artifactStore, materializers: this.sources.materializers },
      this.record,
    ) as Promise<T>;
  }

  /** Metadata a step attached with `ctx.log(values, { output })`. */
  metadata(): Promise<Record<string, JsonValue>> {
    return this.sources.database.getMetadata('artifact', this.record.id);
  }

  /**
   * Upstream (producer step and its inputs, recursively) and downstream (consumers and what they
   * produced, recursively), at most `depth` steps away (default: everything). Cache hits re-publish
   * an artifact without producing it; the producer is always the step run that wrote the bytes.
   */
  async lineage(options: { depth?: number } = {}): Promise<Lineage> {
    const depth = options.depth ?? Number.POSITIVE_INFINITY;
    return {
      artifact: this.record,
      upstream: await this.upstream(this.record, depth, new Set()),
      downstream: await this.downstream(this.record.id, depth, new Set()),
    };
  }

  /**
   * The external data this artifact was derived from, at any distance upstream: one entry per source
   * version read. For a model, this is exactly which data version trained it.
   */
  dataSources(): Promise<DataSourceVersion[]> {
    return dataSourcesOf(this.sources.database, this.record);
  }

  private async upstream(artifact: ArtifactRecord, depth: number, seen: Set<string>): Promise<UpstreamNode> {
    const db = this.sources.database;
    const producer = await db.getStepRun(artifact.producerStepRunId);
    if (!producer || depth <= 0 || seen.has(producer.id)) {
      return { artifact, ...(producer ? { producer } : {}), inputs: [] };
    }
    seen.add(producer.id);
    const inputs = [];
    for (const event of await db.stepRunEvents(producer.id)) {
      if (event.type !== 'input') continue;
      inputs.push({ name: event.name, node: await this.upstream(event.artifact, depth - 1, seen) });
    }
    return { artifact, producer, inputs };
  }

  private async downstream(artifactId: string, depth: number, seen: Set<string>): Promise<DownstreamEdge[]> {
    if (depth <= 0) return [];
    const db = this.sources.database;
    const lineage = await db.lineage(artifactId);
    const edges: DownstreamEdge[] = [];
    for (const { stepRun, name } of lineage?.consumers ?? []) {
      if (seen.has(stepRun.id)) continue;
      seen.add(stepRun.id);
      const outputs = [];
      for (const event of await db.stepRunEvents(stepRun.id)) {
        if (event.type !== 'output') continue;
        outputs.push({
          name: event.name,
          artifact: event.artifact,
          downstream: await this.downstream(event.artifactId, depth - 1, seen),
        });
      }
      edges.push({ consumer: stepRun, input: name, outputs });
    }
    return edges;
  }
}
