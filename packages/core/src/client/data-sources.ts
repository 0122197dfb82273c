import type { MetadataStore } from '../metadata/metadata-store.js';
import type { ArtifactRecord } from '../metadata/records.js';

/** One version of external data an artifact came from. */
export interface DataSourceVersion {
  readonly uri: string;
  /** `sha256:…` for local data, the store's version id or ETag otherwise. */
  readonly digest: string;
  /** Files or objects it was made of. */
  readonly count: number;
  /** The lineage row (kind `source`). */
  readonly artifact: ArtifactRecord;
  /** The step run that read it. */
  readonly readBy: string;
}

/**
 * Walks an artifact's lineage upstream (producer step runs and their inputs, transitively) and returns
 * every source version met: `source('data/train.csv')` as fingerprinted when the step ran. For a
 * model, this is which data version trained it (`strata artifacts lineage`, ArtifactView.dataSources).
 */
export async function dataSourcesOf(
  db: MetadataStore,
  artifact: ArtifactRecord,
): Promise<DataSourceVersion[]> {
  const found = new Map<string, DataSourceVersion>();
  const seen = new Set<string>();
  const queue: ArtifactRecord[] = [artifact];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current.kind === 'source') continue;
    const producer = current.producerStepRunId;
    if (seen.has(producer)) continue;
    seen.add(producer);
    for (const event of await db.stepRunEvents(producer)) {
      if (event.type !== 'input') continue;
      const a = event.artifact;
      if (a.kind === 'source') {
        if (found.has(a.id)) continue;
        const summary = (a.summary ?? {}) as { digest?: string; count?: number };
        found.set(a.id, {
          uri: a.uri,
          digest: summary.digest ?? `sha256:${a.sha256}`,
          count: summary.count ?? 1,
          artifact: a,
          readBy: producer,
        });
      } else {
        queue.push(a);
      }
    }
  }
  return [...found.values()];
}
