#!/usr/bin/env node
/**
 * Bundles the packages `strata run` loads into a few files each, after `tsc -b` and
 * bundle-vendor.mjs (run by `pnpm build`; the CLI's e2e specs run it through ensureBuilt()).
 *
 *   node scripts/bundle-packages.mjs           bundle every package whose bundle is missing or stale
 *   node scripts/bundle-packages.mjs --check   exit 1 naming each package whose bundle is missing or
 *                                              stale, changing nothing (bundles.spec runs it in CI)
 *   ... [--check] --root DIR PKG...            the same for other packages under DIR (for the spec)
 *
 * Why: Node 20's ESM loader pays per module file (resolve, stat, read, compile, link) and has no
 * on-disk compile cache for ES modules. After kysely and inversify were bundled, `strata run` still
 * loaded ~330 modules, ~250 of them Strata's own compiled files (core, metadata, project, the local
 * flavors, the CLI). Each package is bundled on its own, from tsc's output (decorator metadata and
 * every other transform stay tsc's), with its dependencies and the other @strata/* packages left as
 * imports: a user's pipeline imports `@strata/core` by name and must get the very module instance the
 * CLI runs with, and so must a plugin package.
 *
 * Which files: every export in the package's package.json whose `default` is `./dist/X.bundle.js` is
 * an entry, bundled from tsc's `./dist/X.js`. Code shared by entries goes to `dist/bundle-HASH.js`,
 * and a lazy `import()` stays lazy (its own chunk). Chunks sit in dist/ itself, so paths a module
 * builds from its own URL (`new URL('../hooks/…', import.meta.url)`) resolve as from dist/*.js. No
 * source maps: Strata's frames must stay inside dist/ (step code hashing skips the SDK's own frames by
 * folder; a map would name src/ files once source maps are on).
 *
 * Never stale: dist/bundle.json records a hash of every input file and of the entries; a change to
 * any of them (tsc re-emitted a file, an export was added) bundles the package again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const workspace = join(dirname(fileURLToPath(import.meta.url)), '..');
// esbuild is @strata/project's dependency (its TypeScript hooks use it): resolve it from there.
const esbuild = createRequire(join(workspace, 'packages/project/package.json'))('esbuild');
// acorn (a root devDependency): its tokenizer tells code from strings and comments (finishBundle).
const acorn = createRequire(join(workspace, 'package.json'))('acorn');
const options = parseArgs({
  allowPositionals: true,
  options: { check: { type: 'boolean', default: false }, root: { type: 'string' } },
});
const root = options.values.root ?? workspace;

/** This script's own content: a change to how packages are bundled bundles every package again. */
const FORMAT = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 24);
/** The packages on `strata run`'s path (bundled in this order; each is independent). */
const BUNDLED_PACKAGES = [
  'packages/core',
  'packages/metadata',
  'integrations/local',
  'packages/project',
  'packages/cli',
];

/**
 * Dependencies bundled into a package instead of imported: only ones no other package (and no user
 * code) shares an instance with. commander is the CLI's alone; CommonJS, it cost Node's loader seven
 * files and a scan of each for its exports.
 */
const INLINED = { 'packages/cli': ['commander', '@commander-js/extra-typings'] };

/**
 * commander requires node:child_process when its module loads, for subcommands that are separate
 * executables (Strata has none): ~2 ms of every start, most of what Node's own modules still cost a
 * `strata run`. In the bundled copy the module is required on first use instead. The line must be
 * found as written, or bundling fails (a commander upgrade that moved it must be looked at).
 */
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(eager)) throw new Error(`${args.path}: no "${eager}" to make lazy`);
      const lazy = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

/**
 * Dependencies that several bundled packages import, bundled once into one package's bundle and
 * required from there by the others (`require('@strata/core/cjs').zod`). zod's ~70 files were most
 * of the files Node still loaded one by one (resolve, realpath, read, compile each).
 */
const SHARED = { zod: 'packages/core' };

const MANIFEST = 'dist/bundle.json';
const sha = (text) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** Entry name (path under dist/ without `.js`) -> tsc's output file, from the package's exports. */
function entriesOf(pkg) {
  const manifest = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8'));
  const entries = {};
  for (const target of Object.values(manifest.exports ?? {})) {
    const file = typeof target === 'string' ? target : target.default;
    const match = /^\.\/dist\/(.+)\.bundle\.js$/.exec(file ?? '');
    if (match) entries[match[1]] = join(root, pkg, 'dist', `${match[1]}.js`);
  }
  return entries;
}

