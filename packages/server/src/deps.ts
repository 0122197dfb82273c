import type { ModelRegistry, StrataDatabase } from '@strata/core';
import type { Browse } from '@strata/metadata';
import type { ArtifactReader } from './views/artifact-reader.js';

/** Limits that bound what one request can cost. */
export interface ServerLimits {
  /** Largest request body accepted (bytes). */
  readonly maxBodyBytes: number;
  /** Largest artifact preview computed (bytes read from the store). */
  readonly maxPreviewBytes: number;
  /** Largest lineage graph returned (nodes). */
  readonly maxLineageNodes: number;
}

export const defaultLimits: ServerLimits = {
  maxBodyBytes: 64 * 1024,
  maxPreviewBytes: 256 * 1024,
  maxLineageNodes: 500,
};

/** What the routes read and act on. */
export interface ServerDeps {
  readonly database: StrataDatabase;
  readonly browse: Browse;
  readonly artifacts: ArtifactReader;
  readonly limits: ServerLimits;
  readonly log: ServerLog;
  /**
   * The model registry of the project's active stack (local, mlflow, a plugin's flavor). Without
   * it the routes read the local registry's tables in `database`.
   */
  readonly modelRegistry?: () => Promise<ModelRegistry>;
}

export interface ServerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
