import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import { readBlob, type StoredBlob, writeBlob } from '../artifact-store/content-addressed.js';
import { quarantineBlob } from '../artifact-store/quarantine.js';
import type { ArtifactType } from '../artifact-type/artifact-type.js';
import { IntegrityError, StrataError } from '../errors/strata-error.js';
import { sha256Hex } from '../hash/canonical-json.js';
import { jsonMaterializer, stringMaterializer } from '../materializers/json.js';
import type { Materializer } from '../materializers/materializer.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { ArtifactRecord, JsonValue } from '../metadata/records.js';
import { writeChunk } from '../util/stream.js';
import { newArtifactId } from './ids.js';
import { inlineBytes, inlineUri, isInline } from './inline-artifact.js';
import type { RecentBlobs } from './recent-blobs.js';
import { SpillingSink } from './spilling-sink.js';

export interface ArtifactIO {
  readonly store: ArtifactStore;
  readonly materializers: MaterializerRegistry;
  /** Small blobs written through this IO, served to later loads from memory (the StepRunner's). */
  readonly recent?: RecentBlobs;
  /** Values that serialize to at most this many bytes are kept in their metadata row (inline-artifact.ts); 0 or absent: none. */
  readonly inlineMaxBytes?: number;
  /** Hash a copy already stored under the same content instead of trusting it (a --no-cache run). */
  readonly verifyExisting?: boolean;
}

/** Serializes a value with its materializer and stores it (content-addressed, or inline); returns the artifact row. */
export async function saveArtifact(
  io: ArtifactIO,
  type: ArtifactType,
  value: unknown,
  producerStepRunId: string,
): Promise<ArtifactRecord> {
  return saveArtifactNow(io, type, value, producerStepRunId);
}

/**
 * saveArtifact, with the artifact row returned at once (no promise) for a value that is encoded in
 * memory and kept inline: a trivial step's output, which needs no store write to wait for. May throw.
 */
export function saveArtifactNow(
  io: ArtifactIO,
  type: ArtifactType,
  value: unknown,
  producerStepRunId: string,
): ArtifactRecord | Promise<ArtifactRecord> {
  const materializer = io.materializers.forValue(type, value);
  if (materializer.encode && inMemory.has(materializer.id)) {
    const { bytes, summary } = materializer.encode(value);
    if (bytes.length <= (io.inlineMaxBytes ?? 0)) {
      return artifactRecord(io, type, materializer, keepInline(io, bytes, summary), producerStepRunId);
    }
    return saveBytes(io, bytes, summary).then((blob) =>
      artifactRecord(io, type, materializer, blob, producerStepRunId),
    );
  }
  return (
    inMemory.has(materializer.id)
      ? saveInMemoryValue(io, materializer, value)
      : writeBlob(io.store, (sink) => materializer.save(value, sink), {
          verifyExisting: io.verifyExisting === true,
        })
  ).then((blob) => artifactRecord(io, type, materializer, blob, producerStepRunId));
}

