import { useState } from 'react';
import type { StepRun, StepStatus } from '../api/types.js';
import { StatusBadge } from '../components/status.js';
import { formatDuration } from '../format.js';
import type { NodeState } from './node-state.js';

const PAGE = 100;

/**
 * The instances of a mapped step, filtered by status and shown 100 at a time: a 1,000-wide map
 * renders one page of rows, not a thousand.
 */
export function InstanceList({
  state,
  selected,
  onSelect,
}: {
  state: NodeState;
  selected: string | undefined;
  onSelect: (row: StepRun) => void;
}) {
  const [status, setStatus] = useState<StepStatus | ''>('');
  const [page, setPage] = useState(0);
  const rows = status ? state.instances.filter((i) => i.status === status) : state.instances;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <div>
      <p className="counts">
        {Object.entries(state.counts).map(([s, n]) => (
          <span key={s} className="chip">
            {s}: {n}
          </span>
        ))}
      </p>
      <label>
        Show{' '}
        <select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as StepStatus | '');
            setPage(0);
          }}
        >
          <option value="">all instances</option>
          {Object.keys(state.counts).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <table className="table">
        <caption className="sr-only">Map instances</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id} className={r.id === selected ? 'selected' : undefined}>
              <td>
                <button type="button" className="linklike" onClick={() => onSelect(r)}>
                  [{r.mapIndex}]
                </button>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{formatDuration(r.startedAt, r.endedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <nav className="pager" aria-label="Instance pages">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            ← Previous
          </button>
          <span>
            page {page + 1} of {pages}
          </span>
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next →
          </button>
        </nav>
      ) : null}
    </div>
  );
}
