import { dirname } from 'node:path';
import { sha256Hex } from '../hash/canonical-json.js';
import { STRATA_VERSION } from '../version.js';
import { forgetSources, normalizeSource, readSource, tokens } from './code-hash.js';
import { importsOf, installedVersion, packageRoot, relativeKey } from './module-graph.js';

/**
 * What a step's code is: its module and every local module reachable through imports (file -> sha256
 * of the normalized source), and the installed version of each package those modules import. Editing
 * a helper or a module-level constant, or upgrading a dependency, changes it; editing a file the step
 * does not reach does not.
 */
export interface CodeIdentity {
  /** sha256 over files and packages. */
  readonly hash: string;
  /** Path relative to the defining module's package root -> sha256 of its normalized source. */
  readonly files: Readonly<Record<string, string>>;
  /** Package name -> installed version (`missing` when it cannot be found). */
  readonly packages: Readonly<Record<string, string>>;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

interface ModuleInfo {
  readonly text: string;
  /** `step(...)` and `pipeline(...)` calls, in order. */
  readonly spans: readonly Span[];
  /** The normalized source without any of those calls (what an importing step depends on). */
  readonly importedHash: string;
  readonly local: readonly string[];
  readonly packages: readonly string[];
}

// Computed once per process per module (and per package directory), never per step execution.
const modules = new Map<string, ModuleInfo | null>();
const closures = new Map<string, { files: Map<string, string>; packages: Map<string, string> }>();
const versions = new Map<string, string>();

const identities = new Map<string, CodeIdentity | null>();

/**
 * The identity of the code a step defined in `path` runs. The step's own `run` and declared interface
 * are hashed separately (code-hash.ts); here every `step(…)`/`pipeline(…)` call is cut out of the
 * module, so editing a neighbouring step, a retry policy or the pipeline body changes nothing, while
 * a module-level constant or helper does.
 */
export function moduleCodeIdentity(path: string): CodeIdentity | undefined {
  let identity = identities.get(path);
  if (identity === undefined) {
    identity = computeIdentity(path) ?? null;
    identities.set(path, identity);
  }
  return identity ?? undefined;
}

function computeIdentity(path: string): CodeIdentity | undefined {
  if (!moduleInfo(path)) return undefined;
  const root = packageRoot(path);
  const closure = closureOf(path);
  const sort = (entries: Iterable<[string, string]>) =>
    Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
  const files = sort([...closure.files].map(([file, hash]) => [relativeKey(root, file), hash]));
  const packages = sort(closure.packages);
  return { hash: sha256Hex(JSON.stringify({ files, packages })), files, packages };
}

function moduleInfo(path: string): ModuleInfo | undefined {
  let info = modules.get(path);
  if (info === undefined) {
    const text = readSource(path);
    if (text === undefined) info = null;
    else {
      const spans = callSpans(text);
      const imports = importsOf(path, text);
      info = {
        text,
        spans,
        importedHash: sha256Hex(withoutSpans(text, spans)),
        local: imports.local,
        packages: imports.packages,
      };
    }
    modules.set(path, info);
  }
  return info ?? undefined;
}

/** Every local module reachable from `path` (with the hash an importer sees) and every package they import. */
function closureOf(path: string) {
  let closure = closures.get(path);
  if (closure) return closure;
  closure = { files: new Map<string, string>(), packages: new Map<string, string>() };
  const pending = [path];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const info = moduleInfo(file);
    if (!info) {
      closure.files.set(file, 'unreadable');
      continue;
    }
    closure.files.set(file, info.importedHash);
    for (const name of info.packages) {
      if (!closure.packages.has(name)) closure.packages.set(name, versionOf(dirname(file), name));
    }
    pending.push(...info.local);
  }
  closures.set(path, closure);
  return closure;
}

function versionOf(dir: string, name: string): string {
  const key = `${dir}\u0000${name}`;
  let version = versions.get(key);
  if (version === undefined) {
    // A Strata package the project did not install is the running Strata's own copy (a pipeline file
    // run by the CLI in a project made with `strata init` alone); Strata's packages share its version.
    version = installedVersion(dir, name) ?? (name.startsWith('@strata/') ? STRATA_VERSION : 'missing');
    versions.set(key, version);
  }
  return version;
}

/** The normalized text with the given calls cut out, each replaced by a marker. */
function withoutSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    out += `${normalizeSource(text.slice(at, span.start))}\u0000`;
    at = span.end;
  }
  return out + normalizeSource(text.slice(at));
}

/**
 * The extents of `step(…)` and `pipeline(…)` calls (also `step<…>(…)`), found with the tokenizer that
 * skips strings and comments. Member calls (`x.step(`) and declarations (`function step(`) are not calls of ours.
 */
export function callSpans(text: string): Span[] {
  const spans: Span[] = [];
  const open: { span?: number }[] = [];
  let pending: number | undefined;
  for (const token of tokens(text, 0)) {
    if (token.kind === 'word') {
      if (token.value === 'step' || token.value === 'pipeline') {
        const before = text.slice(0, token.at).trimEnd();
        const after = text.slice(token.end).trimStart();
        if (
          !before.endsWith('.') &&
          !/\bfunction$/.test(before) &&
          (after.startsWith('(') || after.startsWith('<'))
        ) {
          pending = token.at;
        }
      }
      continue;
    }
    if (token.kind === 'open') {
      if (pending !== undefined && token.value === '(') {
        open.push({ span: pending });
      } else open.push({});
      pending = undefined;
    } else if (token.kind === 'close') {
      const entry = open.pop();
      if (entry?.span !== undefined) spans.push({ start: entry.span, end: token.end });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Forgets every computed identity (tests that edit files within one process). */
export function forgetModules(): void {
  forgetSources();
  identities.clear();
  modules.clear();
  closures.clear();
  versions.clear();
}
