import { api } from '../api/api.js';
import type { StepRun } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { Loaded } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { formatDuration, formatTime } from '../format.js';

/**
 * Every attempt of a step, oldest first: its status, start, duration and error, and the wait before
 * the retry. Loaded again when the step's status or attempt number changes (a retry is live).
 */
export function StepAttempts({ row }: { row: StepRun }) {
  const attempts = useResource(() => api.attempts(row.id), [row.id, row.status, row.attempt]);
  return (
    <Loaded resource={attempts} what="attempts">
      {(items) => (
        <table className="table" data-testid="attempts">
          <caption className="sr-only">Attempts</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.attempt} data-attempt={a.attempt}>
                <td>{a.attempt}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td>{formatTime(a.startedAt)}</td>
                <td>{a.startedAt === null ? '—' : formatDuration(a.startedAt, a.endedAt)}</td>
                <td className={a.error ? 'error-text small' : 'muted'}>
                  {a.error ?? '—'}
                  {a.retryDelayMs !== null ? (
                    <div className="muted small">retried after {a.retryDelayMs} ms</div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Loaded>
  );
}
