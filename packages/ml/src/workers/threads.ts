import { availableParallelism } from 'node:os';

/**
 * How many threads batch work (prediction, histogram building) may use: the machine's cores (at
 * least 1), capped by STRATA_ML_THREADS.
 */
export function threadCount(): number {
  const cap = Number(process.env.STRATA_ML_THREADS ?? '');
  const cores = Math.max(1, availableParallelism());
  return Number.isInteger(cap) && cap > 0 ? Math.min(cap, cores) : cores;
}
