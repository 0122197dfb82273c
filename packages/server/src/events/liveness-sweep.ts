import { reconcileRuns, type StrataDatabase } from '@strata/core/plugin';
import type { ServerLog } from '../deps.js';
import type { ChangeFeed } from './change-feed.js';

/** How often the active runs are judged while someone listens to the events. */
export const LIVENESS_SWEEP_MS = 5_000;
/** The newest active runs judged per sweep, per status (a runaway store cannot make a sweep unbounded). */
const SWEEP_LIMIT = 500;

/**
 * A run whose owner died (kill -9, a lost machine) is recorded `crashed` by the next reader of it, and
 * nobody writes anything else: an open dashboard page, which waits for events instead of reading again,
 * showed it `running` for good. While the event stream has listeners, the server is that reader: every
 * few seconds it judges the active runs (reconcileRuns, as GET /runs does), and a crash it records
 * reaches every listener through the change feed like any other status change.
 */
export function startLivenessSweep(
  database: StrataDatabase,
  feed: Pick<ChangeFeed, 'subscribers'>,
  log: ServerLog,
  intervalMs = LIVENESS_SWEEP_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const sweep = async () => {
    const active = [
      ...(await database.listRuns({ status: 'running', limit: SWEEP_LIMIT })),
      ...(await database.listRuns({ status: 'pending', limit: SWEEP_LIMIT })),
    ];
    if (active.length > 0) await reconcileRuns(database, active);
  };
  const timer = setInterval(() => {
    // Nobody listening: readers reconcile on their own reads. One sweep at a time.
    if (feed.subscribers === 0 || running) return;
    running = sweep()
      .catch((error) => log.error('liveness sweep failed', { error: String(error) }))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
