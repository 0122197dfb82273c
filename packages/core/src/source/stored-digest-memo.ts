import type { SourceDigestStore } from '../metadata/source-digest-store.js';
import { MemoryDigestMemo } from './local-fingerprint.js';
import type { FileDigestMemo, RememberedDigest } from './source-spec.js';

/**
 * The fast-path memo of a stack: the metadata store (so the next process skips rehashing an unchanged
 * file), with this process's own memory in front (so a directory of many files asks the store once per
 * file per process, not once per step). A store that cannot be read or written costs a rehash, never
 * a failed step.
 */
export class StoredDigestMemo implements FileDigestMemo {
  private readonly memory = new MemoryDigestMemo();

  constructor(private readonly store: SourceDigestStore) {}

  async get(key: string): Promise<RememberedDigest | undefined> {
    const known = await this.memory.get(key);
    if (known) return known;
    const stored = await this.store.rememberedDigest(key).catch(() => undefined);
    if (stored) await this.memory.put(key, stored);
    return stored;
  }

  async put(key: string, value: RememberedDigest): Promise<void> {
    await this.memory.put(key, value);
    await this.store.rememberDigest(key, value).catch(() => undefined);
  }
}
