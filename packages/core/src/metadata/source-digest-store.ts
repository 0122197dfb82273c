import type { RememberedDigest } from '../source/source-spec.js';

/**
 * The local-source fast path, remembered in the metadata store: what a file's size, mtime, inode and
 * device were when its content was last hashed. A new process (the next `strata run`, a step process)
 * finds an unchanged big file here and skips reading it. Keys are `host:absolute path`.
 */
export interface SourceDigestStore {
  rememberedDigest(key: string): Promise<RememberedDigest | undefined>;
  rememberDigest(key: string, value: RememberedDigest): Promise<void>;
}
