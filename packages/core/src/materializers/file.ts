import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileRef } from '../artifact-type/artifact-type.js';
import type { Materializer } from './materializer.js';

/** A single file streamed as-is; loading puts it in the step's scratch directory and returns its path. */
export const fileMaterializer: Materializer<FileRef> = {
  id: 'strata.file',
  version: 1,
  kinds: ['file'],
  accepts: () => false,
  async save(value, sink) {
    const info = await stat(value.path);
    if (!info.isFile()) throw new TypeError(`file output ${value.path} is not a regular file`);
    await pipeline(createReadStream(value.path, { highWaterMark: 1 << 20 }), sink, { end: false });
    return { shape: [info.size], preview: value.path };
  },
  async load(source, scratchDir) {
    const path = join(scratchDir, 'file');
    await pipeline(source, createWriteStream(path, { highWaterMark: 4 << 20 }));
    return { path };
  },
};
