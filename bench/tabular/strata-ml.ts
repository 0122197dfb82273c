/**
 * Where the tabular bench loads Strata's ML package from. By default the BUILT package
 * (packages/ml/dist, what `pnpm build` makes and what a user installs and `strata run` uses), so
 * its worker threads start from JavaScript (~0.12 s each) rather than through tsx's loader
 * (~0.65 s each, a cost no user pays). `STRATA_BENCH_FROM=source` (the bench's `--source`) loads
 * the TypeScript sources instead, as the bench did before. `builtIsStale` refuses a stale build.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Ml = typeof import('../../packages/ml/src/index.js');
type FitBundleModule = typeof import('../../packages/ml/src/models/fit-bundle.js');

const root = fileURLToPath(new URL('../../', import.meta.url));

export function fromSource(): boolean {
  return process.env.STRATA_BENCH_FROM === 'source';
}

/** The ML package's public API and fitBundle (the train step's entry), from dist or from src. */
export async function loadStrataMl(): Promise<Ml & Pick<FitBundleModule, 'fitBundle'>> {
  const base = join(root, 'packages', 'ml', fromSource() ? 'src' : 'dist');
  const ml = (await import(pathToFileURL(join(base, 'index.js')).href)) as Ml;
  const { fitBundle } = (await import(
    pathToFileURL(join(base, 'models', 'fit-bundle.js')).href
  )) as FitBundleModule;
  return { ...ml, fitBundle };
}

/**
 * The first source file of the packages the chain runs (ml, core) that is newer than its built
 * JavaScript, or undefined when the build is current: timing a stale build would time old code.
 */
export function builtIsStale(): string | undefined {
  for (const pkg of ['ml', 'core']) {
    const src = join(root, 'packages', pkg, 'src');
    const dist = join(root, 'packages', pkg, 'dist');
    for (const file of walk(src)) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('.d.ts')) continue;
      const built = join(dist, `${file.slice(src.length, -3)}.js`);
      let builtAt = 0;
      try {
        builtAt = statSync(built).mtimeMs;
      } catch {
        return `${file} (no ${built})`;
      }
      if (statSync(file).mtimeMs > builtAt) return `${file} (newer than ${built})`;
    }
  }
  return undefined;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    // Test fixtures are not built (tsconfig excludes them).
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') yield* walk(full);
    } else yield full;
  }
}
