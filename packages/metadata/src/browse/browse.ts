import { StrataError } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';
import type { RepositoryContext } from '../repositories/context.js';
import { SqlStrataDatabase } from '../strata-database.js';
import { type ArtifactPage, type ArtifactSearch, searchArtifacts } from './artifact-search.js';
import { type MetricPoint, type MetricQuery, metricsAcrossRuns } from './metrics.js';
import { type RunPage, type RunSearch, searchRuns } from './run-search.js';
import { type PipelineSnapshot, pipelineSnapshots } from './snapshots.js';

/**
 * The queries an API server needs beyond the StrataDatabase contract (filtered keyset pages, metrics
 * across runs). They stay in this package, next to the schema they read, and out of core's contract.
 */
export class Browse {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.#ctx.traits.dialect;
  }

  searchRuns(search: RunSearch): Promise<RunPage> {
    return searchRuns(this.#ctx, search);
  }

  searchArtifacts(search: ArtifactSearch): Promise<ArtifactPage> {
    return searchArtifacts(this.#ctx, search);
  }

  metricsAcrossRuns(query: MetricQuery): Promise<MetricPoint[]> {
    return metricsAcrossRuns(this.#ctx, query);
  }

  pipelineSnapshots(pipelineName: string, limit = 100): Promise<PipelineSnapshot[]> {
    return pipelineSnapshots(this.#ctx, pipelineName, limit);
  }
}

/** The Browse queries of a database opened by this package. */
export function browseOf(database: StrataDatabase): Browse {
  if (!(database instanceof SqlStrataDatabase)) {
    throw new StrataError('the server needs a metadata store opened by @strata/metadata', {
      code: 'unsupported_database',
      field: 'database',
      value: database.url,
      fix: 'open the project with openProject() (SQLite or PostgreSQL)',
    });
  }
  return new Browse(database.context);
}
