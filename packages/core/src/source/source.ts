import type { ArtifactType } from '../artifact-type/artifact-type.js';
import { StrataError } from '../errors/strata-error.js';
import { type SourceScheme, type SourceSpec, schemeOf } from './source-spec.js';

const sourceBrand = Symbol.for('strata.source');

export interface SourceOptions {
  /** For a directory or an object-store prefix: only entries whose relative name matches (`*.csv`, `2024/**`). */
  readonly glob?: string;
}

/** External data declared as a pipeline input: wire it into a step input like an upstream output. */
export interface Source extends SourceSpec {
  readonly [sourceBrand]: true;
  readonly scheme: SourceScheme;
}

/**
 * Declares external data so that the cache and lineage see it:
 *
 *   const train = source('data/train.csv');            // relative to the project root
 *   const images = source('data/images', { glob: '**\/*.png' });
 *   const lake = source('s3://bucket/events/2024/');    // also gs://, az://, https://
 *
 * Pass it to a step input of type `t.source()` (or `t.file()` / `t.directory()` for local data). Before
 * the step runs, the data is fingerprinted (see fingerprint-sources.ts); the fingerprint is part of the
 * step's cache key and recorded in lineage as an input, so new data is a cache miss that says so.
 */
export function source(uri: string, options: SourceOptions = {}): Source {
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new StrataError('a source needs a path or URL', {
      code: 'invalid_source',
      field: 'source',
      value: uri,
      fix: "pass a local path ('data/train.csv') or a URL ('s3://bucket/key', 'gs://…', 'az://…', 'https://…')",
    });
  }
  let scheme: SourceScheme;
  try {
    scheme = schemeOf(uri);
  } catch (error) {
    throw new StrataError(`source ${uri}: ${(error as Error).message}`, {
      code: 'invalid_source',
      field: 'source',
      value: uri,
      fix: 'use a local path or an s3://, gs://, az://, http:// or https:// URL',
    });
  }
  return Object.freeze({
    [sourceBrand]: true as const,
    uri,
    scheme,
    ...(options.glob === undefined ? {} : { glob: options.glob }),
  });
}

export function isSource(value: unknown): value is Source {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[sourceBrand] === true
  );
}

/** Whether a source may feed an input of this type (compile time; a local path may be a file or a directory). */
export function sourceFits(source: Source, type: ArtifactType): boolean {
  if (type.kind === 'source' || type.kind === 'any') return true;
  return source.scheme === 'file' && (type.kind === 'file' || type.kind === 'directory');
}
