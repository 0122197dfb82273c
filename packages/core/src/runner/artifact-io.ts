import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import { readBlob, writeBlob } from '../artifact-store/content-addressed.js';
import type { ArtifactType } from '../artifact-type/artifact-type.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { ArtifactRecord, JsonValue } from '../metadata/records.js';
import { newArtifactId } from './ids.js';
import { CopyingSink, type RecentBlobs } from './recent-blobs.js';

export interface ArtifactIO {
  readonly store: ArtifactStore;
  readonly materializers: MaterializerRegistry;
  /** Small blobs written through this IO, served to later loads from memory (the StepRunner's). */
  readonly recent?: RecentBlobs;
}

/** Serializes a value with its materializer and stores it content-addressed; returns the artifact row. */
export async function saveArtifact(
  io: ArtifactIO,
  type: ArtifactType,
  value: unknown,
  producerStepRunId: string,
): Promise<ArtifactRecord> {
  const materializer = io.materializers.forValue(type, value);
  const recent = inMemory.has(materializer.id) ? io.recent : undefined;
  let copy: CopyingSink | undefined;
  const blob = await writeBlob(io.store, async (sink) => {
    if (!recent) return materializer.save(value, sink);
    copy = new CopyingSink(sink, recent.maxBlobBytes);
    const summary = await materializer.save(value, copy);
    copy.end();
    await finished(copy);
    return summary;
  });
  // Kept only once the store has the blob: a later load may then skip the store, never the bytes.
  const bytes = copy?.bytes();
  if (recent && bytes) recent.add(blob.sha256, bytes);
  return {
    id: newArtifactId(),
    uri: blob.uri,
    storeKey: blob.key,
    storeIdentity: io.store.identity,
    sha256: blob.sha256,
    size: blob.size,
    kind: type.kind,
    materializer: materializer.id,
    materializerVersion: materializer.version,
    summary: blob.result as JsonValue,
    producerStepRunId,
    createdAt: Date.now(),
  };
}

/** Materializers that build the value in memory and never use the scratch directory. */
const inMemory = new Set([
  'strata.json',
  'strata.string',
  'strata.bytes',
  'strata.typed-array',
  'strata.arrow',
]);

/**
 * Reads an artifact back into a value, verifying its sha256 while streaming (or from `io.recent`, bytes
 * this process hashed when it wrote them). Files and directories
 * are unpacked into `scratchDir` (a path, or a function creating one on demand), or into a new
 * temporary directory that the caller owns.
 */
export async function loadArtifact(
  io: ArtifactIO,
  artifact: ArtifactRecord,
  scratchDir?: string | (() => string),
): Promise<unknown> {
  const materializer = io.materializers.get(artifact.materializer);
  const dir = inMemory.has(materializer.id)
    ? ''
    : typeof scratchDir === 'function'
      ? scratchDir()
      : (scratchDir ?? (await mkdtemp(join(tmpdir(), 'strata-load-'))));
  const kept = dir === '' ? io.recent?.get(artifact.sha256) : undefined;
  if (kept) return materializer.load(Readable.from([kept], { objectMode: false }), dir);
  const source = await readBlob(io.store, artifact.storeKey, artifact.sha256);
  return materializer.load(source, dir);
}
