import { sha256Hex } from '../hash/canonical-json.js';
import type { ArtifactRecord, JsonValue } from '../metadata/records.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import type { SourceFingerprints } from '../source/fingerprint-sources.js';
import { localPath } from '../source/local-fingerprint.js';
import type { SourceFingerprint } from '../source/source-spec.js';
import type { SourceValue } from '../source/source-value.js';
import { newArtifactId } from './ids.js';
import type { ResolvedInput } from './step-task.js';

/** The materializer id of source rows: they have no bytes in the store, only a fingerprint. */
export const SOURCE_MATERIALIZER = 'strata.source';

/**
 * Fingerprints a step's sources (before the cache lookup) and turns each into an input whose artifact
 * row records the data version: kind `source`, the declared uri, the fingerprint as summary and a
 * sha256 of its digest. The row is written with the step's completion (hit or run), so lineage shows
 * which version of the data every step read.
 */
export async function resolveSources(
  sources: SourceFingerprints,
  node: SnapshotNode,
  stepRunId: string,
  signal?: AbortSignal,
): Promise<ResolvedInput[]> {
  const resolved: ResolvedInput[] = [];
  for (const [name, spec] of Object.entries(node.sources ?? {})) {
    const fingerprint = await sources.fingerprint(spec, signal);
    resolved.push({
      name,
      artifacts: [sourceArtifact(fingerprint, stepRunId)],
      collect: false,
      source: fingerprint,
      ...(sources.canRead(fingerprint.scheme)
        ? { openSource: (s?: AbortSignal) => sources.objects(spec, fingerprint, s ?? signal) }
        : {}),
    });
  }
  return resolved;
}

function sourceArtifact(fingerprint: SourceFingerprint, stepRunId: string): ArtifactRecord {
  return {
    id: newArtifactId(),
    uri: fingerprint.uri,
    storeKey: '',
    storeIdentity: `source:${fingerprint.scheme}`,
    // A single local file's digest is its content sha256; anything else is identified by a hash of its digest.
    sha256: fingerprint.digest.startsWith('sha256:')
      ? fingerprint.digest.slice(7)
      : sha256Hex(fingerprint.digest),
    size: fingerprint.size ?? 0,
    kind: 'source',
    materializer: SOURCE_MATERIALIZER,
    materializerVersion: 1,
    summary: fingerprint as unknown as JsonValue,
    producerStepRunId: stepRunId,
    createdAt: Date.now(),
  };
}

/** What the step receives for a source input. */
export function sourceValue(
  fingerprint: SourceFingerprint,
  projectRoot: string,
  openSource?: ResolvedInput['openSource'],
): SourceValue {
  if (fingerprint.scheme === 'file')
    return { uri: fingerprint.uri, path: localPath(fingerprint.uri, projectRoot), fingerprint };
  return openSource
    ? { uri: fingerprint.uri, fingerprint, objects: openSource }
    : { uri: fingerprint.uri, fingerprint };
}

/** The source rows among a step's inputs: new artifacts to record with its completion. */
export function sourceArtifacts(inputs: readonly ResolvedInput[]): ArtifactRecord[] {
  return inputs.filter((i) => i.source !== undefined).flatMap((i) => i.artifacts);
}
