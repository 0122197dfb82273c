#!/usr/bin/env node
/**
 * Bundles the vendored dependencies in place after `tsc -b` (run by `pnpm build`).
 *
 * Why: Node 20's ESM loader pays per module file (resolve, stat, read, compile, link) and has no
 * on-disk compile cache for ES modules. kysely (~260 files) and inversify (~245 files) were 60 % of
 * the modules `strata run` loaded and about a third of its start-up CPU. Each is imported through one
 * re-export file (packages/metadata/src/vendor/kysely.ts, packages/core/src/vendor/inversify.ts);
 * this script replaces that file's compiled output with one esbuild bundle of the dependency, so the
 * rest of dist/ is untouched and the source, the types and the tests stay as they are.
 *
 * Idempotent and never stale: the bundle is built from the TypeScript re-export itself (src/vendor/*.ts)
 * and its first line records the dependency's installed version and a hash of that source; a file
 * whose first line differs (tsc re-emitted the plain re-export, the dependency was upgraded, the
 * re-export changed) is bundled again. Without this step the plain re-export still works, only slower.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// esbuild is @strata/project's dependency (its TypeScript hooks use it): resolve it from there.
const esbuild = createRequire(join(root, 'packages/project/package.json'))('esbuild');

const vendored = [
  // reflect-metadata installs a global polyfill: one copy, imported by the host, stays outside.
  { pkg: 'packages/core', dependency: 'inversify', name: 'inversify', external: ['reflect-metadata'] },
  { pkg: 'packages/metadata', dependency: 'kysely', name: 'kysely', external: [] },
];

for (const { pkg, dependency, name, external } of vendored) {
  const sourcePath = join(root, pkg, 'src/vendor', `${name}.ts`);
  const outPath = join(root, pkg, 'dist/vendor', `${name}.js`);
  const source = readFileSync(sourcePath, 'utf8');
  // The package as installed beside the re-export (pnpm: a link into the store, named by version).
  const manifest = JSON.parse(
    readFileSync(join(root, pkg, 'node_modules', dependency, 'package.json'), 'utf8'),
  );
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const mark = `// strata: ${dependency}@${manifest.version} bundled by scripts/bundle-vendor.mjs from source ${hash}`;
  if (!existsSync(outPath)) continue; // not built yet: `tsc -b` first
  if (readFileSync(outPath, 'utf8').startsWith(`${mark}\n`)) continue;
  const result = await esbuild.build({
    stdin: {
      contents: source,
      loader: 'ts',
      resolveDir: dirname(sourcePath),
      sourcefile: relative(root, sourcePath),
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    write: false,
    legalComments: 'inline',
    logLevel: 'warning',
  });
  const [output] = result.outputFiles;
  // Renamed into place: a process starting meanwhile reads the old file or the new one, never half
  // (one temporary name per process: e2e specs in parallel workers may all bundle at once).
  writeFileSync(`${outPath}.${process.pid}.tmp`, `${mark}\n${output.text}`);
  renameSync(`${outPath}.${process.pid}.tmp`, outPath);
  process.stdout.write(
    `bundled ${relative(root, outPath)} (${dependency}@${manifest.version}, ${(output.contents.length / 1024).toFixed(0)} KiB)\n`,
  );
}
