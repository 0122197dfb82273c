import type { FiringWithRun, TriggerCondition, TriggerRecord } from '@strata/core/plugin';
import { formatTime, printJson, printTable, statusColour } from '../../output/format.js';

export function describeCondition(c: TriggerCondition): string {
  switch (c.kind) {
    case 'schedule':
      return `${c.cron ? `cron ${c.cron}` : `every ${c.every}`} ${c.timezone}${c.jitterMs ? ` jitter ${c.jitterMs}ms` : ''} catch-up ${c.catchUp}`;
    case 'new_data':
      return `new data in ${c.source} -> param ${c.param}`;
    case 'model_health':
      return `${c.model} ${c.metric} ${c.metric === 'drift' || c.metric === 'mae' ? '>' : '<'} ${c.threshold} over ${c.windowMs / 1000}s`;
    case 'run_completion':
      return `after ${c.pipeline} ${c.statuses.join('|')}${c.param ? ` -> param ${c.param}` : ''}`;
    case 'code_change':
      return `commit on ${c.branch}${c.paths.length ? ` touching ${c.paths.join(', ')}` : ''}`;
  }
}

export function printTriggers(
  rows: readonly (TriggerRecord & { nextFiring?: number | null })[],
  json: boolean,
  group: 'schedule' | 'trigger',
): void {
  if (json) {
    printJson(rows);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(
      group === 'schedule'
        ? 'no schedules (create one with `strata schedule create FILE --cron "0 3 * * *"`)\n'
        : 'no triggers (create one with `strata trigger create FILE --on new-data --source data/`)\n',
    );
    return;
  }
  printTable(
    ['NAME', 'PIPELINE', 'WHEN', 'OVERLAP', 'FIRED BY', 'STATE', ...(group === 'schedule' ? ['NEXT'] : [])],
    rows.map((r) => [
      r.name,
      r.target.pipeline,
      describeCondition(r.condition),
      r.overlap,
      r.firedBy,
      r.paused ? 'paused' : 'active',
      ...(group === 'schedule' ? [formatTime(r.nextFiring ?? null)] : []),
    ]),
  );
}

export function printFirings(rows: readonly FiringWithRun[], json: boolean): void {
  if (json) {
    printJson(rows);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('no firings yet\n');
    return;
  }
  printTable(
    ['FIRED AT', 'STATUS', 'RUN', 'RUN STATUS', 'BY', 'REASON'],
    rows.map((f) => [
      formatTime(f.createdAt),
      f.status,
      f.runId ?? '-',
      f.runStatus ? statusColour(f.runStatus) : '-',
      f.firedBy,
      f.error ? `${f.reason} (${f.error})` : f.reason,
    ]),
  );
}
