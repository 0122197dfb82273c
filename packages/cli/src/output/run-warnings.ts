import type { StrataDatabase } from '@strata/core/plugin';
import { dim } from './format.js';

/** How many warnings the end of a run shows; the rest are counted and left to `strata runs logs`. */
const SHOWN = 5;
/** At most this many warnings are read at a run's end (the rest stay in the logs). */
const SCANNED = 10_000;

/**
 * The warnings the run's steps logged (an undeclared read, a step's own console.warn),
 * printed after the step lines so they are seen without `strata runs logs`: a warning only stored
 * is a warning nobody reads. On stderr, so stdout stays the run's report.
 */
export async function printRunWarnings(
  db: StrataDatabase,
  runId: string,
  nodeOf: (stepRunId: string) => string,
) {
  // Errors are not repeated: a failed step's error is on its own line and the run's. Only warn lines
  // are read (the store filters them), not every line the run logged.
  const lines = await db.readLogs({ runId, level: 'warn', limit: SCANNED });
  if (lines.length === 0) return;
  for (const l of lines.slice(0, SHOWN)) {
    const message = l.message.length > 400 ? `${l.message.slice(0, 400)}…` : l.message;
    process.stderr.write(`  ${l.level.padEnd(5)} ${nodeOf(l.stepRunId)}: ${message}\n`);
  }
  if (lines.length > SHOWN)
    process.stderr.write(dim(`  … ${lines.length - SHOWN} more: strata runs logs ${runId}\n`));
}
