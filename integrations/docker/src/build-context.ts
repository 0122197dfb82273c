import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** Never part of an image: VCS data, Strata's own state (mounted instead), service data, build caches. */
export const defaultExcludes = ['.git', '.strata', '.services', 'coverage', '*.tsbuildinfo', '.DS_Store'];

const lockfiles = ['pnpm-lock.yaml', 'package-lock.json', 'yarn.lock', 'bun.lockb', 'bun.lock'];

/**
 * The directory the image must hold for the project to run: the nearest ancestor of the project root
 * with a lockfile (a pnpm workspace's node_modules are symlinks into its root), else the project root.
 */
export function findWorkspaceRoot(projectRoot: string): string {
  for (let dir = projectRoot; ; dir = dirname(dir)) {
    if (lockfiles.some((f) => existsSync(join(dir, f)))) return dir;
    if (dirname(dir) === dir) return projectRoot;
  }
}

/**
 * The workspace of the running Strata when it lies outside the project's: a project of the user's own
 * (README.md, "Your own project") runs a checkout elsewhere, and the step command's files (the step
 * entry, tsx, their node_modules) must be at their paths in a container too. Undefined when the
 * project's workspace holds Strata (or Strata's holds the project).
 */
export function strataOutsideWorkspace(
  stepCommand: readonly string[] | undefined,
  workspaceRoot: string,
): string | undefined {
  const entry = stepCommand?.at(-1);
  if (!entry) return undefined;
  const checkout = findWorkspaceRoot(dirname(entry));
  return within(checkout, workspaceRoot) || within(workspaceRoot, checkout) ? undefined : checkout;
}

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

export interface ContextEntry {
  /** Relative to the workspace root, '/'-separated. */
  readonly path: string;
  readonly type: 'file' | 'symlink';
  /** sha256 of a file's bytes, or a symlink's target. */
  readonly digest: string;
  readonly mode: number;
}

export interface ContextOptions {
  readonly root: string;
  /** Patterns: a name matches any path segment, `*.ext` a suffix, `a/b` a path prefix. */
  readonly exclude: readonly string[];
  /**
   * `false`: node_modules trees are left out of the walk and represented by the files pnpm/npm
   * write when they install (a change of installed dependencies changes those files).
   */
  readonly includeNodeModules: boolean;
  /**
   * Digests from an earlier walk, keyed by path: a file whose size, mtime and inode are unchanged, and
   * whose mtime and ctime are older than the moment it was hashed, is not read again (git's index makes
   * the same bet, with the same "racy" guard). Updated in place.
   */
  readonly cache?: Map<string, CachedDigest>;
}

export interface CachedDigest {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly digest: string;
  /** When the digest was taken (ms since the epoch). */
  readonly hashedAt: number;
}

const installMarkers = ['.modules.yaml', '.pnpm/lock.yaml', '.package-lock.json'];

/** Lists the files that go into the image, each with a content digest, in a stable order. */
export async function collectContext(options: ContextOptions): Promise<ContextEntry[]> {
  const out: ContextEntry[] = [];
  const excluded = matcher([...defaultExcludes, ...options.exclude]);
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const rel = relative(options.root, full).split(sep).join('/');
      if (excluded(rel)) continue;
      if (entry.name === 'node_modules' && !options.includeNodeModules) {
        for (const marker of installMarkers) {
          const file = join(full, marker);
          if (existsSync(file)) out.push(await describe(file, `${rel}/${marker}`, options.cache));
        }
        continue;
      }
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        // A file deleted while we walk is simply not part of the image.
        const described = await describe(full, rel, options.cache).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        });
        if (described) out.push(described);
      }
    }
  }
  await walk(options.root);
  return out;
}

async function describe(full: string, rel: string, cache?: Map<string, CachedDigest>): Promise<ContextEntry> {
  const info = await lstat(full);
  if (info.isSymbolicLink()) return { path: rel, type: 'symlink', digest: await readlink(full), mode: 0o777 };
  const known = cache?.get(rel);
  let digest: string;
  if (known && stillHashed(known, info)) {
    digest = known.digest;
  } else {
    const hashedAt = Date.now();
    digest = await sha256File(full);
    cache?.set(rel, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, digest, hashedAt });
  }
  return { path: rel, type: 'file', digest, mode: info.mode & 0o777 };
}

/**
 * Whether a remembered digest still holds. Same size, mtime and inode are not enough on their own: mtime
 * can be set back (`touch -d`, `cp -p`, `tar -x` over the file), so a same-size rewrite that restores it
 * would keep an image of the old bytes. Every write moves ctime, which nothing can set back, so a file
 * whose ctime (or mtime: a write in the same clock tick as the hash) is not a second older than the
 * hash is read again. A cache written before hashedAt existed has none, and is read again once.
 */
function stillHashed(
  known: CachedDigest,
  info: { size: number; mtimeMs: number; ctimeMs: number; ino: number },
) {
  const settled = (known.hashedAt ?? 0) - 1000;
  return (
    known.size === info.size &&
    known.mtimeMs === info.mtimeMs &&
    known.ino === info.ino &&
    known.mtimeMs < settled &&
    info.ctimeMs < settled
  );
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function matcher(patterns: readonly string[]): (rel: string) => boolean {
  return (rel) => {
    const segments = rel.split('/');
    const name = segments[segments.length - 1]!;
    return patterns.some((p) => {
      if (p.startsWith('*.')) return name.endsWith(p.slice(1));
      if (p.includes('/')) return rel === p || rel.startsWith(`${p}/`);
      return segments.includes(p);
    });
  };
}

/** One line per entry: what the image's content hash is computed from. */
export function manifestText(entries: readonly ContextEntry[]): string {
  return entries
    .map((e) => `${e.type === 'file' ? 'f' : 'l'} ${e.mode.toString(8)} ${e.digest} ${e.path}\n`)
    .join('');
}
