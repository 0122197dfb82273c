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
 * Idempotent: a bundled file starts with MARK and is skipped; `tsc -b` re-emitting the plain
 * re-export (after a source change) is bundled again on the next build. Without this step the plain
 * re-export still works, only slower.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// esbuild is @strata/project's dependency (its TypeScript hooks use it): resolve it from there.
const esbuild = createRequire(join(root, 'packages/project/package.json'))('esbuild');

const MARK = '// strata: bundled by scripts/bundle-vendor.mjs';

const vendored = [
  // reflect-metadata installs a global polyfill: one copy, imported by the host, stays outside.
  { file: 'packages/core/dist/vendor/inversify.js', external: ['reflect-metadata'] },
  { file: 'packages/metadata/dist/vendor/kysely.js', external: [] },
];

for (const { file, external } of vendored) {
  const path = join(root, file);
  const source = readFileSync(path, 'utf8');
  if (source.startsWith(MARK)) continue;
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: dirname(path), sourcefile: relative(root, path) },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    write: false,
    legalComments: 'inline',
    logLevel: 'warning',
  });
  writeFileSync(path, `${MARK}\n${result.outputFiles[0].text}`);
  process.stdout.write(
    `bundled ${relative(root, path)} (${(result.outputFiles[0].contents.length / 1024).toFixed(0)} KiB)\n`,
  );
}
