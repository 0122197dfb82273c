import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeModulesLink, packageName, strataDirs } from './running-strata.js';

/**
 * A TypeScript pipeline file as one ES module Node can import with no loader hooks: on Node 20,
 * module hooks run on a thread of their own, and starting it and a round trip per import cost
 * `strata run` more than anything else after its own modules. The file and the local files it
 * imports are compiled by esbuild in this thread into one module in the TypeScript cache
 * (STRATA_TS_CACHE, else `strata-ts-UID` under the OS temp dir, as the hooks use); every package it
 * imports stays an import, resolved by esbuild as Node would (the `import` and `node` conditions,
 * symlinks to real paths) and written as an absolute file URL, so the module may live in the cache
 * and still get the very packages (and the one @strata/core) the file itself would. A manifest
 * beside it records a hash of every input, tsconfig and imported package's package.json; while all
 * match, a run imports the module without loading esbuild at all.
 *
 * An inline source map names the original files, so stack traces, and the step call sites that
 * code hashing reads, point at the user's lines as under the hooks or tsx. `import.meta.url`,
 * `dirname` and `filename` of the pipeline file are its own. Whatever this cannot translate
 * faithfully returns undefined and the caller uses the loader hooks instead: `import.meta` in an
 * imported local file, `import.meta.resolve`, `require`, an `import()` of a computed name, a package
 * that resolves to TypeScript source (a workspace link), a cache directory others may write to.
 */
const FORMAT = 3;
const LOCAL_TS = /\.[mc]?tsx?$/;

interface Manifest {
  readonly format: number;
  readonly key: string;
  readonly module: string;
  /** Every file whose content the module depends on (sources, tsconfigs, package.json files) -> hash. */
  readonly files: Record<string, string>;
  /**
   * Each imported package as Node finds it (the first node_modules/NAME above the importer) -> its
   * real path: a reinstall that points the link at another version (pnpm) compiles again.
   */
  readonly packages: Record<string, string>;
  /** Packages no node_modules above their importer held (taken from the running Strata): [name, importer]. */
  readonly notInstalled: [string, string][];
}

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex').slice(0, 32);

function cacheDir(): string | undefined {
  const dir = process.env.STRATA_TS_CACHE || join(tmpdir(), `strata-ts-${safeUser()}`);
  try {
    // Code read from here runs: only a directory of this user that nobody else may write to.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

function safeUser(): string {
  try {
    return String(userInfo().uid);
  } catch {
    return 'user';
  }
}

function hashOf(file: string): string | undefined {
  try {
    return sha(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** The module compiled earlier for `path`, if every file it was made from is unchanged. */
function cached(dir: string, key: string): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT || manifest.key !== key || typeof manifest.packages !== 'object')
    return undefined;
  // Installed since: the project's own copy is the one to import now.
  if (manifest.notInstalled.some(([name, importer]) => packageLink(name, importer) !== undefined))
    return undefined;
  for (const [file, hash] of Object.entries(manifest.files)) {
    if (hashOf(file) !== hash) return undefined;
  }
  for (const [link, real] of Object.entries(manifest.packages)) {
    try {
      if (realpathSync(link) !== real) return undefined;
    } catch {
      return undefined;
    }
  }
  return hashOf(manifest.module) === undefined ? undefined : manifest.module;
}

/** tsconfig.json files (and what they extend by relative path) that apply to files in `dirs`. */
function tsconfigFiles(dirs: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const start of dirs) {
    for (let at = start; ; at = dirname(at)) {
      const file = join(at, 'tsconfig.json');
      let text: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
      } catch {}
      if (text !== undefined) {
        found.add(file);
        let current = { file, text };
        for (let depth = 0; depth < 5; depth++) {
          const base = /"extends"\s*:\s*"(\.[^"]+)"/.exec(current.text)?.[1];
          if (!base) break;
          const next = resolve(dirname(current.file), base.endsWith('.json') ? base : `${base}.json`);
          try {
            current = { file: next, text: readFileSync(next, 'utf8') };
            found.add(next);
          } catch {
            break;
          }
        }
        break;
      }
      if (dirname(at) === at) break;
    }
  }
  return [...found];
}

