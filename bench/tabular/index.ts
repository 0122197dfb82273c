/**
 * `pnpm bench tabular [-- --rows 1000000,10000000] [--python /path/to/python]`: Strata's tabular
 * chain with gradient boosting against pandas + scikit-learn's 25-tree random forest (n_jobs=2) on
 * the same generated penguins-like CSV, one after the other in this script, with `uptime` noted.
 * The Python side needs pandas and scikit-learn (STRATA_BENCH_PYTHON, default the peers venv).
 * `--parquet`: instead, the Parquet writer and reader against pyarrow on the same file (parquet.ts).
 * `--threads`: instead, gradient boosting's training on one thread against all cores (threads.ts).
 * Beside the in-process chain, the issue's own command through the CLI (`strata run` of
 * examples/penguins, the pipeline a user runs: `--no-cli` leaves it out), against sklearn's process.
 * `--projection [--rounds 5]`: reading 5 of a Parquet file's 50 columns against all 50 (projection.ts).
 * `--parquet-big [--rounds 3]`: the issue's Parquet target, reading a ~1 GiB file into a table
 * against pyarrow, and writing it back (parquet-big.ts).
 * The in-process chain and `--threads` load the BUILT packages (brought up to date first with
 * `tsc -b packages/ml`), as `strata run` and a user's install do; `--source` runs them from the
 * TypeScript sources through tsx instead (whose worker threads start ~0.5 s slower each).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STANDARD_HYPER_PARAMETERS } from '../../packages/ml/src/steps/standard-training.js';
import { generatePenguins } from './generate.js';
import { compareParquet } from './parquet.js';
import { compareBigParquet } from './parquet-big.js';
import { buildStrataMl } from './strata-ml.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const sizes = option('rows', '1000000').split(',').map(Number);
const python = option(
  'python',
  process.env.STRATA_BENCH_PYTHON ??
    ['/opt/strata-tabular-venv/bin/python', '/opt/strata-bench/venv/bin/python'].find(existsSync) ??
    'python3',
);
const dir = option('dir', '/tmp/strata-bench-tabular');
// The standard pipeline's own defaults (what `strata run` of examples/penguins trains with), not
// hyper-parameters tuned for the bench.
const hyper = option('hyper', JSON.stringify(STANDARD_HYPER_PARAMETERS));
const hook = join(root, 'packages/project/hooks/source-conditions.mjs');

const source = args.includes('--source');
/** How the chain's own process starts: tsx for the bench file; the source hook only for --source. */
const chainNode = (script: string, ...rest: string[]) => ({
  argv: ['--import', 'tsx', ...(source ? ['--import', hook] : []), join(here, script), ...rest],
  env: { ...process.env, STRATA_BENCH_FROM: source ? 'source' : 'built' },
});
const needsChain =
  !args.includes('--parquet') && !args.includes('--parquet-big') && !args.includes('--projection');
const buildError = source || !needsChain ? undefined : buildStrataMl();
if (buildError) {
  console.error(buildError);
  process.exit(2);
}

