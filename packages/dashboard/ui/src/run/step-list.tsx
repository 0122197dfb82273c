import type { Dag } from '../api/types.js';
import { StatusBadge } from '../components/status.js';
import { formatDuration } from '../format.js';
import type { NodeState } from './node-state.js';

/** The DAG's nodes as a list of buttons: the keyboard and screen-reader way to pick a step. */
export function StepList({
  dag,
  states,
  selected,
  onSelect,
  showStatus = true,
}: {
  dag: Dag;
  states: ReadonlyMap<string, NodeState>;
  selected: string | undefined;
  onSelect: (nodeId: string) => void;
  /** False on a snapshot: nothing ran, so the status and timing columns are left out. */
  showStatus?: boolean;
}) {
  return (
    <table className="table step-list">
      <caption>Steps</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          {showStatus ? <th scope="col">Status</th> : null}
          <th scope="col">{showStatus ? 'Instances' : 'Map'}</th>
          {showStatus ? <th scope="col">Duration</th> : null}
        </tr>
      </thead>
      <tbody>
        {dag.nodes.map((n) => {
          const st = states.get(n.id);
          return (
            <tr
              key={n.id}
              aria-selected={n.id === selected}
              className={n.id === selected ? 'selected' : undefined}
            >
              <td>
                <button type="button" className="linklike" onClick={() => onSelect(n.id)}>
                  {n.id}
                </button>
              </td>
              {showStatus ? (
                <td>
                  <StatusBadge status={st?.status ?? 'pending'} />
                </td>
              ) : null}
              <td>{n.mapped ? (showStatus ? (st?.instances.length ?? 0) : 'yes') : ''}</td>
              {showStatus ? (
                <td>{st?.row ? formatDuration(st.row.startedAt, st.row.endedAt) : '—'}</td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
