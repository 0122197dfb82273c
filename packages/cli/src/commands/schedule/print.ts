import type { ScheduleRow } from '@strata/core';
import { formatTime, printJson, printTable } from '../../output/format.js';

export function printSchedules(rows: readonly ScheduleRow[], json: boolean): void {
  if (json) {
    printJson(rows.map((r) => ({ ...r, nextRuns: r.nextRuns.map((d) => d.toISOString()) })));
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('no schedules (create one with `strata schedule create FILE --cron "..."`)\n');
    return;
  }
  printTable(
    ['NAME', 'PIPELINE', 'CRON', 'STATE', 'NEXT RUN'],
    rows.map((r) => [
      r.id,
      r.pipeline,
      r.cron.join(' | '),
      r.paused ? 'paused' : 'active',
      r.paused ? '-' : formatTime(r.nextRuns[0]?.getTime()),
    ]),
  );
}
