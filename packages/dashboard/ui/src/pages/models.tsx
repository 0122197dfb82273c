import { api } from '../api/api.js';
import { useResource } from '../api/use-resource.js';
import { Empty, Loaded } from '../components/states.js';
import { formatTime } from '../format.js';
import { Link, useTitle } from '../router.js';

export function ModelsPage() {
  useTitle('Models');
  const models = useResource(() => api.models(), []);
  return (
    <section className="page">
      <h1>Models</h1>
      <Loaded resource={models} what="models">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No registered models">
              A pipeline's push step registers model versions; then promote one with{' '}
              <code>strata models promote</code> or here.
            </Empty>
          ) : (
            <table className="table">
              <caption className="sr-only">Registered models</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Latest version</th>
                  <th scope="col">Aliases</th>
                  <th scope="col">Registered</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.name}>
                    <td>
                      <Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
                      {m.description ? <div className="small muted">{m.description}</div> : null}
                    </td>
                    <td>v{m.latestVersion}</td>
                    <td>
                      {Object.entries(m.aliases).map(([a, v]) => (
                        <span key={a} className="chip">
                          {a} → v{v}
                        </span>
                      ))}
                    </td>
                    <td>{formatTime(m.createdAt)}</td>
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
