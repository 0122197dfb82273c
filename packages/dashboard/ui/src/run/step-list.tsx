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
}: {
  dag: Dag;
  states: ReadonlyMap<string, NodeState>;
  selected: string | undefined;
  onSelect: (nodeId: string) => void;
}) {
  return (
    <table className="table step-list">
      <caption>Steps</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Status</th>
          <th scope="col">Instances</th>
          <th scope="col">Duration</th>
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
              <td>
                <StatusBadge status={st?.status ?? 'pending'} />
              </td>
              <td>{n.mapped ? (st?.instances.length ?? 0) : ''}</td>
              <td>{st?.row ? formatDuration(st.row.startedAt, st.row.endedAt) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
