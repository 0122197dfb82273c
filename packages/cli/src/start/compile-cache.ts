/**
 * A V8 code cache for the CommonJS files `strata` loads: Strata's package bundles (`dist/bundle.cjs`,
 * scripts/bundle-packages.mjs) and CommonJS dependencies under node_modules (zod, reflect-metadata).
 *
 * Why: Node 20 compiles every module again on each start and has no on-disk compile cache (ES
 * modules have none at all; `module.enableCompileCache` came in Node 22). Parsing and compiling ~2 MB
 * of JavaScript was a third of `strata run`'s fixed cost. V8 can serialize what it compiled
 * (`script.createCachedData()`) and accept it back on the next start (`cachedData`), as
 * v8-compile-cache does for CommonJS: this is that, for the files above only.
 *
 * Safety:
 * - Never stale: an entry is named by a hash of the file's path and exact content (and Node's
 *   version and architecture are in the folder name); V8 also checks the data itself and rejects data made by
 *   another V8 or with other flags, in which case it compiles from source and the entry is rewritten.
 * - Concurrent processes: an entry is written to a temporary file and renamed into place, so readers
 *   see a whole entry or none; two writers of one entry write the same bytes.
 * - Read-only or missing folders, full disks: every cache failure is ignored (the file compiles as
 *   without a cache). A folder that other users may write to is not used at all (its data would run).
 * - Source maps: a file with a `sourceMappingURL` is left to Node (whose loader reads the map when
 *   source maps are on), so `--debug` traces through such files stay mapped.
 *
 * `STRATA_COMPILE_CACHE=off` turns it off; `STRATA_COMPILE_CACHE=DIR` puts it in DIR (default
 * `$XDG_CACHE_HOME/strata/v8` or `~/.cache/strata/v8`).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

interface InternalModule {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

interface ModuleInternals {
  prototype: InternalModule;
  wrap(script: string): string;
  _resolveFilename(request: string, parent: InternalModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: InternalModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

const internals = Module as unknown as ModuleInternals;

/** scripts/bundle-packages.mjs's first line of a bundle (BUNDLE_MARK there). */
const BUNDLE_MARK = '// strata bundle: import() calls go through ./import.cjs\n';
const DYNAMIC_IMPORT = /(?<![\w$.'"`])import\s*\(/;

/** The default folder, or undefined when turned off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.STRATA_COMPILE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  const base = setting || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'strata', 'v8');
  return join(base, `${process.version}-${process.arch}`);
}

/** Strata's bundles and node_modules' CommonJS files; not the user's own files (their maps, their edits). */
export function cacheable(filename: string, content: string): boolean {
  if (!filename.endsWith('/dist/bundle.cjs') && !filename.includes('/node_modules/')) return false;
  // A hashbang is only valid at the very start of a script: Node's own loader handles those.
  if (content.startsWith('#!')) return false;
  // Node 20 loses import()'s callback in code restored from a cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING):
  // a file with an import() is Node's. Strata's bundles say on their first line that theirs go through
  // a helper file (scripts/bundle-packages.mjs finds the calls with a tokenizer; an import( inside one
  // of their strings, such as a worker thread's source, is only text).
  if (content.startsWith(BUNDLE_MARK) && filename.endsWith('/dist/bundle.cjs')) return true;
  if (DYNAMIC_IMPORT.test(content)) return false;
  return !content.slice(-4096).includes('sourceMappingURL=');
}

/** True when the folder is ours and no one else may write to it (or it can be made so). */
function usableDir(dir: string): boolean {
  try {
    makeDirectories(dir);
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * `mkdir -p` one level at a time. Node 20's `mkdirSync(…, { recursive: true })` never returns where
 * mkdir answers ENOENT under a parent that exists (HOME=/proc hung every `strata` command); here any
 * failure is final, and the cache is then simply not used.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !existsSync(at); at = dirname(at)) {
    if (dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const path of missing) mkdirSync(path, { mode: 0o700 });
}

let installed = false;

/**
 * Set by a process that ran a pipeline (`noteRanPipeline`). A global, not a module variable: the
 * CLI's bundle holds its own copy of this module beside the one bin/strata.js installed.
 */
const RAN_PIPELINE = Symbol.for('strata.compile-cache.ran-pipeline');
const processFlags = globalThis as { [RAN_PIPELINE]?: boolean };

/**
 * Says that this process ran a pipeline (`strata run`, `strata runs resume`). An entry holds the
 * functions compiled by the process that wrote it, and entries were written once: after a build or
 * upgrade the first command was often `strata init` or `--help`, and every later run then compiled
 * the rest of its code again (a 1-step run: 6 % more CPU). A run served by another command's entry
 * writes its own (`….run.bin`), which every later process reads first.
 */
export function noteRanPipeline(): void {
  processFlags[RAN_PIPELINE] = true;
}

/**
 * Serves Strata's CommonJS files from the code cache from now on, and writes what is missing when
 * the process exits (the cache then also holds every function compiled during the run).
 */
export function installCompileCache(dir = compileCacheDir()): void {
  if (installed || dir === undefined) return;
  installed = true;
  let usable: boolean | undefined;
  /** Each file served: its entries' common path, its script, and the entry V8 was given (if any). */
  const served: { base: string; script: vm.Script; entry: EntryKind | undefined }[] = [];
  const original = internals.prototype._compile;

  internals.prototype._compile = function compileWithCache(
    this: InternalModule,
    content: string,
    filename: string,
    ...rest: unknown[]
  ) {
    const eligible = cacheable(filename, content);
    if (eligible) usable ??= usableDir(dir);
    if (!eligible || usable !== true) {
      return original.call(this, content, filename, ...rest);
    }
    // The file's path is part of the key: V8's data keeps the name of the script it was made from,
    // so data of another copy of the same file (another worktree or install) would make stack
    // traces, and whatever reads them (`bindings` finding better-sqlite3's addon), name that copy.
    // sha1: it names content, it does not guard it (a writer of the file or of this private folder
    // could run code anyway). Over the ~2.4 MB read per start it took 2.3-2.7 ms here against md5's
    // 5.5 (CPUs with SHA extensions; without them the two are close, and sha256 is the slow one).
    const key = createHash('sha1').update(filename).update('\0').update(content).digest('hex');
    const base = join(dir, `${key}-${content.length}`);
    let cachedData: Buffer | undefined;
    let entry: EntryKind | undefined;
    for (const kind of ['run', 'other'] as const) {
      try {
        cachedData = readFileSync(entryPath(base, kind));
        entry = kind;
        break;
      } catch {}
    }
    const script = new vm.Script(internals.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
    });
    served.push({ base, script, entry });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
  };

  process.once('exit', () => {
    const ran = processFlags[RAN_PIPELINE] === true;
    let wrote = false;
    for (const { base, script, entry } of served) {
      // Missing or rejected: written; served by another command's entry to a run: the run's own.
      if (entry !== undefined && !script.cachedDataRejected && (entry === 'run' || !ran)) continue;
      if (entry !== undefined && script.cachedDataRejected) {
        try {
          unlinkSync(entryPath(base, entry));
        } catch {}
      }
      const path = entryPath(base, ran ? 'run' : 'other');
      const temp = `${path}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, path);
        wrote = true;
      } catch {
        try {
          unlinkSync(temp);
        } catch {}
      }
    }
    if (wrote) prune(dir);
  });
}

/** Who wrote an entry: a process that ran a pipeline, or another command. */
type EntryKind = 'run' | 'other';

const entryPath = (base: string, kind: EntryKind) => `${base}${kind === 'run' ? '.run' : ''}.bin`;

/** Most entries kept; each build of Strata adds a few (~2 MB), so the oldest go past this. */
export const MAX_ENTRIES = 200;

/**
 * Drops the oldest entries (by when they were written) beyond MAX_ENTRIES, and temporary files of
 * writers that were killed mid-write. Runs only after this
 * process wrote entries, i.e. after a build or upgrade. An entry still in use that goes is simply
 * written again by its next run.
 */
export function prune(dir: string, keep = MAX_ENTRIES, now = Date.now()): void {
  try {
    const names = readdirSync(dir);
    // A writer killed between its write and its rename leaves its temporary file: gone after an hour.
    for (const name of names.filter((n) => n.endsWith('.tmp'))) {
      try {
        if (now - statSync(join(dir, name)).mtimeMs > 3_600_000) unlinkSync(join(dir, name));
      } catch {}
    }
    const entries = names.filter((name) => name.endsWith('.bin'));
    if (entries.length <= keep) return;
    const dated = entries.map((name) => {
      try {
        return { name, time: statSync(join(dir, name)).mtimeMs };
      } catch {
        return { name, time: 0 };
      }
    });
    dated.sort((a, b) => a.time - b.time);
    for (const { name } of dated.slice(0, dated.length - keep)) {
      try {
        unlinkSync(join(dir, name));
      } catch {}
    }
  } catch {}
}

/** The `require` Node gives a module (resolution from its own folder, one shared module cache). */
function requireFor(module: InternalModule): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internals._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = internals._extensions as NodeJS.RequireExtensions;
  require.cache = internals._cache as NodeJS.Dict<NodeModule>;
  return require;
}
