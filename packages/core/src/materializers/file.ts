import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileToSink, writeSourceToFile } from '../artifact-store/file-transfer.js';
import type { FileRef } from '../artifact-type/artifact-type.js';
import type { Materializer } from './materializer.js';

/**
 * A single file stored as-is; loading puts it in the step's scratch directory and returns its path.
 * Both directions let the kernel copy the bytes while Strata hashes them (see file-transfer.ts).
 */
export const fileMaterializer: Materializer<FileRef> = {
  id: 'strata.file',
  version: 1,
  kinds: ['file'],
  accepts: () => false,
  async save(value, sink) {
    const info = await stat(value.path);
    if (!info.isFile()) throw new TypeError(`file output ${value.path} is not a regular file`);
    await writeFileToSink(sink, value.path);
    return { shape: [info.size], preview: value.path };
  },
  async load(source, scratchDir) {
    const path = join(scratchDir, 'file');
    await writeSourceToFile(source, path);
    return { path };
  },
};
