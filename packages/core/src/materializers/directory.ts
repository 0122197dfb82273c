import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileRef } from '../artifact-type/artifact-type.js';
import type { Materializer } from './materializer.js';

/** node-tar is imported on the first directory save or load, not when the registry is built. */
const loadTar = () => import('tar');

/**
 * A directory as an uncompressed tar (node-tar). Entries are sorted and mtimes fixed so the same tree
 * always produces the same bytes, and therefore the same content hash.
 */
export const directoryMaterializer: Materializer<FileRef> = {
  id: 'strata.directory',
  version: 1,
  kinds: ['directory'],
  accepts: () => false,
  async save(value, sink) {
    const files: string[] = [];
    await collect(value.path, '', files);
    files.sort();
    const tar = await loadTar();
    const pack = tar.create(
      { cwd: value.path, portable: true, mtime: new Date(0), noDirRecurse: true },
      files,
    );
    await pipeline(pack as unknown as NodeJS.ReadableStream, sink, { end: false });
    return { shape: [files.length], preview: files.slice(0, 10).join(', ') };
  },
  async load(source, scratchDir) {
    const path = join(scratchDir, 'dir');
    await mkdir(path, { recursive: true });
    const tar = await loadTar();
    await pipeline(source, tar.extract({ cwd: path }) as unknown as NodeJS.WritableStream);
    return { path };
  },
};

async function collect(root: string, rel: string, out: string[]): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await collect(root, child, out);
    else if (entry.isFile()) out.push(child);
  }
}
