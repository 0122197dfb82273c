import { createHash } from 'node:crypto';
import { readdir, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile } from '../artifact-store/hash-file.js';
import { StrataError } from '../errors/strata-error.js';
import { globToRegExp } from './glob.js';
import {
  ENTRY_LIMIT,
  type FileDigestMemo,
  type FingerprintContext,
  type SourceFingerprint,
  type SourceFingerprinter,
  type SourceSpec,
} from './source-spec.js';

/** The absolute path of a local source (`file://` URLs and paths relative to the project root). */
export function localPath(uri: string, projectRoot: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  return isAbsolute(uri) ? uri : resolve(projectRoot, uri);
}

/**
 * Local files and directories: a sha256 of the content, skipped when size, mtime (ns), inode and
 * device all match what was remembered when the file was last hashed (the fast path: one stat).
 * A directory's digest is a sha256 over its sorted (relative name, file sha256) pairs, so adding,
 * removing, renaming or editing any matching file changes it.
 */
export const localFingerprinter: SourceFingerprinter = {
  schemes: ['file'],
  async fingerprint(spec, context) {
    const path = localPath(spec.uri, context.projectRoot);
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new StrataError(`source ${spec.uri} does not exist (${path})`, {
        code: 'source_missing',
        field: 'source',
        value: spec.uri,
        fix: 'create the file or directory, or fix the path (relative paths start at the project root)',
      });
    }
    if (info.isFile()) {
      const sha256 = await fileDigest(path, context.memo, context.signal);
      return { uri: spec.uri, scheme: 'file', digest: `sha256:${sha256}`, size: info.size, count: 1 };
    }
    if (!info.isDirectory()) {
      throw new StrataError(`source ${spec.uri} is neither a file nor a directory`, {
        code: 'source_type',
        field: 'source',
        value: spec.uri,
        fix: 'point the source at a regular file or a directory',
      });
    }
    return directoryFingerprint(spec, path, context);
  },
};

async function directoryFingerprint(
  spec: SourceSpec,
  root: string,
  context: FingerprintContext,
): Promise<SourceFingerprint> {
  const pattern = spec.glob === undefined ? undefined : globToRegExp(spec.glob);
  const names = (await filesUnder(root, '', [await realpath(root)])).filter(
    (name) => !pattern || pattern.test(name),
  );
  names.sort();
  const hash = createHash('sha256');
  const entries: Record<string, string> = {};
  let size = 0;
  for (const name of names) {
    context.signal?.throwIfAborted();
    const path = join(root, name);
    size += (await stat(path)).size;
    const digest = `sha256:${await fileDigest(path, context.memo, context.signal)}`;
    hash.update(`${name}\u0000${digest}\n`);
    if (names.length <= ENTRY_LIMIT) entries[name] = digest;
  }
  return {
    uri: spec.uri,
    scheme: 'file',
    digest: `sha256:${hash.digest('hex')}`,
    size,
    count: names.length,
    ...(names.length <= ENTRY_LIMIT ? { entries } : {}),
  };
}

/**
 * The files under `dir` (names relative to the source's root, `/`-separated), following symbolic links:
 * a data folder of links (DVC's symlink cache, a folder of links into a shared store) is fingerprinted
 * by what the step reads through them, so editing a linked file is a miss. A link back to a folder
 * being walked (`ancestors`, by real path) is not followed again; a dangling link is no file.
 */
async function filesUnder(dir: string, prefix: string, ancestors: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = `${prefix}${entry.name}`;
    const path = join(dir, entry.name);
    let isFile = entry.isFile();
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      isFile = target?.isFile() === true;
      isDirectory = target?.isDirectory() === true;
    }
    if (isFile) files.push(name);
    else if (isDirectory) {
      const real = await realpath(path);
      if (!ancestors.includes(real))
        files.push(...(await filesUnder(path, `${name}/`, [...ancestors, real])));
    }
  }
  return files;
}

/**
 * A file's sha256, through the memo when its stat still matches. A file whose mtime is not older than
 * the moment it was hashed may have changed again within the same clock tick (git's "racy" case): it is
 * hashed again rather than trusted. So is a file whose ctime is not older than that moment: mtime can
 * be set back (`touch -d`, `cp -p`, `tar -x` over the file), so a same-size rewrite that restores it
 * keeps size, mtime and inode, but every write moves ctime, which nothing can set back. ctime need not
 * be remembered: once the file is hashed again, hashedAt is later than it.
 */
export async function fileDigest(
  path: string,
  memo: FileDigestMemo | undefined,
  signal?: AbortSignal,
): Promise<string> {
  const info = await stat(path, { bigint: true });
  const now = {
    size: Number(info.size),
    mtimeNs: String(info.mtimeNs),
    ino: String(info.ino),
    dev: String(info.dev),
  };
  const key = `${hostname()}:${path}`;
  const known = await memo?.get(key);
  if (
    known &&
    known.size === now.size &&
    known.mtimeNs === now.mtimeNs &&
    known.ino === now.ino &&
    known.dev === now.dev &&
    BigInt(known.mtimeNs) / 1_000_000n < BigInt(known.hashedAt) - 1000n &&
    info.ctimeNs / 1_000_000n < BigInt(known.hashedAt) - 1000n
  ) {
    return known.sha256;
  }
  const hashedAt = Date.now();
  const hash = createHash('sha256');
  await hashFile(hash, path, signal);
  const sha256 = hash.digest('hex');
  await memo?.put(key, { ...now, sha256, hashedAt });
  return sha256;
}

/** A process-local memo: what a step process remembers when the metadata store keeps none. */
export class MemoryDigestMemo implements FileDigestMemo {
  private readonly entries = new Map<string, import('./source-spec.js').RememberedDigest>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async put(key: string, value: import('./source-spec.js').RememberedDigest) {
    this.entries.set(key, value);
    if (this.entries.size > 100_000) this.entries.delete(this.entries.keys().next().value!);
  }
}
