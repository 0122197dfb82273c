/**
 * `STRATA_TIMING=1 strata run FILE`: where the command's time went, one line on stderr when the process
 * exits, e.g. `strata timing (ms since process start, wall/cpu): cli 62/80 · project 140/151 · … · exit
 * 236/240`. CPU (user + system, all threads) is what the per-step benchmarks count; wall adds waits
 * such as fsync. For profiling start-up (docs/benchmarks.md, issue 22's start-up profile); off by
 * default, and then each mark costs one comparison.
 */
const enabled = process.env.STRATA_TIMING === '1';
const marks: [name: string, wallMs: number, cpuMs: number][] = [];

/** Not performance.now(): its first read loads perf_hooks, which a run without timing never does. */
function wallMs(): number {
  return process.uptime() * 1000;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Records `name` at the wall time and CPU time since the process started. */
export function mark(name: string): void {
  if (!enabled) return;
  if (marks.length === 0) {
    process.once('exit', () => {
      marks.push(['exit', wallMs(), cpuMs()]);
      const line = marks.map(([n, wall, cpu]) => `${n} ${wall.toFixed(0)}/${cpu.toFixed(0)}`).join(' · ');
      process.stderr.write(`strata timing (ms since process start, wall/cpu): ${line}\n`);
    });
  }
  marks.push([name, wallMs(), cpuMs()]);
}
