import { stat } from 'node:fs/promises';
import type { ArtifactKind } from '../artifact-type/artifact-type.js';
import { StrataError } from '../errors/strata-error.js';
import { sha256Hex } from '../hash/canonical-json.js';
import type { ArtifactRecord, JsonValue } from '../metadata/records.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import type { SourceFingerprints } from '../source/fingerprint-sources.js';
import { localPath } from '../source/local-fingerprint.js';
import { type SourceFingerprint, type SourceSpec, schemeOf } from '../source/source-spec.js';
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
  /** The declared kind of each input (t.file(), t.directory()…), checked against local data first. */
  kinds: Readonly<Record<string, { readonly kind: ArtifactKind }>> = {},
): Promise<ResolvedInput[]> {
  const resolved: ResolvedInput[] = [];
  for (const [name, spec] of Object.entries(node.sources ?? {})) {
    await checkLocalKind(name, spec, kinds[name]?.kind, sources.projectRoot);
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

/**
 * A local source fed to a `t.file()` input must be a file, and to a `t.directory()` input a directory:
 * the step would otherwise fail inside its own code (EISDIR from reading a folder), after the folder
 * was hashed. Checked with one stat before fingerprinting; a missing path is left to the fingerprinter.
 * (The step's row and the run's error name the step already.)
 */
async function checkLocalKind(
  input: string,
  spec: SourceSpec,
  kind: ArtifactKind | undefined,
  projectRoot: string,
): Promise<void> {
  if ((kind !== 'file' && kind !== 'directory') || schemeOf(spec.uri) !== 'file') return;
  const path = localPath(spec.uri, projectRoot);
  const info = await stat(path).catch(() => undefined);
  if (!info) return;
  const isDirectory = info.isDirectory();
  if (kind === 'file' ? !isDirectory : isDirectory) return;
  const found = isDirectory ? 'a directory' : 'not a directory';
  throw new StrataError(
    `input "${input}" is declared t.${kind}() but its source ${spec.uri} is ${found} (${path})`,
    {
      code: 'source_type',
      field: `inputs.${input}`,
      value: spec.uri,
      fix:
        kind === 'file'
          ? `declare the input t.directory() to receive the folder, or point the source at a file inside it (source('${spec.uri.replace(/\/$/, '')}/NAME'))`
          : 'declare the input t.file() to receive one file, or point the source at a directory',
    },
  );
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
