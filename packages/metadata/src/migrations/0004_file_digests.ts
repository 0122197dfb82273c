import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * The local-source fast path (see FileDigestsRepository): per host and absolute path, the size, mtime
 * (ns), inode and device a file had when its sha256 was taken. Stat numbers are text: an mtime in
 * nanoseconds and a 64-bit inode do not fit a JavaScript number. No foreign key: it is a cache of
 * facts about files, not lineage, and is not part of an export.
 */
export const fileDigests: Migration = {
  version: 4,
  name: 'file_digests',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('file_digests')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('mtime_ns', 'text', (c) => c.notNull())
      .addColumn('ino', 'text', (c) => c.notNull())
      .addColumn('dev', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('hashed_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
