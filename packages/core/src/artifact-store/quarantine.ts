import { createHash } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ArtifactStore } from './artifact-store.js';

/** Where blobs that failed verification are moved: never read again, kept for inspection. */
export const QUARANTINE_PREFIX = 'quarantine/';

/** The sha256 of what the store holds under `key` now, or undefined when it holds nothing there. */
export async function storedDigest(store: ArtifactStore, key: string): Promise<string | undefined> {
  let body: NodeJS.ReadableStream;
  try {
    body = await store.get(key);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

/**
 * A content-addressed blob whose bytes do not hash to its name is moved aside (`quarantine/<sha>.<time>`),
 * so the next write of that content (the producer's re-run) stores a good copy instead of finding the
 * corrupt one "already there". The bytes are hashed again first: a read that failed for a passing reason
 * (a connection cut short) must not move a good blob. Returns where the bytes went, or undefined when
 * the blob turned out good or was already moved by someone else.
 */
export async function quarantineBlob(
  store: ArtifactStore,
  key: string,
  sha256: string,
): Promise<string | undefined> {
  const actual = await storedDigest(store, key).catch(() => undefined);
  if (actual === undefined || actual === sha256) return undefined;
  const aside = `${QUARANTINE_PREFIX}${sha256}.${Date.now()}`;
  const file = store.localPath?.(key);
  try {
    if (file) {
      const target = store.localPath!(aside);
      await mkdir(dirname(target), { recursive: true });
      await rename(file, target);
    } else {
      await store.put(aside, (await store.get(key)) as never);
      await store.delete(key);
    }
    return store.uri(aside);
  } catch {
    // Another reader moved it first, or the store refused: the error the caller reports still stands.
    return undefined;
  }
}

/**
 * Whether a content-addressed write must store its bytes: the key is free, or (verifyExisting, a
 * `--no-cache` run) the copy there was corrupt and has just been moved aside.
 */
export async function blobMissing(
  store: ArtifactStore,
  key: string,
  sha256: string,
  verifyExisting = false,
): Promise<boolean> {
  if (!(await store.exists(key))) return true;
  return verifyExisting && (await quarantineBlob(store, key, sha256)) !== undefined;
}
