import type { SourceDigestStore } from '../../metadata/source-digest-store.js';
import type { RememberedDigest } from '../../source/source-spec.js';
import type { MemoryTables } from './tables.js';

/** The local-source fast path, remembered per `host:absolute path` key (replaced on every rehash). */
export class MemorySourceDigestStore implements SourceDigestStore {
  constructor(private readonly t: MemoryTables) {}

  async rememberedDigest(key: string): Promise<RememberedDigest | undefined> {
    const found = this.t.fileDigests.get(key);
    return found && { ...found };
  }

  async rememberDigest(key: string, value: RememberedDigest): Promise<void> {
    const { size, mtimeNs, ino, dev, sha256, hashedAt } = value;
    this.t.fileDigests.set(key, { size, mtimeNs, ino, dev, sha256, hashedAt });
  }
}
