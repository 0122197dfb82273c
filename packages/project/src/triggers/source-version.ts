import { isStrataError, type Stack, StrataError } from '@strata/core';
import { localSourceVersion, type SourceVersion } from './local-source.js';
import { type SourceLocation, sourceLocation } from './source-location.js';

/**
 * The version of a watched source now. Local folders are listed by the agent itself (names, sizes and
 * times: cheap enough for every poke of the file watcher); `s3://`, `gs://` and `az://` prefixes go
 * through the stack's source fingerprinters (the plugins' listings of ETags, generations and version
 * ids, with the artifact store's endpoint and credentials when it is in the same cloud), so a trigger
 * and a step reading the same prefix see the same data version.
 */
export async function sourceVersion(source: string, stack: Stack): Promise<SourceVersion> {
  const location = sourceLocation(source);
  if (location.scheme === 'file') return localSourceVersion(location, stack.projectRoot);
  return objectSourceVersion(source, location, stack);
}

async function objectSourceVersion(
  source: string,
  location: SourceLocation,
  stack: Stack,
): Promise<SourceVersion> {
  if (!stack.sources) {
    throw new StrataError(`source ${source}: this stack cannot read ${location.scheme}:// sources`, {
      code: 'source_scheme_unsupported',
      field: 'source',
      value: source,
      fix: 'open the stack through the project (as `strata agent` does), with the plugin of that store listed',
    });
  }
  const spec = { uri: location.uri, ...(location.glob === undefined ? {} : { glob: location.glob }) };
  try {
    const fingerprint = await stack.sources.fingerprint(spec);
    return {
      uri: source,
      digest: fingerprint.digest,
      count: fingerprint.count,
      entries: fingerprint.entries ?? (fingerprint.count === 1 ? { [location.uri]: fingerprint.digest } : {}),
    };
  } catch (error) {
    // An empty prefix is a source waiting for its first object, not a mistake: its version is "empty".
    if (isStrataError(error) && error.code === 'source_missing') {
      return { uri: source, digest: 'empty', count: 0, entries: {} };
    }
    throw error;
  }
}

/** Object stores write whole objects: a listed version needs no settling, unlike a file being copied. */
export function needsSettling(source: string): boolean {
  return sourceLocation(source).scheme === 'file';
}