if (args.includes('--projection')) {
  console.log(`load: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'projection.ts'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

if (args.includes('--parquet-big')) {
  compareBigParquet(here, root, python, dir, args);
  process.exit(0);
}

for (const rows of sizes) {
  const file = join(dir, `penguins-${rows}.csv`);
  await generatePenguins(file, rows);
  if (args.includes('--threads')) {
    console.log(
      `\n${rows} rows: training on 1 thread vs all cores; load: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`,
    );
    const run = chainNode('threads.ts', file, hyper, option('rounds', '2'));
    spawnSync(process.execPath, run.argv, { cwd: root, stdio: 'inherit', env: run.env });
    continue;
  }
  if (args.includes('--parquet')) {
    compareParquet(here, root, hook, python, file);
    continue;
  }
  console.log(`\n${rows} rows (${file}); load: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  console.log(`in-process chain from the ${source ? 'TypeScript sources (--source)' : 'built packages'}`);
  let started = performance.now();
  const chain = chainNode('strata-pipeline.ts', file, hyper);
  const strata = spawnSync(process.execPath, chain.argv, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: chain.env,
  });
  const strataProcess = (performance.now() - started) / 1000;
  const strataLine = strata.stdout.trim().split('\n').at(-1) ?? '';
  console.log(`strata  ${strataLine}`);
  console.log(`strata  process wall time (start-up included) ${strataProcess.toFixed(1)} s`);
  const cli = args.includes('--no-cli') ? undefined : strataRun(file, rows);
  if (cli) console.log(`strata run (the CLI, examples/penguins) ${cli.line}`);
  if (existsSync(python) && !args.includes('--no-python')) {
    started = performance.now();
    const sklearn = spawnSync(python, [join(here, 'sklearn_pipeline.py'), file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const sklearnProcess = (performance.now() - started) / 1000;
    const sklearnLine = sklearn.stdout.trim().split('\n').at(-1) ?? '';
    console.log(`sklearn ${sklearnLine}`);
    console.log(`sklearn process wall time (start-up included) ${sklearnProcess.toFixed(1)} s`);
    console.log(verdict(strataLine, sklearnLine));
    if (cli?.seconds !== undefined) {
      console.log(
        `verdict (the real pipeline): strata run ${cli.seconds.toFixed(1)} s wall against sklearn's process ${sklearnProcess.toFixed(1)} s: ratio ${(cli.seconds / sklearnProcess).toFixed(2)}, peak RSS ${cli.peakMb} MB`,
      );
    }
  } else console.log(`sklearn skipped: no ${python} (pip install pandas scikit-learn pyarrow into a venv)`);
  console.log(`load after: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
}

/**
 * The issue's own command, as a user runs it: `strata run pipeline.ts` in examples/penguins (the
 * standard pipeline: ingest ... train, evaluate, gate, push) on the file, --no-cache, with a
 * throw-away `.strata` (refused when the example already has one, so no user state is touched).
 * Wall time of the whole process, start-up included, and its peak RSS (GNU time).
 */
function strataRun(file: string, rows: number): { line: string; seconds?: number; peakMb?: number } {
  const example = join(root, 'examples', 'penguins');
  const state = join(example, '.strata');
  if (existsSync(state)) return { line: `skipped: ${state} exists (move it away to run this)` };
  const command = [
    join(root, 'packages', 'cli', 'bin', 'strata.js'),
    'run',
    'pipeline.ts',
    '--param',
    `dataPath=${file}`,
    '--param',
    `limit=${rows}`,
    '--no-cache',
  ];
  const timed = existsSync('/usr/bin/time');
  const started = performance.now();
  const run = timed
    ? spawnSync('/usr/bin/time', ['-f', 'peak-kb %M', process.execPath, ...command], {
        cwd: example,
        encoding: 'utf8',
      })
    : spawnSync(process.execPath, command, { cwd: example, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  rmSync(state, { recursive: true, force: true });
  if (run.status !== 0)
    return { line: `failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-5).join(' | ')}` };
  const peakKb = Number(/peak-kb (\d+)/.exec(run.stderr)?.[1] ?? Number.NaN);
  const peakMb = Math.round(peakKb / 1024);
  return {
    line: `wall ${seconds.toFixed(1)} s (start-up included), peak RSS ${timed ? `${peakMb} MB` : 'not measured'}`,
    seconds,
    peakMb,
  };
}

/** The issue's target in one line: wall time <= sklearn's, accuracy >= sklearn's, peak RSS < 1 GB. */
function verdict(strataLine: string, sklearnLine: string): string {
  try {
    const a = JSON.parse(strataLine) as { seconds: number; accuracy: number; peakRssMb: number };
    const b = JSON.parse(sklearnLine) as { seconds: number; accuracy: number; peakRssMb: number };
    const time = a.seconds / b.seconds;
    const ok = time <= 1 && a.accuracy >= b.accuracy && a.peakRssMb < 1024;
    return `verdict ${ok ? 'MET' : 'NOT MET'}: time ratio strata/sklearn ${time.toFixed(2)}, accuracy ${a.accuracy.toFixed(4)} vs ${b.accuracy.toFixed(4)}, peak RSS ${a.peakRssMb} MB vs ${b.peakRssMb} MB`;
  } catch {
    return 'verdict: one side did not print its result line';
  }
}
