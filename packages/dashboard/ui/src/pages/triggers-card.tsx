import type { Trigger } from '@strata/server/client';
import { api } from '../api/api.js';
import { useResource } from '../api/use-resource.js';
import { Empty, Loaded } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { formatAgo, formatTime } from '../format.js';
import { Link } from '../router.js';

/** What a schedule or trigger waits for, in a few words (like `strata schedule list`'s WHEN column). */
export function describeCondition(t: Trigger): string {
  const c = t.condition as Record<string, unknown>;
  switch (t.kind) {
    case 'schedule':
      return `${c.cron ? `cron ${String(c.cron)}` : `every ${String(c.every)}`} (${String(c.timezone ?? 'UTC')})`;
    case 'new_data':
      return `new data in ${String(c.source)}`;
    case 'model_health':
      return `${String(c.model)} ${String(c.metric)} past ${String(c.threshold)}`;
    case 'run_completion':
      return `after ${String(c.pipeline)} ${Array.isArray(c.statuses) ? c.statuses.join('|') : ''}`;
    case 'code_change':
      return `commit on ${String(c.branch)}`;
  }
}

function LastFiring({ trigger }: { trigger: Trigger }) {
  const f = trigger.lastFiring;
  if (!f) return <span className="muted">never</span>;
  return (
    <span title={`${formatTime(f.createdAt)}: ${f.reason}${f.error ? ` (${f.error})` : ''}`}>
      {formatAgo(f.createdAt)} · {f.status}
      {f.runId ? (
        <>
          {' → '}
          <Link to={`/runs/${encodeURIComponent(f.runId)}`} className="mono">
            {f.runId.slice(0, 12)}
          </Link>{' '}
          {f.runStatus ? <StatusBadge status={f.runStatus} /> : <span className="muted">(not started)</span>}
        </>
      ) : null}
    </span>
  );
}

function TriggerTable({
  rows,
  caption,
  schedules,
}: {
  rows: Trigger[];
  caption: string;
  schedules: boolean;
}) {
  return (
    <table className="table" data-testid={schedules ? 'schedules' : 'triggers'}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Pipeline</th>
          <th scope="col">When</th>
          {schedules ? <th scope="col">Next firing</th> : null}
          <th scope="col">Last firing</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.name} data-trigger={t.name}>
            <td>
              {t.name} {t.paused ? <span className="chip">paused</span> : null}
            </td>
            <td>
              <Link to={`/runs?pipeline=${encodeURIComponent(t.pipeline)}`}>{t.pipeline}</Link>
            </td>
            <td>{describeCondition(t)}</td>
            {schedules ? (
              <td data-testid="next-firing" title={formatTime(t.nextFiring)}>
                {t.nextFiring === null ? <span className="muted">—</span> : formatTime(t.nextFiring)}
              </td>
            ) : null}
            <td data-testid="last-firing">
              <LastFiring trigger={t} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The overview's schedules and triggers: when each fires next, and what its last firing did. */
export function TriggersCard() {
  const data = useResource(async () => {
    const [schedules, triggers] = await Promise.all([api.schedules(), api.triggers()]);
    return { schedules, triggers };
  }, []);
  return (
    <section className="card span-all" aria-labelledby="triggers-h">
      <h2 id="triggers-h">Schedules and triggers</h2>
      <Loaded resource={data} what="schedules and triggers">
        {({ schedules, triggers }) =>
          schedules.length === 0 && triggers.length === 0 ? (
            <Empty title="No schedules or triggers">
              Run a pipeline on a calendar with{' '}
              <code>strata schedule create pipeline.ts --cron "0 3 * * *"</code>, or on new data with{' '}
              <code>strata trigger create pipeline.ts --on new-data --source data/</code>; a{' '}
              <code>strata agent</code> fires them.
            </Empty>
          ) : (
            <>
              <h3>Schedules</h3>
              {schedules.length > 0 ? (
                <TriggerTable rows={schedules} caption="Schedules" schedules />
              ) : (
                <p className="muted">No schedules.</p>
              )}
              <h3>Event triggers</h3>
              {triggers.length > 0 ? (
                <TriggerTable rows={triggers} caption="Triggers" schedules={false} />
              ) : (
                <p className="muted">No event triggers.</p>
              )}
            </>
          )
        }
      </Loaded>
    </section>
  );
}
