import type { ModelRegistry } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';
import type { Browse, ServerStore } from '@strata/metadata';
import type { ChangeFeed } from './events/change-feed.js';
import type { ArtifactReader } from './views/artifact-reader.js';
import type { StackCache } from './views/stack-cache.js';

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
  readonly store: ServerStore;
  readonly feed: ChangeFeed;
  readonly artifacts: ArtifactReader;
  readonly stacks: StackCache;
  /** The model registry of the server's stack (its flavor decides where models live). */
  registry(): Promise<ModelRegistry>;
  /** Starts `strata runs resume RUN` as its own process (undefined when the CLI is not at hand). */
  readonly resume: ((runId: string) => Promise<{ pid: number; log: string }>) | undefined;
  readonly limits: ServerLimits;
  readonly log: ServerLog;
  readonly trustProxy: boolean;
}

export interface ServerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
