import { api } from '../api/api.js';
import { useResource } from '../api/use-resource.js';
import { Empty, Loaded } from '../components/states.js';
import { formatAgo, formatTime } from '../format.js';
import { Link, useTitle } from '../router.js';

export function PipelinesPage() {
  useTitle('Pipelines');
  const pipelines = useResource(() => api.pipelines(), []);
  return (
    <section className="page">
      <h1>Pipelines</h1>
      <Loaded resource={pipelines} what="pipelines">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No pipelines have run yet">
              Run one with <code>strata run pipeline.ts</code>.
            </Empty>
          ) : (
            <table className="table">
              <caption className="sr-only">Pipelines</caption>
              <thead>
                <tr>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Runs</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Metrics</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.name}>
                    <td>
                      <Link to={`/pipelines/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                    </td>
                    <td>
                      <Link to={`/runs?pipeline=${encodeURIComponent(p.name)}`}>{p.runCount}</Link>
                    </td>
                    <td title={formatTime(p.lastRunAt)}>{formatAgo(p.lastRunAt)}</td>
                    <td>
                      <Link to={`/compare?pipeline=${encodeURIComponent(p.name)}`}>across runs →</Link>
                    </td>
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
