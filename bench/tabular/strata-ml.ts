/**
 * Where the tabular bench loads Strata's ML package from. By default the BUILT package
 * (packages/ml/dist, what `pnpm build` makes and what a user installs and `strata run` uses), so
 * its worker threads start from JavaScript (~0.12 s each) rather than through tsx's loader
 * (~0.65 s each, a cost no user pays). `STRATA_BENCH_FROM=source` (the bench's `--source`) loads
 * the TypeScript sources instead, as the bench did before. `buildStrataMl` brings the build up to date.
 */
import { spawnSync } from 'node:child_process';
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
 * Brings the built ML package (and the packages it references) up to date with `tsc -b`, which
 * rebuilds only what changed (about a second when nothing did): timing a stale build would time
 * old code. Returns an error text when the build fails.
 */
export function buildStrataMl(): string | undefined {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-b', join(root, 'packages', 'ml')], { encoding: 'utf8' });
  return run.status === 0 ? undefined : `tsc -b packages/ml failed:\n${run.stdout}${run.stderr}`;
}
