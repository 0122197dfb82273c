/**
 * Parquet against pyarrow on the same generated table (`pnpm bench tabular -- --parquet`): pyarrow
 * writes the CSV's table as Parquet, Strata reads the CSV and writes it with the Parquet
 * materializer's writer, then each side reads both files into a table. Prints both sides' lines
 * and the ratios (Strata over pyarrow: write time, file size, read time).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

interface Timing {
  seconds: number;
  bytes?: number;
  rows: number;
}

export function compareParquet(here: string, root: string, hook: string, python: string, csv: string): void {
  const stem = csv.replace(/\.csv$/, '');
  const own = `${stem}.strata.parquet`;
  const theirs = `${stem}.pyarrow.parquet`;
  const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  const run = (command: string, args: string[], cwd?: string) => {
    const child = spawnSync(command, args, {
      ...(cwd ? { cwd } : {}),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = child.stdout.trim().split('\n').at(-1) ?? '{}';
    return JSON.parse(line) as Record<string, Timing & Record<string, number>> & { peakRssMb: number };
  };
  console.log(`\nParquet, ${csv}; load: ${load()}`);
  const pyWrite = run(python, [join(here, 'pyarrow_parquet.py'), 'write', csv, theirs]);
  const strata = run(
    process.execPath,
    ['--import', 'tsx', '--import', hook, join(here, 'parquet-strata.ts'), csv, own, theirs],
    root,
  );
  const pyRead = run(python, [join(here, 'pyarrow_parquet.py'), 'read', own, theirs]);
  console.log(`pyarrow write ${JSON.stringify(pyWrite)}`);
  console.log(`strata        ${JSON.stringify(strata)}`);
  console.log(`pyarrow read  ${JSON.stringify(pyRead)}`);
  const w = strata.write!;
  const pw = pyWrite.write!;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const ownName = own.split('/').at(-1)!;
  const theirName = theirs.split('/').at(-1)!;
  const readOwn = strata.readOwn as unknown as { tableSeconds: number; streamSeconds: number };
  const readTheirs = strata.readPyarrow as unknown as { tableSeconds: number; streamSeconds: number };
  const pyOwn = pyRead[ownName]!;
  const pyTheirs = pyRead[theirName]!;
  console.log(
    [
      `write: strata ${w.seconds} s, ${mb(w.bytes!)} MiB; pyarrow ${pw.seconds} s, ${mb(pw.bytes!)} MiB (size ratio ${(w.bytes! / pw.bytes!).toFixed(2)}, time ratio ${(w.seconds / pw.seconds).toFixed(1)}x)`,
      `read into a table, Strata's file: strata ${readOwn.tableSeconds} s (streamed ${readOwn.streamSeconds} s); pyarrow ${pyOwn.seconds} s (one thread ${pyOwn.oneThreadSeconds} s)`,
      `read into a table, pyarrow's file: strata ${readTheirs.tableSeconds} s (streamed ${readTheirs.streamSeconds} s); pyarrow ${pyTheirs.seconds} s (one thread ${pyTheirs.oneThreadSeconds} s)`,
      `read speed strata/pyarrow on pyarrow's file: ${(pyTheirs.seconds / readTheirs.tableSeconds).toFixed(3)}x (target >= 0.5x); vs one thread ${(pyTheirs.oneThreadSeconds / readTheirs.tableSeconds).toFixed(3)}x`,
    ].join('\n'),
  );
  console.log(`load after: ${load()}`);
}
