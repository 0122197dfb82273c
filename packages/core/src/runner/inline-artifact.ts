import { IntegrityError, StrataError } from '../errors/strata-error.js';
import { sha256Hex } from '../hash/canonical-json.js';
import type { ArtifactRecord } from '../metadata/records.js';

/**
 * Small artifacts live in their metadata row, as an RFC 2397 data URI, not in the artifact store:
 * a trivial step's output then creates no file or object (on the local stack, creating the file was
 * most of such a step's cost), and its bytes commit in the same transaction as its row. Flyte passes
 * small literals inline the same way. The artifact keeps its sha256, so cache keys and content hashes
 * are the same as for a stored artifact; its `storeKey` is empty.
 */
const PREFIX = 'data:application/octet-stream;base64,';

/** Serialized values up to this many bytes are kept inline unless STRATA_INLINE_ARTIFACT_BYTES says otherwise. */
export const DEFAULT_INLINE_MAX_BYTES = 4096;

/** A hard ceiling: a metadata row is no place for large values. */
const INLINE_CEILING = 64 * 1024;

export function inlineUri(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return PREFIX + buffer.toString('base64');
}

export function isInline(artifact: Pick<ArtifactRecord, 'uri'>): boolean {
  return artifact.uri.startsWith(PREFIX);
}

/** The bytes of an inline artifact, verified against its sha256 like every read from a store. */
export function inlineBytes(artifact: Pick<ArtifactRecord, 'id' | 'uri' | 'sha256'>): Buffer {
  const bytes = Buffer.from(artifact.uri.slice(PREFIX.length), 'base64');
  const actual = sha256Hex(bytes);
  if (actual !== artifact.sha256)
    throw new IntegrityError(`inline artifact ${artifact.id}`, artifact.sha256, actual);
  return bytes;
}

/** The inline limit for this process: STRATA_INLINE_ARTIFACT_BYTES (0 stores every artifact in the store). */
export function inlineMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STRATA_INLINE_ARTIFACT_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_INLINE_MAX_BYTES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > INLINE_CEILING) {
    throw new StrataError(
      `STRATA_INLINE_ARTIFACT_BYTES must be a whole number of bytes from 0 to ${INLINE_CEILING}`,
      {
        code: 'invalid_env',
        field: 'STRATA_INLINE_ARTIFACT_BYTES',
        value: raw,
        fix: `unset it (default ${DEFAULT_INLINE_MAX_BYTES}), or set 0 to keep every artifact in the artifact store`,
      },
    );
  }
  return value;
}
