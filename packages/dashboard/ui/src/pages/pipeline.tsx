import { api } from '../api/api.js';
import { useResource } from '../api/use-resource.js';
import { Empty, Loaded } from '../components/states.js';
import { formatAgo, formatTime, shortId } from '../format.js';
import { Link, useTitle } from '../router.js';

/** One pipeline: its snapshots (each compiled version its runs used), newest first. */
export function PipelinePage({ name }: { name: string }) {
  useTitle(`Pipeline ${name}`);
  const snapshots = useResource(() => api.pipelineSnapshots(name), [name]);
  const q = encodeURIComponent(name);
  return (
    <section className="page">
      <h1>Pipeline {name}</h1>
      <p>
        <Link to={`/runs?pipeline=${q}`}>Its runs →</Link> ·{' '}
        <Link to={`/compare?pipeline=${q}`}>metrics across runs →</Link>
      </p>
      <h2>Snapshots</h2>
      <p className="muted small">
        A snapshot is one compiled version of the pipeline: its DAG, step code and parameters. A change to the
        code or the defaults makes a new one.
      </p>
      <Loaded resource={snapshots} what="snapshots">
        {(items) =>
          items.length === 0 ? (
            <Empty title={`No runs of ${name}`}>
              Run it with <code>strata run</code>; each compiled version appears here.
            </Empty>
          ) : (
            <table className="table" data-testid="snapshots">
              <caption className="sr-only">Snapshots of {name}</caption>
              <thead>
                <tr>
                  <th scope="col">Snapshot</th>
                  <th scope="col">Runs</th>
                  <th scope="col">First run</th>
                  <th scope="col">Last run</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.snapshotId}>
                    <td className="mono">
                      <Link to={`/snapshots/${encodeURIComponent(s.snapshotId)}`}>
                        {shortId(s.snapshotId)}
                      </Link>
                    </td>
                    <td>{s.runCount}</td>
                    <td title={formatTime(s.firstRunAt)}>{formatAgo(s.firstRunAt)}</td>
                    <td title={formatTime(s.lastRunAt)}>{formatAgo(s.lastRunAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}
