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
const options = parseArgs({
  allowPositionals: true,
  options: { check: { type: 'boolean', default: false }, root: { type: 'string' } },
});
const root = options.values.root ?? workspace;

/** Bump when the bundling options change, so every package is bundled again. */
const FORMAT = 2;
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

async function bundle(pkg) {
  const entries = entriesOf(pkg);
  const dist = join(root, pkg, 'dist');
  // Written beside the final files and renamed into place: a process starting meanwhile (parallel
  // e2e workers bundle at once) reads the old files or the new ones, never half of one.
  const temp = join(dist, `.bundle-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: temp,
      entryNames: '[dir]/[name].bundle',
      chunkNames: 'bundle-[hash]',
      // Class and function names as written (error names, inversify's messages, stack traces).
      keepNames: true,
      metafile: true,
      // An inlined CommonJS dependency calls require(): give each file one (ES modules have none).
      ...(INLINED[pkg]
        ? {
            banner: {
              js: "import { createRequire as __strataCreateRequire } from 'node:module';\nconst require = __strataCreateRequire(import.meta.url);",
            },
          }
        : {}),
      legalComments: 'inline',
      logLevel: 'warning',
      plugins: [
        {
          // Dependencies and the other @strata/* packages stay imports (one instance per process).
          name: 'packages-stay-external',
          setup(build) {
            const inlined = INLINED[pkg] ?? [];
            build.onResolve({ filter: /^[^./]/ }, (args) =>
              inlined.some((name) => args.path === name || args.path.startsWith(`${name}/`))
                ? undefined
                : { path: args.path, external: true },
            );
          },
        },
      ],
    });
    const outputs = Object.keys(result.metafile.outputs).map((file) => relative(temp, join(root, file)));
    // Chunks first, entries last: an entry never names a chunk that is not there yet.
    const order = [...outputs].sort(
      (a, b) => Number(a.includes('.bundle.')) - Number(b.includes('.bundle.')),
    );
    for (const output of order) {
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
      Object.keys(result.metafile.inputs).map((input) => [input, sha(readFileSync(join(root, input)))]),
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
      `bundled ${pkg}: ${Object.keys(inputs).length} modules -> ${outputs.length} files (${(bytes / 1024).toFixed(0)} KiB)\n`,
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
