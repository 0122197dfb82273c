/**
 * `STRATA_TIMING=1 strata run FILE`: where the command's wall time went, one line on stderr when the
 * process exits, e.g. `strata timing (ms since process start): cli 62 · project 140 · stack 161 ·
 * pipeline 190 · run 205 · watched 231 · closed 234 · exit 236`. For profiling start-up (docs/benchmarks.md,
 * issue 22's start-up profile); off by default, and then each mark costs one comparison.
 */
const enabled = process.env.STRATA_TIMING === '1';
const marks: [string, number][] = [];

/** Records `name` at the time since the process started (performance.now()'s origin). */
export function mark(name: string): void {
  if (!enabled) return;
  if (marks.length === 0) {
    process.once('exit', () => {
      marks.push(['exit', performance.now()]);
      const line = marks.map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(' · ');
      process.stderr.write(`strata timing (ms since process start): ${line}\n`);
    });
  }
  marks.push([name, performance.now()]);
}