function readManifest(pkg) {
  try {
    return JSON.parse(readFileSync(join(root, pkg, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why the package's bundle must be (re)built, or undefined when it is current. */
function staleReason(pkg) {
  const entries = entriesOf(pkg);
  if (Object.keys(entries).length === 0) return undefined;
  const missing = Object.values(entries).find((file) => !existsSync(file));
  if (missing) return `${relative(root, missing)} is missing (run tsc -b first)`;
  const recorded = readManifest(pkg);
  if (!recorded) return `no ${MANIFEST}`;
  if (recorded.format !== FORMAT || recorded.esbuild !== esbuild.version) return 'bundled by another version';
  if (recorded.entries !== sha(JSON.stringify(entries))) return 'its exports changed';
  for (const output of recorded.outputs) {
    if (!existsSync(join(root, pkg, 'dist', output))) return `dist/${output} is missing`;
  }
  for (const [input, hash] of Object.entries(recorded.inputs)) {
    let text;
    try {
      text = readFileSync(join(root, input));
    } catch {
      return `${input} is gone`;
    }
    if (sha(text) !== hash) return `${input} changed`;
  }
  return undefined;
}

/** The package's name (`@strata/core`), from its package.json. */
const nameOf = (dir, pkg) => JSON.parse(readFileSync(join(dir, pkg, 'package.json'), 'utf8')).name;

/** Export subpath (`.`, `./plugin`) -> entry name (path under dist/ without `.js`). */
function subpathsOf(dir, pkg) {
  const manifest = JSON.parse(readFileSync(join(dir, pkg, 'package.json'), 'utf8'));
  const subpaths = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const file = typeof target === 'string' ? target : target.default;
    const match = /^\.\/dist\/(.+)\.bundle\.js$/.exec(file ?? '');
    if (match) subpaths[subpath] = match[1];
  }
  return subpaths;
}

/**
 * The names each entry file exports ({ name: file } -> { name: [export names] }), from an ES module
 * build that is not written. stdin-like entries ({ name: { contents, resolveDir } }) are allowed.
 */
async function exportNames(entryPoints) {
  const virtual = Object.fromEntries(
    Object.entries(entryPoints).filter(([, entry]) => typeof entry !== 'string'),
  );
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(
      Object.entries(entryPoints).map(([name, entry]) => [
        name,
        typeof entry === 'string' ? entry : `strata-names:${name}`,
      ]),
    ),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: join(root, '.strata-names'),
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [
      {
        name: 'names-only',
        setup(build) {
          build.onResolve({ filter: /^strata-names:/ }, (args) => ({
            path: args.path.slice('strata-names:'.length),
            namespace: 'strata-names',
          }));
          build.onLoad({ filter: /.*/, namespace: 'strata-names' }, (args) => ({
            contents: virtual[args.path].contents,
            resolveDir: virtual[args.path].resolveDir,
            loader: 'js',
          }));
          // A virtual entry's own dependency is followed (its names are wanted); others stay out.
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.namespace === 'strata-names' ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const names = {};
  for (const output of Object.values(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const name = Object.entries(entryPoints).find(([key, entry]) =>
      typeof entry === 'string'
        ? relative(root, entry) === output.entryPoint
        : output.entryPoint === `strata-names:${key}`,
    )?.[0];
    if (name !== undefined) names[name] = output.exports;
  }
  return names;
}

/**
 * Imports of another bundled Strata package (`@strata/core/plugin`) become
 * `require('@strata/core/cjs')['./plugin']`: that package's one CommonJS instance, the same one its
 * ES module entries hand out (see facadeOf), so a plugin, the user's pipeline and the CLI share it.
 */
async function strataPackagesPlugin(pkg) {
  const others = new Map(
    BUNDLED_PACKAGES.filter(
      (other) => other !== pkg && existsSync(join(workspace, other, 'package.json')),
    ).map((other) => [nameOf(workspace, other), subpathsOf(workspace, other)]),
  );
  // The names of what is imported, so the stand-in is an ES module with those names: importers
  // then use its bindings directly, not a copy of the whole namespace per importing file (esbuild's
  // __toESM, which for zod's ~400 exports was a measurable part of the start).
  const wanted = {};
  for (const other of BUNDLED_PACKAGES) {
    if (other === pkg || !existsSync(join(workspace, other, 'package.json'))) continue;
    const owner = nameOf(workspace, other);
    for (const [subpath, entry] of Object.entries(subpathsOf(workspace, other))) {
      wanted[`${owner}|${subpath}`] = join(workspace, other, 'dist', `${entry}.js`);
    }
  }
  for (const [dependency, holder] of Object.entries(SHARED)) {
    if (holder === pkg || !existsSync(join(workspace, holder, 'package.json'))) continue;
    wanted[`${nameOf(workspace, holder)}|${dependency}`] = {
      contents: `export * from ${JSON.stringify(dependency)};`,
      resolveDir: join(workspace, holder),
    };
  }
  const names = await exportNames(
    Object.fromEntries(
      Object.entries(wanted).filter(([, entry]) => typeof entry !== 'string' || existsSync(entry)),
    ),
  );
  return {
    name: 'strata-packages-as-commonjs',
    setup(build) {
      for (const [dependency, holder] of Object.entries(SHARED)) {
        if (holder === pkg || !existsSync(join(workspace, holder, 'package.json'))) continue;
        const owner = nameOf(workspace, holder);
        build.onResolve({ filter: new RegExp(`^${dependency}$`) }, (args) => ({
          path: args.path,
          namespace: 'strata-package',
          pluginData: { pkg: owner, subpath: dependency },
        }));
      }
      build.onResolve({ filter: /^@strata\// }, (args) => {
        if (/^@strata\/[^/]+\/cjs$/.test(args.path)) return { path: args.path, external: true };
        const [scope, name, ...rest] = args.path.split('/');
        const subpaths = others.get(`${scope}/${name}`);
        const subpath = rest.length === 0 ? '.' : `./${rest.join('/')}`;
        if (!subpaths || !(subpath in subpaths)) return undefined;
        return {
          path: args.path,
          namespace: 'strata-package',
          pluginData: { pkg: `${scope}/${name}`, subpath },
        };
      });
      build.onLoad({ filter: /.*/, namespace: 'strata-package' }, (args) => {
        const { pkg: owner, subpath } = args.pluginData;
        const exported = names[`${owner}|${subpath}`];
        const source = `require(${JSON.stringify(`${owner}/cjs`)})[${JSON.stringify(subpath)}]`;
        if (!exported) return { contents: `module.exports = ${source};`, loader: 'js' };
        const plain = exported.filter((n) => n !== 'default');
        const lines = [`const entry = ${source};`];
        if (plain.length > 0) lines.push(`export const { ${plain.join(', ')} } = entry;`);
        if (exported.includes('default')) lines.push('export default entry.default;');
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/**
 * An entry's ES module file (what package.json's exports name): the entry's exports, taken from the
 * package's one CommonJS bundle. Node caches that bundle by path, so every importer gets one instance.
 */
function facadeOf(pkgName, subpath, entry, names) {
  const bundlePath = relative(dirname(join('dist', entry)), 'dist/bundle.cjs');
  const spec = bundlePath.startsWith('.') ? bundlePath : `./${bundlePath}`;
  const plain = names.filter((n) => n !== 'default');
  const lines = [
    `// ${pkgName} "${subpath}", generated by scripts/bundle-packages.mjs: the code is in ${spec}.`,
    "import { createRequire } from 'node:module';",
    `const entry = createRequire(import.meta.url)(${JSON.stringify(spec)})[${JSON.stringify(subpath)}];`,
  ];
  if (plain.length > 0) lines.push(`export const { ${plain.join(', ')} } = entry;`);
  if (names.includes('default')) lines.push('export default entry.default;');
  return `${lines.join('\n')}\n`;
}

/**
 * A dynamic `import()` in the bundle's code (a dependency loaded on demand, the user's pipeline file).
 * V8 cannot keep import() working in code it restores from its code cache (Node 20 loses the import
 * callback, ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the bundle calls this file's import() instead:
 * compiled by Node itself (compile-cache.ts leaves any file with an import() to Node) and sitting
 * beside the bundle, it resolves a specifier as the bundle would have.
 */
const IMPORT_HELPER = `// import() for ./bundle.cjs, generated by scripts/bundle-packages.mjs (see IMPORT_HELPER there).
module.exports = (specifier) => import(specifier);
`;
/**
 * The bundle's first line: every import() in its code goes through IMPORT_HELPER (compile-cache.ts
 * reads it, and may then keep the file's compiled code; see there).
 */
const BUNDLE_MARK = '// strata bundle: import() calls go through ./import.cjs';

/**
 * The bundle's final text, from esbuild's output, found by acorn's tokenizer (so the same text inside a
 * string or template literal is left as it is):
 * - `import(` calls -> `__strataImport(` (core's blocked-loop watchdog runs a thread from source that
 *   calls import(): that one is text);
 * - every character past ASCII in a comment -> `\uXXXX`. esbuild escapes them in code (its default
 *   ASCII charset) but keeps comments as written, and one `…` in a comment makes the whole file a
 *   two-byte string in V8: decoding, hashing (the compile cache's key) and compiling it then cost
 *   about 30 ms more CPU per `strata run` (docs/benchmarks.md). A character past ASCII outside a
 *   comment fails the build, naming its place.
 */
function finishBundle(pkg, code) {
  /** [start, end, replacement] of the original text. */
  const edits = [];
  const tokens = [
    ...acorn.tokenizer(code, {
      ecmaVersion: 'latest',
      allowHashBang: true,
      allowReturnOutsideFunction: true,
      onComment: (_block, _text, start, end) => {
        const comment = code.slice(start, end);
        const escaped = comment.replace(/[\u0080-\uffff]/g, escapeUnit);
        if (escaped !== comment) edits.push([start, end, escaped]);
      },
    }),
  ];
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].type === acorn.tokTypes._import && tokens[i + 1].type === acorn.tokTypes.parenL) {
      edits.push([tokens[i].start, tokens[i].end, '__strataImport']);
    }
  }
  edits.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end, replacement] of edits) {
    out += code.slice(at, start) + replacement;
    at = end;
  }
  out += code.slice(at);
  const stray = /[\u0080-\uffff]/.exec(out);
  if (stray) {
    // + 1: the file starts with BUNDLE_MARK's line.
    const line = out.slice(0, stray.index).split('\n').length + 1;
    throw new Error(
      `${pkg}: bundle.cjs line ${line} has ${JSON.stringify(stray[0])} outside a comment; esbuild's ASCII charset should have escaped it`,
    );
  }
  return out;
}

/** One UTF-16 unit as the text `\uXXXX` (a comment's, so it only has to read well). */
const escapeUnit = (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

async function bundle(pkg) {
  const entries = entriesOf(pkg);
  const subpaths = subpathsOf(root, pkg);
  const pkgName = nameOf(root, pkg);
  const dist = join(root, pkg, 'dist');
  // Written beside the final files and renamed into place: a process starting meanwhile (parallel
  // e2e workers bundle at once) reads the old files or the new ones, never half of one.
  const temp = join(dist, `.bundle-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    const shared = Object.keys(SHARED).filter((dependency) => SHARED[dependency] === pkg);
    const inlined = [...(INLINED[pkg] ?? []), ...shared];
    const sharedPlugin = {
      // The shared dependencies this package holds, as ES modules (the same copy its own imports get).
      name: 'shared-dependencies',
      setup(build) {
        build.onResolve({ filter: /^strata-shared:/ }, (args) => ({
          path: args.path.slice('strata-shared:'.length),
          namespace: 'strata-shared',
        }));
        build.onLoad({ filter: /.*/, namespace: 'strata-shared' }, (args) => ({
          contents: `export * from ${JSON.stringify(args.path)};`,
          resolveDir: join(root, pkg),
          loader: 'js',
        }));
      },
    };
    const external = {
      // Dependencies stay require()s or import()s, resolved from this package's dist/ as before.
      name: 'dependencies-stay-external',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) =>
          inlined.some((name) => args.path === name || args.path.startsWith(`${name}/`)) ||
          args.namespace === 'strata-package' ||
          args.namespace === 'strata-shared'
            ? undefined
            : { path: args.path, external: true },
        );
      },
    };
    // 1. The names each entry exports.
    const namesOf = await exportNames(entries);
    // 2. One CommonJS file with every entry, each evaluated on first use (a getter): V8 can keep
    // its compiled code on disk (packages/cli/src/start/compile-cache.ts), which Node 20 cannot do
    // for ES modules.
    const index = Object.entries(subpaths)
      .map(
        ([subpath, entry], i) =>
          `let e${i};\nObject.defineProperty(module.exports, ${JSON.stringify(subpath)}, { enumerable: true, get: () => (e${i} ??= require(${JSON.stringify(`./dist/${entry}.js`)})) });`,
      )
      .concat(
        shared.map(
          (dependency, i) =>
            `let s${i};\nObject.defineProperty(module.exports, ${JSON.stringify(dependency)}, { get: () => (s${i} ??= require(${JSON.stringify(`strata-shared:${dependency}`)})) });`,
        ),
      )
      .join('\n');
    const result = await esbuild.build({
      absWorkingDir: root,
      stdin: {
        contents: index,
        resolveDir: join(root, pkg),
        sourcefile: `${pkg}/bundle-index.js`,
        loader: 'js',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      outfile: join(temp, 'bundle.cjs'),
      // Class and function names as written (error names, inversify's messages, stack traces).
      keepNames: true,
      metafile: true,
      // The bundle sits in dist/ as the ES module chunks did, so a path built from a module's own URL
      // (`new URL('../hooks/…', import.meta.url)`) resolves as before.
      banner: {
        js: [
          '"use strict";',
          "var __strataImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
          // import() of a dependency or a user's file: see IMPORT_HELPER.
          "var __strataImport = require('./import.cjs');",
          // import.meta.resolve as require.resolve: the same file for the `default`/string exports asked for here.
          "var __strataImportMetaResolve = (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href;",
        ].join('\n'),
      },
      define: {
        'import.meta.url': '__strataImportMetaUrl',
        'import.meta.resolve': '__strataImportMetaResolve',
        'import.meta.dirname': '__dirname',
        'import.meta.filename': '__filename',
      },
      legalComments: 'inline',
      logLevel: 'warning',
      plugins: [sharedPlugin, await strataPackagesPlugin(pkg), external, lazyChildProcess],
    });
    if (result.warnings.length > 0) throw new Error(`${pkg}: esbuild warned (see above); not bundled`);
    const code = readFileSync(join(temp, 'bundle.cjs'), 'utf8');
    writeFileSync(join(temp, 'bundle.cjs'), `${BUNDLE_MARK}\n${finishBundle(pkg, code)}`);
    writeFileSync(join(temp, 'import.cjs'), IMPORT_HELPER);
    const facades = Object.entries(subpaths).map(([subpath, entry]) => {
      const file = `${entry}.bundle.js`;
      mkdirSync(dirname(join(temp, file)), { recursive: true });
      writeFileSync(join(temp, file), facadeOf(pkgName, subpath, entry, namesOf[entry] ?? []));
      return file;
    });
    const outputs = ['import.cjs', 'bundle.cjs', ...facades];
    // The bundle first, facades last: a facade never names a bundle that is not there yet.
    for (const output of outputs) {
      mkdirSync(dirname(join(dist, output)), { recursive: true });
      renameSync(join(temp, output), join(dist, output));
    }
    const previous = readManifest(pkg);
    for (const old of previous?.outputs ?? []) {
      if (outputs.includes(old)) continue;
      try {
        unlinkSync(join(dist, old));
      } catch {}
    }
    const inputs = Object.fromEntries(
      Object.keys(result.metafile.inputs)
        .filter((input) => !/^[\w-]+:/.test(input) && !input.endsWith('bundle-index.js'))
        .map((input) => [input, sha(readFileSync(join(root, input)))]),
    );
    const manifest = {
      format: FORMAT,
      esbuild: esbuild.version,
      entries: sha(JSON.stringify(entries)),
      inputs,
      outputs,
    };
    writeFileSync(
      `${join(root, pkg, MANIFEST)}.${process.pid}.tmp`,
      `${JSON.stringify(manifest, null, 1)}\n`,
    );
    renameSync(`${join(root, pkg, MANIFEST)}.${process.pid}.tmp`, join(root, pkg, MANIFEST));
    const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    process.stdout.write(
      `bundled ${pkg}: ${Object.keys(inputs).length} modules -> bundle.cjs (${(bytes / 1024).toFixed(0)} KiB) + ${facades.length} entries\n`,
    );
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const packages = options.positionals.length > 0 ? options.positionals : BUNDLED_PACKAGES;
let stale = 0;
for (const pkg of packages) {
  const reason = staleReason(pkg);
  if (reason === undefined) continue;
  if (options.values.check) {
    stale++;
    process.stderr.write(`${pkg}: bundle missing or stale (${reason}): run pnpm build\n`);
  } else {
    await bundle(pkg);
  }
}
if (stale > 0) process.exitCode = 1;
