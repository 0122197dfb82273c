import { api } from '../api/api.js';
import { useResource } from '../api/use-resource.js';
import { RunsTable } from '../components/runs-table.js';
import { Empty, Loaded } from '../components/states.js';
import { Link, useTitle } from '../router.js';
import { TriggersCard } from './triggers-card.js';

export function OverviewPage() {
  useTitle('Overview');
  const recent = useResource(() => api.runs({ limit: 10 }), []);
  const failed = useResource(() => api.runs({ limit: 5, status: 'failed' }), []);
  const models = useResource(() => api.models(), []);
  return (
    <section className="page">
      <h1>Overview</h1>
      <div className="grid-2">
        <section className="card span-all" aria-labelledby="recent-h">
          <h2 id="recent-h">
            Recent runs{' '}
            <Link to="/runs" className="small">
              all runs →
            </Link>
          </h2>
          <Loaded resource={recent} what="recent runs">
            {(page) =>
              page.items.length === 0 ? (
                <Empty title="No runs yet">
                  Run a pipeline with <code>strata run pipeline.ts</code>; it appears here.
                </Empty>
              ) : (
                <RunsTable runs={page.items} caption="Recent runs" />
              )
            }
          </Loaded>
        </section>
        <section className="card" aria-labelledby="failed-h">
          <h2 id="failed-h">
            Failures{' '}
            <Link to="/runs?status=failed" className="small">
              all failures →
            </Link>
          </h2>
          <Loaded resource={failed} what="failed runs">
            {(page) =>
              page.items.length === 0 ? (
                <Empty title="No failed runs" />
              ) : (
                <ul className="plain">
                  {page.items.map((r) => (
                    <li key={r.id}>
                      <Link to={`/runs/${encodeURIComponent(r.id)}`}>{r.name}</Link>{' '}
                      <span className="muted">{r.pipelineName}</span>
                      {r.error ? <div className="error-text small">{r.error}</div> : null}
                    </li>
                  ))}
                </ul>
              )
            }
          </Loaded>
        </section>
        <section className="card" aria-labelledby="models-h">
          <h2 id="models-h">
            Models{' '}
            <Link to="/models" className="small">
              registry →
            </Link>
          </h2>
          <Loaded resource={models} what="models">
            {(items) =>
              items.length === 0 ? (
                <Empty title="No registered models">
                  A pipeline's push step (or <code>strata models register</code>) registers one.
                </Empty>
              ) : (
                <ul className="plain">
                  {items.map((m) => (
                    <li key={m.name}>
                      <Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>{' '}
                      <span className="muted">latest v{m.latestVersion}</span>{' '}
                      {Object.entries(m.aliases).map(([alias, v]) => (
                        <span key={alias} className="chip">
                          {alias} → v{v}
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
              )
            }
          </Loaded>
        </section>
        <TriggersCard />
      </div>
    </section>
  );
}
