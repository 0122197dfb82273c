import { availableParallelism } from 'node:os';

/**
 * How many threads batch work (prediction, histogram building) may use: the machine's cores (at
 * least 1), capped by STRATA_ML_THREADS. A value that is not a whole number from 1 up is refused,
 * not ignored, so a typo does not silently train on every core.
 */
export function threadCount(env: NodeJS.ProcessEnv = process.env): number {
  const cores = Math.max(1, availableParallelism());
  const raw = env.STRATA_ML_THREADS;
  if (raw === undefined || raw === '') return cores;
  const cap = Number(raw);
  if (!Number.isInteger(cap) || cap < 1) {
    throw new Error(
      `STRATA_ML_THREADS is ${JSON.stringify(raw)}: it must be a whole number of threads, at least 1; ` +
        `fix: unset it to use the machine's ${cores} cores, or set 1 for one thread`,
    );
  }
  return Math.min(cap, cores);
}