function artifactRecord(
  io: ArtifactIO,
  type: ArtifactType,
  materializer: Materializer,
  blob: StoredBlob & { result: unknown },
  producerStepRunId: string,
): ArtifactRecord {
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

/**
 * A value built in memory by a materializer without `encode` (saveArtifactNow encodes the others) is
 * serialized into memory first while it stays small: then it is kept inline (no store write at all)
 * or stored with one put and remembered in `io.recent`. A large one streams into the store as it is
 * serialized.
 */
async function saveInMemoryValue(
  io: ArtifactIO,
  materializer: Materializer,
  value: unknown,
): Promise<StoredBlob & { result: unknown }> {
  const sink = new SpillingSink(io.store, Math.max(io.inlineMaxBytes ?? 0, io.recent?.maxBlobBytes ?? 0));
  let result: unknown;
  try {
    result = await materializer.save(value, sink);
    sink.end();
    await finished(sink);
  } catch (error) {
    sink.destroy();
    // Wait for the store write to clean up (its partial spool file removed, so a full disk has room
    // again for the step's failure row) and report its error: it names where and how much.
    const stored = await sink.stored?.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw stored ?? error;
  }
  const bytes = sink.bytes();
  return bytes ? saveBytes(io, bytes, result) : { ...(await sink.stored!), result };
}

/** Bytes kept in the artifact's row (inline-artifact.ts): nothing to write or wait for. */
function keepInline(io: ArtifactIO, bytes: Buffer, result: unknown): StoredBlob & { result: unknown } {
  const sha256 = sha256Hex(bytes);
  // As a stored blob's: the next step of an in-process chain skips decoding and re-hashing its row.
  io.recent?.add(sha256, bytes);
  return { key: '', uri: inlineUri(bytes), sha256, size: bytes.length, result };
}

async function saveBytes(
  io: ArtifactIO,
  bytes: Buffer,
  result: unknown,
): Promise<StoredBlob & { result: unknown }> {
  if (bytes.length <= (io.inlineMaxBytes ?? 0)) return keepInline(io, bytes, result);
  const blob = await writeBlob(io.store, (target) => writeChunk(target, bytes), {
    verifyExisting: io.verifyExisting === true,
  });
  // Kept only once the store has the blob: a later load may then skip the store, never the bytes.
  io.recent?.add(blob.sha256, bytes);
  return { ...blob, result };
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
 * Reads an artifact back into a value, verifying its sha256 while streaming (or from its row when it is
 * inline, or from `io.recent`, bytes this process hashed when it wrote them). Files and directories
 * are unpacked into `scratchDir` (a path, or a function creating one on demand), or into a new
 * temporary directory that the caller owns.
 */
export async function loadArtifact(
  io: ArtifactIO,
  artifact: ArtifactRecord,
  scratchDir?: string | (() => string),
): Promise<unknown> {
  const now = loadFromMemory(io, artifact);
  if (now !== NOT_IN_MEMORY) return now;
  const materializer = io.materializers.get(artifact.materializer);
  const dir = inMemory.has(materializer.id)
    ? ''
    : typeof scratchDir === 'function'
      ? scratchDir()
      : (scratchDir ?? (await mkdtemp(join(tmpdir(), 'strata-load-'))));
  const kept = isInline(artifact)
    ? (io.recent?.get(artifact.sha256) ?? inlineBytes(artifact))
    : dir === ''
      ? io.recent?.get(artifact.sha256)
      : undefined;
  if (kept) {
    return materializer.decode
      ? materializer.decode(kept)
      : materializer.load(Readable.from([kept], { objectMode: false }), dir);
  }
  const source = await readBlob(io.store, artifact.storeKey, artifact.sha256);
  try {
    return await materializer.load(source, dir);
  } catch (error) {
    throw await quarantineOnIntegrityError(io.store, artifact, error);
  }
}

/** What loadFromMemory returns when the value needs a read (or a stream) first. */
export const NOT_IN_MEMORY: unique symbol = Symbol('not in memory');

/**
 * loadArtifact at once, without a promise, when it needs no read: the bytes are inline (verified, as
 * loadArtifact verifies them) or in `io.recent`, and the materializer decodes them in memory (a
 * trivial step's input). Otherwise NOT_IN_MEMORY; may throw as loadArtifact rejects.
 */
export function loadFromMemory(io: ArtifactIO, artifact: ArtifactRecord): unknown {
  const materializer = io.materializers.get(artifact.materializer);
  if (materializer.decode === undefined || !inMemory.has(materializer.id)) return NOT_IN_MEMORY;
  // A decode that makes new values (JSON, text) may read the kept bytes themselves; others get a copy.
  const recent = decodesToNewValues.has(materializer)
    ? io.recent?.peek(artifact.sha256)
    : io.recent?.get(artifact.sha256);
  const kept = recent ?? (isInline(artifact) ? inlineBytes(artifact) : undefined);
  return kept === undefined ? NOT_IN_MEMORY : materializer.decode(kept);
}

/** Materializers whose decode keeps no view on the bytes (JSON.parse, a UTF-8 string): the built-in objects. */
const decodesToNewValues = new Set<Materializer>([jsonMaterializer, stringMaterializer as Materializer]);

/**
 * A read that failed verification moves the corrupt blob aside (quarantine.ts), so the producer's
 * re-run writes a good copy; the error then says where the bad bytes went.
 */
export async function quarantineOnIntegrityError(
  store: ArtifactStore,
  artifact: Pick<ArtifactRecord, 'storeKey' | 'sha256'>,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof IntegrityError)) return error;
  const aside = await quarantineBlob(store, artifact.storeKey, artifact.sha256);
  if (!aside) return error;
  return new StrataError(`${error.message}; the corrupt copy was moved aside to ${aside}`, {
    code: 'integrity_error',
    field: 'sha256',
    value: error.value,
    fix: 're-run the producing step with `strata run FILE --no-cache` (or resume the run): it writes a good copy',
    cause: error,
  });
}
