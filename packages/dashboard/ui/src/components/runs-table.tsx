import type { Run } from '../api/types.js';
import { formatAgo, formatDuration, formatTime } from '../format.js';
import { Link } from '../router.js';
import { StatusBadge } from './status.js';

/** The runs table of the overview, the runs page and a pipeline's page. */
export function RunsTable({
  runs,
  caption,
  selectable,
}: {
  runs: readonly Run[];
  caption: string;
  /** Compare checkboxes: the selected ids and the toggle. */
  selectable?: { selected: ReadonlySet<string>; toggle: (id: string) => void } | undefined;
}) {
  return (
    <table className="table runs-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          {selectable ? (
            <th scope="col">
              <span className="sr-only">Compare</span>
            </th>
          ) : null}
          <th scope="col">Run</th>
          <th scope="col">Pipeline</th>
          <th scope="col">Status</th>
          <th scope="col">Stack</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-run-id={r.id}>
            {selectable ? (
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare ${r.name}`}
                  checked={selectable.selected.has(r.id)}
                  onChange={() => selectable.toggle(r.id)}
                />
              </td>
            ) : null}
            <td>
              <Link to={`/runs/${encodeURIComponent(r.id)}`}>{r.name}</Link>
              <div className="muted mono small">{r.id}</div>
            </td>
            <td>{r.pipelineName}</td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td>{r.stackName}</td>
            <td title={formatTime(r.startedAt ?? r.createdAt)}>{formatAgo(r.startedAt ?? r.createdAt)}</td>
            <td>{formatDuration(r.startedAt, r.endedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