/** Where Node finds package `specifier` from `importer`: the first node_modules/NAME above it. */
function packageLink(specifier: string, importer: string): string | undefined {
  return nodeModulesLink(packageName(specifier), dirname(importer));
}

const STRATA_PACKAGE = /^@strata\/[^/]+/;

/** The package.json of the package a resolved file belongs to. */
function packageJsonOf(file: string): string | undefined {
  for (let at = dirname(file); dirname(at) !== at; at = dirname(at)) {
    try {
      statSync(join(at, 'package.json'));
      return join(at, 'package.json');
    } catch {}
  }
  return undefined;
}

/** An error shaped like Node's own for a module that cannot be found (the caller names it). */
function notFound(specifier: string, importer: string): Error {
  const relative = specifier.startsWith('.') || isAbsolute(specifier);
  const error = new Error(
    relative
      ? `Cannot find module '${resolve(dirname(importer), specifier)}' imported from ${importer}`
      : `Cannot find package '${specifier}' imported from ${importer}`,
  ) as NodeJS.ErrnoException;
  error.code = 'ERR_MODULE_NOT_FOUND';
  return error;
}

async function compile(path: string, dir: string, key: string): Promise<string | undefined> {
  const esbuild = await import('esbuild');
  const packages = new Set<string>();
  const links: Record<string, string> = {};
  const notInstalled: [string, string][] = [];
  let untranslatable: string | undefined;
  let result: Awaited<ReturnType<typeof esbuild.build>> & { metafile: object };
  try {
    result = (await esbuild.build({
      entryPoints: [path],
      absWorkingDir: dirname(path),
      outdir: dirname(path),
      write: false,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      // As Node resolves an import: its conditions (no `module`) and `main` only.
      conditions: ['node'],
      mainFields: ['main'],
      sourcemap: 'inline',
      metafile: true,
      logLevel: 'silent',
      define: {
        'import.meta.url': JSON.stringify(pathToFileURL(path).href),
        'import.meta.dirname': JSON.stringify(dirname(path)),
        'import.meta.filename': JSON.stringify(path),
      },
      plugins: [
        {
          name: 'packages-by-url',
          setup(build) {
            build.onResolve({ filter: /.*/ }, async (args) => {
              if (args.kind === 'entry-point' || args.pluginData === 'inner') return undefined;
              if (args.kind === 'require-call' || args.kind === 'require-resolve') {
                untranslatable ??= `require(${args.path})`;
                return { path: args.path, external: true };
              }
              if (args.path.startsWith('node:')) return { path: args.path, external: true };
              const local = args.path.startsWith('.') || isAbsolute(args.path);
              const resolveFrom = (resolveDir: string) =>
                build.resolve(args.path, {
                  kind: args.kind,
                  resolveDir,
                  importer: args.importer,
                  pluginData: 'inner',
                });
              let found = await resolveFrom(args.resolveDir);
              // A Strata package the project has not installed is the running Strata's own (running-strata.ts).
              for (const dir of STRATA_PACKAGE.test(args.path) ? strataDirs() : []) {
                if (found.errors.length === 0 && found.path) break;
                found = await resolveFrom(dir);
              }
              if (found.errors.length > 0 || !found.path) throw notFound(args.path, args.importer);
              if (found.external) return { path: found.path, external: true };
              // Local files are bundled, resolved again by esbuild itself (so each gets its tsconfig).
              if (local && !found.path.includes('/node_modules/')) return undefined;
              if (LOCAL_TS.test(found.path)) {
                untranslatable ??= `${args.path} resolves to TypeScript source`;
                return { path: args.path, external: true };
              }
              const pkg = packageJsonOf(found.path);
              if (pkg) packages.add(pkg);
              const link = local ? undefined : packageLink(args.path, args.importer);
              if (link) links[link] = realpathSync(link);
              else if (!local) notInstalled.push([args.path, args.importer]);
              return { path: pathToFileURL(found.path).href, external: true };
            });
          },
        },
      ],
    })) as typeof result;
  } catch (error) {
    const inner = (error as { errors?: { detail?: unknown }[] }).errors?.find(
      (e) => e.detail instanceof Error,
    );
    if (inner) throw inner.detail;
    // One line that names the place, like Node's own SyntaxError (as the loader hooks report it).
    const first = (
      error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }
    ).errors?.[0];
    if (!first) throw error;
    const at = first.location
      ? `${resolve(dirname(path), first.location.file)}:${first.location.line}:${first.location.column + 1}`
      : path;
    throw new SyntaxError(`${first.text} (${at})`);
  }
  if (untranslatable) return undefined;
  const inputs = Object.keys((result.metafile as { inputs: Record<string, unknown> }).inputs).map((file) =>
    resolve(dirname(path), file),
  );
  const files: Record<string, string> = {};
  for (const input of inputs) {
    const text = readFileSync(input, 'utf8');
    // Another file's import.meta would be the pipeline file's here (one module): leave it to the hooks.
    if (input !== path && text.includes('import.meta')) return undefined;
    files[input] = sha(text);
  }
  if (readFileSync(path, 'utf8').includes('import.meta.resolve')) return undefined;
  let code = result.outputFiles![0]!.text;
  // An import() of a computed name would resolve from the cache: leave it to the hooks.
  if (/\bimport\s*\(\s*(?!["'])/.test(code.slice(0, code.lastIndexOf('//# sourceMappingURL='))))
    return undefined;
  code = withAbsoluteSources(code, dirname(path));
  for (const file of tsconfigFiles(new Set(inputs.map((i) => dirname(i))))) files[file] = hashOf(file)!;
  for (const pkg of packages) files[pkg] = hashOf(pkg)!;
  const module = join(dir, `${key}-${sha(code)}.mjs`);
  const manifest: Manifest = { format: FORMAT, key, module, files, packages: links, notInstalled };
  // Renamed into place: another process starting meanwhile reads a whole file or none.
  const temp = `.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(module + temp, code);
  renameSync(module + temp, module);
  let previous: string | undefined;
  try {
    previous = (JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Manifest).module;
  } catch {}
  writeFileSync(join(dir, `${key}.json${temp}`), JSON.stringify(manifest));
  renameSync(join(dir, `${key}.json${temp}`), join(dir, `${key}.json`));
  // The module of the file's previous version (a process still importing it has read it by now).
  if (previous !== undefined && previous !== module && previous.startsWith(join(dir, key)))
    rmSync(previous, { force: true });
  return module;
}

/** The inline source map's sources as absolute file URLs (the module lives in the cache, not beside them). */
function withAbsoluteSources(code: string, base: string): string {
  const marker = '//# sourceMappingURL=data:application/json;base64,';
  const at = code.lastIndexOf(marker);
  if (at < 0) return code;
  const map = JSON.parse(Buffer.from(code.slice(at + marker.length).trim(), 'base64').toString('utf8')) as {
    sources: string[];
  };
  map.sources = map.sources.map((s) => pathToFileURL(resolve(base, s)).href);
  return `${code.slice(0, at)}${marker}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/**
 * The URL of a module equivalent to the TypeScript file at `path` (compiled now or earlier), or
 * undefined when it must be imported through the loader hooks.
 */
export async function compiledPipelineModule(path: string): Promise<string | undefined> {
  const dir = cacheDir();
  if (!dir) return undefined;
  const key = `run-${sha(JSON.stringify([FORMAT, path, process.versions.node]))}`;
  try {
    statSync(path);
  } catch {
    return undefined; // the caller's import names the missing file
  }
  const module = cached(dir, key) ?? (await compile(path, dir, key));
  return module === undefined ? undefined : pathToFileURL(module).href;
}
