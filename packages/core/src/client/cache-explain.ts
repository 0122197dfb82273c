import { StrataError } from '../errors/strata-error.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import type { RunRecord, StepRunRecord } from '../metadata/records.js';
import { type CacheParts, cacheDiff } from '../runner/cache-key.js';

/** The earlier execution a step is compared with. */
export interface ComparedExecution {
  readonly stepRunId: string;
  readonly runId: string;
  readonly status: StepRunRecord['status'];
  readonly cacheKey: string | null;
}

/**
 * Everything the cache knew about one step run: the key, each part it was hashed from (code files,
 * packages, params, inputs, sources, materializers, store), the recorded hit/miss reason, and what
 * differs from the nearest earlier execution of the same step (`strata cache explain`, `runs show
 * --json`, `client.run(id).step(name).explainCache()`).
 */
export interface CacheExplanation {
  readonly runId: string;
  readonly stepRunId: string;
  readonly nodeId: string;
  readonly status: StepRunRecord['status'];
  readonly cacheKey: string | null;
  readonly reason: string | null;
  /** For a hit: the step run whose outputs were reused. */
  readonly cachedFrom: string | null;
  /** null: the step never reached the cache lookup (skipped, pending, failed resolving inputs). */
  readonly parts: CacheParts | null;
  /** The newest finished execution of this node in an earlier run of the pipeline; null for the first. */
  readonly previous: ComparedExecution | null;
  /** One phrase per differing part (empty: same key, or nothing to compare). */
  readonly changes: readonly string[];
}

/** Earlier runs scanned for a previous execution of the node (newest first). */
const SCAN_RUNS = 200;
const PAGE = 50;
const FINISHED = new Set(['completed', 'cached', 'failed']);

/**
 * Explains the cache decisions of one run's steps. The earlier runs' rows are read once per explainer,
 * so explaining every step of a run (runs show --json) costs one scan, not one per step.
 */
export class CacheExplainer {
  /** Earlier runs of the pipeline, newest first; their step rows are read only when needed. */
  private readonly earlierIds: string[] = [];
  private readonly rowsOf = new Map<string, StepRunRecord[]>();
  private exhausted = false;
  private before: number;

  constructor(
    private readonly database: MetadataStore,
    private readonly run: RunRecord,
  ) {
    this.before = run.createdAt;
  }

  /** `STEP` is a node id, or `node[i]` for one instance of a mapped step. */
  async explain(step: string, rows?: readonly StepRunRecord[]): Promise<CacheExplanation> {
    const all = rows ?? (await this.database.listStepRuns(this.run.id));
    const row = findRow(all, step);
    if (!row) {
      const known = [...new Set(all.map((r) => r.nodeId))];
      throw new StrataError(`run ${this.run.id} has no step "${step}"`, {
        code: 'unknown_step',
        field: 'step',
        value: step,
        fix: `use one of: ${known.join(', ') || 'none (the run has no steps)'}`,
      });
    }
    return this.explainRow(row);
  }

  async explainRow(row: StepRunRecord): Promise<CacheExplanation> {
    const parts = isParts(row.cacheParts) ? row.cacheParts : null;
    const previous = parts ? await this.previousOf(row) : undefined;
    const previousParts = previous && isParts(previous.cacheParts) ? previous.cacheParts : undefined;
    return {
      runId: row.runId,
      stepRunId: row.id,
      nodeId: row.nodeId,
      status: row.status,
      cacheKey: row.cacheKey,
      reason: row.cacheReason,
      cachedFrom: row.cachedFrom,
      parts,
      previous: previous
        ? {
            stepRunId: previous.id,
            runId: previous.runId,
            status: previous.status,
            cacheKey: previous.cacheKey,
          }
        : null,
      changes: parts && previousParts ? cacheDiff(row.nodeId, parts, previousParts) : [],
    };
  }

  /** The same node (same map index when there is one, else the last instance) in the nearest earlier run. */
  private async previousOf(row: StepRunRecord): Promise<StepRunRecord | undefined> {
    for (let i = 0; ; i++) {
      const rows = await this.earlierRun(i);
      if (!rows) return undefined;
      const candidates = rows.filter(
        (r) => r.nodeId === row.nodeId && FINISHED.has(r.status) && isParts(r.cacheParts),
      );
      const found =
        candidates.find((r) => r.mapIndex === row.mapIndex) ??
        candidates.sort((a, b) => b.mapIndex - a.mapIndex)[0];
      if (found) return found;
    }
  }

  /** The step rows of the i-th earlier run of the pipeline (newest first), read on demand and kept. */
  private async earlierRun(i: number): Promise<StepRunRecord[] | undefined> {
    while (i >= this.earlierIds.length && !this.exhausted && this.earlierIds.length < SCAN_RUNS) {
      const runs = await this.database.listRuns({
        pipelineName: this.run.pipelineName,
        before: this.before,
        limit: PAGE,
      });
      if (runs.length < PAGE) this.exhausted = true;
      if (runs.length > 0) this.before = runs[runs.length - 1]!.createdAt;
      for (const run of runs) if (run.id !== this.run.id) this.earlierIds.push(run.id);
    }
    const id = this.earlierIds[i];
    if (id === undefined) return undefined;
    // Read when asked and awaited here: a read started ahead and never awaited would outlive the
    // caller, and fail once it has closed the database (`runs show --json` crashed that way).
    let rows = this.rowsOf.get(id);
    if (!rows) {
      rows = await this.database.listStepRuns(id);
      this.rowsOf.set(id, rows);
    }
    return rows;
  }
}

function findRow(rows: readonly StepRunRecord[], step: string): StepRunRecord | undefined {
  const mapped = /^(.*)\[(\d+)\]$/.exec(step);
  if (mapped) return rows.find((r) => r.nodeId === mapped[1] && r.mapIndex === Number(mapped[2]));
  return rows.find((r) => r.nodeId === step && r.mapIndex < 0);
}

function isParts(value: unknown): value is CacheParts {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { params?: unknown }).params === 'object'
  );
}
