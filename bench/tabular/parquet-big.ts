/**
 * `pnpm bench tabular -- --parquet-big [--rounds 3] [--big-rows 15000000]`: the Parquet
 * target, both sides in this one script. A ~1 GiB Parquet file is generated once by pyarrow
 * (big_parquet.py: 8 float64 features with nulls, an int64, a boolean, two dictionary-encoded
 * strings; snappy, pyarrow's defaults) into --dir. Then, in interleaved rounds (the machine is
 * shared, so each side sees the same load), pyarrow `pq.read_table` (threads on, its default) and
 * Strata's `readDataset` (what ingest and the Parquet materializer run, the file's sha256 included)
 * read it into a table in fresh processes; the best round of each gives the read ratio
 * (pyarrow seconds / Strata seconds; the target is >= 0.5). Last, each side writes the table it
 * read (pq.write_table, snappy; Strata's writeParquet) and the write ratio is printed, and pyarrow
 * reads Strata's file back and compares it with the original (`equals`); `--no-write` skips that.
 * CPU seconds (every thread) are printed beside wall time: they do not depend on the machine's load.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function compareBigParquet(
  here: string,
  root: string,
  python: string,
  dir: string,
  args: string[],
): void {
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : fallback;
  };
  const rows = Number(option('big-rows', '15000000'));
  const rounds = Number(option('rounds', '3'));
  const file = join(dir, `big-${rows}.parquet`);
  const load = () =>
    execFileSync('uptime', { encoding: 'utf8' })
      .trim()
      .replace(/^.*load/, 'load');
  const script = join(here, 'big_parquet.py');
  const json = (command: string, commandArgs: string[], cwd?: string) => {
    const child = spawnSync(command, commandArgs, {
      ...(cwd ? { cwd } : {}),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${command} ${commandArgs.join(' ')} printed no result (exit ${child.status})`);
    }
  };
  if (!existsSync(file)) {
    console.log(`generating ${file} (${rows} rows) with pyarrow ...`);
    console.log(JSON.stringify(json(python, [script, 'generate', file, String(rows)])));
  }
  const strataArgs = ['--import', 'tsx', join(here, 'parquet-read-strata.ts'), file];
  console.log(`\nParquet read, ${file}; ${load()}`);
  const py: number[] = [];
  const pyOne: number[] = [];
  const own: number[] = [];
  const pyCpu: number[] = [];
  const ownCpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const p = json(python, [script, 'read', file]) as {
      seconds: number;
      cpuSeconds: number;
      oneThreadSeconds: number;
      oneThreadCpuSeconds: number;
    };
    const s = json(process.execPath, strataArgs, root) as {
      read: { seconds: number; cpuSeconds: number };
      peakRssMb: number;
    };
    pyCpu.push(p.oneThreadCpuSeconds);
    ownCpu.push(s.read.cpuSeconds);
    py.push(p.seconds);
    pyOne.push(p.oneThreadSeconds);
    own.push(s.read.seconds);
    console.log(
      `round ${r + 1}: pyarrow ${p.seconds} s (CPU ${p.cpuSeconds} s; one thread ${p.oneThreadSeconds} s, CPU ${p.oneThreadCpuSeconds} s), strata ${s.read.seconds} s (CPU ${s.read.cpuSeconds} s, peak RSS ${s.peakRssMb} MB); ${load()}`,
    );
  }
  const best = (xs: number[]) => Math.min(...xs);
  console.log(
    `read speed strata/pyarrow: ${(best(py) / best(own)).toFixed(3)}x (best of ${rounds}: pyarrow ${best(py)} s, strata ${best(own)} s; target >= 0.5x); against pyarrow on one thread ${(best(pyOne) / best(own)).toFixed(3)}x`,
  );
  console.log(
    `CPU seconds (all threads, best round; load-independent): pyarrow one thread ${best(pyCpu)} s, strata ${best(ownCpu)} s: strata/pyarrow speed ${(best(pyCpu) / best(ownCpu)).toFixed(3)}x`,
  );
  if (args.includes('--no-write')) return;
  const theirs = join(dir, 'big.pyarrow-written.parquet');
  const ours = join(dir, 'big.strata-written.parquet');
  const pw = json(python, [script, 'write', file, theirs]) as { seconds: number; bytes: number };
  const sw = json(process.execPath, [...strataArgs, '--write', ours], root) as {
    write: { seconds: number; bytes: number };
  };
  const check = json(python, [script, 'equal', file, ours]) as { equal: boolean };
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(
    `write: pyarrow ${pw.seconds} s, ${mib(pw.bytes)} MiB; strata ${sw.write.seconds} s, ${mib(sw.write.bytes)} MiB; time ratio strata/pyarrow ${(sw.write.seconds / pw.seconds).toFixed(2)}x, size ratio ${(sw.write.bytes / pw.bytes).toFixed(3)}; pyarrow reads Strata's file back equal: ${check.equal}`,
  );
  rmSync(theirs, { force: true });
  rmSync(ours, { force: true });
  console.log(load());
}
