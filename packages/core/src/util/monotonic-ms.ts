/**
 * Milliseconds on a monotonic clock, for measuring how long something took. Not `performance.now()`:
 * the first read of the global `performance` loads perf_hooks and its nine internal modules, about
 * 2 ms of CPU (and up to 8 ms of wall) in every `strata run`, which reads the clock only to time a
 * step body or a poll.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
