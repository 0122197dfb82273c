import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentStepScope, runInStepScope, sessionBegun, sessionEnded } from './step-scope.js';

/** Code and package files: reading them is loading code, which the code identity already covers. */
const CODE = new Set([
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.json',
  '.node',
  '.map',
]);

/** `<package>/{src,dist,hooks}/…` below a workspace's packages/ or integrations/. */
const STRATA_FILE = /^[^./][^/]*\/(src|dist|hooks)\//;

const SCRATCH = [join(tmpdir(), 'strata-step-'), join(tmpdir(), 'strata-load-')];

export interface WatchScope {
  readonly projectRoot: string;
  /** Absolute paths of the step's declared local sources (files or directories). */
  readonly declared: readonly string[];
  /** Other places Strata itself reads and writes during the step (scratch dir, artifact store…). */
  readonly ignore?: readonly string[];
}

/** One step execution's reads: open from begin() until end(); later reads (a leaked timer) are dropped. */
export class WatchSession {
  readonly seen = new Set<string>();
  open = true;

  constructor(readonly scope: WatchScope) {
    sessionBegun();
  }

  /**
   * Runs the step body: every read in its async context (callbacks, promises, timers) is this step's.
   * (The step runner enters one scope with this and the output session at once: step-scope.ts.)
   */
  run<T>(body: () => T): T {
    return runInStepScope({ ...currentStepScope(), reads: this }, body);
  }

  /** The undeclared files read since begin(), sorted; stops watching. */
  end(): string[] {
    if (this.open) {
      this.open = false;
      sessionEnded();
    }
    return [...this.seen].sort();
  }
}

/**
 * Sees the files a step body reads that are not declared sources. Installed once per process that runs
 * steps (in-process runs, step processes, Docker containers, Temporal workers); it wraps the fs read
 * entry points (readFile, readFileSync, createReadStream, open, openSync and their promise forms) and
 * attributes each read to the step whose body made it through an AsyncLocalStorage entered around
 * that body, so steps sharing a process (in-process isolation, a worker running several activities
 * at once) are told apart. Kept: every path except node_modules, code files, Strata's own files, the
 * project's `.strata/` folder and the declared sources. Reads outside any step cost one store lookup.
 *
 * On Node 20 an enabled AsyncLocalStorage makes every promise in the process dearer (its init hook
 * copies the store; ~0.1 µs each, 5-15 % of a trivial step's own cost): the storage, shared with the
 * output capture (step-scope.ts), is disabled whenever no step body is running, so only code running
 * beside a step body pays it.
 */
export class ReadWatcher {
  private readonly strataRoots: string[];

  constructor() {
    // This file is packages/core/{src,dist}/runner/… or, bundled, a chunk in packages/core/dist/:
    // Strata's packages sit beside core (a workspace; their src/, dist/ and hooks/) or under
    // node_modules (an installed project), excluded anyway.
    const self = fileURLToPath(import.meta.url);
    const core = self.lastIndexOf(`${sep}packages${sep}core${sep}`);
    const workspace = core >= 0 ? self.slice(0, core) : resolve(self, '..', '..', '..', '..', '..');
    this.strataRoots = [join(workspace, 'packages'), join(workspace, 'integrations')];
  }

  install(): void {
    const note = (path: unknown) => this.note(path);
    const wrap = <F extends (...args: never[]) => unknown>(target: Record<string, unknown>, name: string) => {
      const original = target[name] as F | undefined;
      if (typeof original !== 'function') return;
      target[name] = function (this: unknown, ...args: Parameters<F>) {
        note(args[0]);
        return original.apply(this, args);
      };
    };
    const sync = fs as unknown as Record<string, unknown>;
    for (const name of ['readFile', 'readFileSync', 'createReadStream', 'open', 'openSync']) wrap(sync, name);
    const promises = fsPromises as unknown as Record<string, unknown>;
    for (const name of ['readFile', 'open']) wrap(promises, name);
    // `import { readFileSync } from 'node:fs'` binds the ESM export: make it see the wrappers.
    syncBuiltinESMExports();
  }

  /** Starts watching one step execution; run its body through the session's run(). */
  begin(scope: WatchScope): WatchSession {
    return new WatchSession(scope);
  }

  /**
   * Runs Strata's own work inside a step (loading an artifact for it) without counting its reads; what
   * it prints still goes to the step's output.
   */
  unwatched<T>(work: () => T): T {
    const current = currentStepScope();
    if (!current?.reads) return work();
    return runInStepScope(current.output ? { output: current.output } : {}, work);
  }

  private note(path: unknown): void {
    const session = currentStepScope()?.reads as WatchSession | undefined;
    if (!session?.open) return;
    const scope = session.scope;
    let file: string;
    if (typeof path === 'string') file = path;
    else if (path instanceof URL && path.protocol === 'file:') file = fileURLToPath(path);
    else if (Buffer.isBuffer(path)) file = path.toString();
    else return; // a file descriptor or handle: its open was seen
    file = isAbsolute(file) ? file : resolve(file);
    if (file.includes(`${sep}node_modules${sep}`) || CODE.has(extname(file).toLowerCase())) return;
    if (file.startsWith('/proc/') || file.startsWith('/dev/') || file.startsWith('/sys/')) return;
    const inside = (root: string) => file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
    if (this.strataRoots.some((root) => STRATA_FILE.test(relative(root, file)))) return;
    if (inside(resolve(scope.projectRoot, '.strata'))) return;
    if (scope.declared.some(inside) || (scope.ignore ?? []).some(inside)) return;
    // The step's scratch directory and file artifacts loaded for it (ScratchDir, artifact-io).
    if (SCRATCH.some((prefix) => file.startsWith(prefix))) return;
    session.seen.add(file);
  }
}

let installed: ReadWatcher | undefined;

/** Installs the watcher in this process, once (every process that runs steps; see ReadWatcher). */
export function watchUndeclaredReads(): ReadWatcher {
  if (!installed) {
    installed = new ReadWatcher();
    installed.install();
  }
  return installed;
}

/** Runs `work` without attributing its reads to the step around it (a no-op before any step ran). */
export function unwatched<T>(work: () => T): T {
  return installed ? installed.unwatched(work) : work();
}

/** The warning recorded for an undeclared read: which file, and how to declare it. */
export function undeclaredReadMessage(file: string, projectRoot: string): string {
  const shown = file.startsWith(projectRoot + sep) ? file.slice(projectRoot.length + 1) : file;
  return (
    `undeclared read: the step read ${file}, which is not a declared source, so the cache does not see ` +
    `changes to it. Declare it: pass source('${shown}') to a t.source() (or t.file()) input of the step ` +
    'and read the path it receives; cache: { strict: true } (or STRATA_CACHE_STRICT=1) makes this an error'
  );
}
