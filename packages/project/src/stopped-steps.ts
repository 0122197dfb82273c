/**
 * Runs in the blocked-loop watchdog's thread (core runner/blocked-loop-watchdog.ts), while the main
 * thread of a process is stopped inside a step that spun past its timeout and is about to end: records
 * the steps it stopped `timed_out` in the metadata store, so that everyone sees it at once (a Temporal
 * retry on another worker fails the step instead of running it again). Imported by URL in that thread:
 * it imports only the metadata store.
 */
import { type LastWord, timedOutPatch } from '@strata/core/plugin';
import { openDatabase, redactUrl } from '@strata/metadata';

export interface StoppedStepsData {
  /** The metadata store, with its password (kept in memory). */
  readonly url: string;
}

export async function recordStoppedSteps(data: StoppedStepsData, words: readonly LastWord[]): Promise<void> {
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    // The process that runs the step opened (and migrated) the store already: never migrate here.
    db = await openDatabase(data.url, { migrate: false });
    const at = Date.now();
    for (const w of words) {
      const row = await db.getStepRun(w.stepRunId);
      // A row that ended meanwhile keeps its end.
      if (!row || (row.status !== 'running' && row.status !== 'pending')) continue;
      await db.updateStepRun(w.stepRunId, timedOutPatch(w, at));
    }
  } catch (error) {
    // Printed by the thread: name the store without its password.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${redactUrl(data.url)}: ${message.split(data.url).join(redactUrl(data.url))}`);
  } finally {
    await db?.close().catch(() => undefined);
  }
}
