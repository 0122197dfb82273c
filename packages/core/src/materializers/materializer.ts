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
  /**
   * Optional, for values that are serialized whole in memory anyway (JSON, text): the same bytes as
   * `save` writes, with no stream. Small artifacts are mostly these, and a stream per value was a
   * large share of a trivial step's cost.
   */
  encode?(value: T): EncodedValue;
  /** Optional counterpart of `encode`: the value from all of its bytes, with no stream. */
  decode?(bytes: Buffer): T;
}

export interface EncodedValue {
  readonly bytes: Buffer;
  readonly summary: ArtifactSummary;
}

export function preview(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
