import type { Readable, Writable } from 'node:stream';
import type { ArtifactKind } from '../artifact-type/artifact-type.js';

/** What a materializer reports about the bytes it wrote, stored with the artifact. */
export interface ArtifactSummary {
  /** e.g. the Arrow schema, an array's dtype and length, a JSON value's top-level type. */
  readonly schema?: unknown;
  readonly shape?: readonly number[];
  /** A small human-readable preview (at most a few hundred characters). */
  readonly preview?: string;
  readonly [key: string]: unknown;
}

/**
 * Turns values of some kinds into bytes and back. Writing goes to a stream so a large value never needs
 * to exist twice in memory; reading gets a stream for the same reason. `version` is part of every cache
 * key: bump it when the byte format changes.
 */
export interface Materializer<T = unknown> {
  readonly id: string;
  readonly version: number;
  readonly kinds: readonly ArtifactKind[];
  /** Used when an output is declared `any`: the first materializer that accepts the value wins. */
  accepts(value: unknown): boolean;
  save(value: T, sink: Writable): Promise<ArtifactSummary>;
  /** `scratchDir` is a private directory for materializers that must unpack to disk (files, directories). */
  load(source: Readable, scratchDir: string): Promise<T>;
}

export function preview(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
