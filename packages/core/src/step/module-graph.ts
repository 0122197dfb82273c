import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A local module and what it imports, as read from its source text. */
export interface ModuleImports {
  /** Absolute paths of the local modules it imports (relative specifiers), resolved to files. */
  readonly local: readonly string[];
  /** Bare package names it imports (`zod`, `@scope/pkg`), without builtins. */
  readonly packages: readonly string[];
}

const builtins = new Set(builtinModules);
const IMPORT =
  /(?:^|[^\w$.])(?:import|export)\s+(type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?["']([^"'\n]+)["']|(?:^|[^\w$.])(?:import|require)\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/**
 * The imports of a module's source: static `import`/`export … from`, side-effect imports, literal
 * `import()` and `require()`. Type-only imports are skipped (they do not run). Comments are not
 * parsed away: a commented-out import only makes the identity a little wider, never stale.
 */
export function importsOf(path: string, text: string): ModuleImports {
  const local = new Set<string>();
  const packages = new Set<string>();
  for (const match of text.matchAll(IMPORT)) {
    if (match[1]) continue;
    const spec = match[2] ?? match[3];
    if (!spec) continue;
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const file = resolveLocal(dirname(path), spec);
      if (file) local.add(file);
    } else if (!spec.startsWith('node:') && !builtins.has(spec) && !/^[a-z]+:/.test(spec)) {
      packages.add(packageName(spec));
    }
  }
  return { local: [...local], packages: [...packages] };
}

export function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const SOURCE_EXT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The file a relative specifier names. TypeScript sources import `./x.js` for `./x.ts`: the `.ts`
 * file (what the author edits) wins over an emitted `.js` beside it.
 */
function resolveLocal(dir: string, spec: string): string | undefined {
  const base = resolve(dir, spec);
  const candidates: string[] = [];
  const ext = /\.[cm]?[jt]sx?$/.exec(base)?.[0];
  if (ext && /js/.test(ext)) {
    const stem = base.slice(0, -ext.length);
    candidates.push(stem + ext.replace('js', 'ts'), base);
  } else if (ext) candidates.push(base);
  else {
    for (const e of SOURCE_EXT) candidates.push(base + e);
    for (const e of SOURCE_EXT) candidates.push(join(base, `index${e}`));
    candidates.push(base);
  }
  return candidates.find(isFile);
}

/**
 * Whether `path` is a file. `stat` throws ENOTDIR (not ENOENT) for `x.json/index.ts` when `x.json` is
 * a file, which an import of `./x.json` asks for before `./x.json` itself: not a file, not an error.
 */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/**
 * The installed version of `name` as the importing module resolves it: the first
 * `node_modules/<name>/package.json` walking up from its directory (what pnpm, npm and yarn installed
 * from the lockfile, and what actually runs). `undefined` when the package is not installed.
 */
export function installedVersion(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      try {
        const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
        return typeof version === 'string' ? version : 'unknown';
      } catch {
        return 'unreadable';
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The directory of the nearest package.json above `path` (keys of the identity are relative to it). */
export function packageRoot(path: string): string {
  let dir = dirname(path);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(path);
    dir = parent;
  }
}

/** `path` relative to `root`, with `/` separators on every platform. */
export function relativeKey(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
