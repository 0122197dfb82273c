import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import { readBlob, writeBlob } from '../artifact-store/content-addressed.js';
import type { ArtifactType } from '../artifact-type/artifact-type.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { ArtifactRecord, JsonValue } from '../metadata/records.js';
import { newArtifactId } from './ids.js';

export interface ArtifactIO {
  readonly store: ArtifactStore;
  readonly materializers: MaterializerRegistry;
}

/** Serializes a value with its materializer and stores it content-addressed; returns the artifact row. */
export async function saveArtifact(
  io: ArtifactIO,
  type: ArtifactType,
  value: unknown,
  producerStepRunId: string,
): Promise<ArtifactRecord> {
  const materializer = io.materializers.forValue(type, value);
  const blob = await writeBlob(io.store, (sink) => materializer.save(value, sink));
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

/** Reads an artifact back into a value, verifying its sha256 while streaming. */
export async function loadArtifact(
  io: ArtifactIO,
  artifact: ArtifactRecord,
  scratchDir?: string,
): Promise<unknown> {
  const materializer = io.materializers.get(artifact.materializer);
  const dir = scratchDir ?? (await mkdtemp(join(tmpdir(), 'strata-load-')));
  const source = await readBlob(io.store, artifact.storeKey, artifact.sha256);
  const value = await materializer.load(source, dir);
  if (!scratchDir && artifact.kind !== 'file' && artifact.kind !== 'directory')
    await rm(dir, { recursive: true, force: true });
  return value;
}
