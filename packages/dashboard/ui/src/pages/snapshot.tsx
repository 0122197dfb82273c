import type { Snapshot } from '@strata/server/client';
import { useMemo } from 'react';
import { api } from '../api/api.js';
import type { RunPage } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { JsonView } from '../components/json-view.js';
import { RunsTable } from '../components/runs-table.js';
import { Empty, Loaded } from '../components/states.js';
import { formatTime } from '../format.js';
import { Link, setQuery, useLocation, useTitle } from '../router.js';
import { describeCondition } from '../run/condition-text.js';
import { DagView } from '../run/dag-view.js';
import { StepList } from '../run/step-list.js';

/** A snapshot: the compiled pipeline's DAG, each node's parameters and settings, and its runs. */
export function SnapshotPage({ snapshotId }: { snapshotId: string }) {
  useTitle(`Snapshot ${snapshotId.slice(0, 12)}`);
  const { query } = useLocation();
  const selected = query.get('step') ?? undefined;
  const data = useResource<{ snapshot: Snapshot; runs: RunPage }>(async () => {
    const [snapshot, runs] = await Promise.all([
      api.snapshot(snapshotId),
      api.runs({ snapshot: snapshotId, limit: 50 }),
    ]);
    return { snapshot, runs };
  }, [snapshotId]);
  const noStates = useMemo(() => new Map(), []);
  const select = (nodeId: string | null) => setQuery({ step: nodeId }, { push: true });
  return (
    <section className="page">
      <Loaded resource={data} what="snapshot">
        {({ snapshot, runs }) => {
          const node = snapshot.dag.nodes.find((n) => n.id === selected);
          const body = snapshot.body as { params?: unknown; nodes?: { id: string }[] };
          const bodyNode = body.nodes?.find((n) => n.id === selected);
          return (
            <>
              <h1>
                Snapshot of{' '}
                <Link to={`/pipelines/${encodeURIComponent(snapshot.pipelineName)}`}>
                  {snapshot.pipelineName}
                </Link>
              </h1>
              <dl className="facts">
                <dt>Snapshot id</dt>
                <dd className="mono">{snapshot.id}</dd>
                <dt>Compiled</dt>
                <dd>{formatTime(snapshot.createdAt)}</dd>
                <dt>Steps</dt>
                <dd>{snapshot.dag.nodes.length}</dd>
              </dl>
              <div className={selected ? 'run-body with-panel' : 'run-body'}>
                <div className="run-graph">
                  <DagView
                    dag={snapshot.dag}
                    states={noStates}
                    selected={selected}
                    onSelect={select}
                    showStatus={false}
                  />
                  <StepList
                    dag={snapshot.dag}
                    states={noStates}
                    selected={selected}
                    onSelect={select}
                    showStatus={false}
                  />
                </div>
                {selected ? (
                  <aside className="step-panel" aria-label={`Step ${selected}`}>
                    <div className="panel-head">
                      <h2>{selected}</h2>
                      <button type="button" onClick={() => select(null)} aria-label="Close step panel">
                        ✕
                      </button>
                    </div>
                    {node ? (
                      <>
                        <h3>Parameters</h3>
                        <div data-testid="snapshot-params">
                          <JsonView value={node.params} />
                        </div>
                        {node.condition ? (
                          <p>
                            Runs only if <code>{describeCondition(node.condition)}</code>.
                          </p>
                        ) : null}
                        <h3>Compiled node</h3>
                        <JsonView value={bodyNode ?? node} />
                      </>
                    ) : (
                      <p>This snapshot has no step with that id.</p>
                    )}
                  </aside>
                ) : null}
              </div>
              <details>
                <summary>Pipeline parameters and the whole snapshot</summary>
                <JsonView value={snapshot.body} />
              </details>
              <h2>Runs of this snapshot</h2>
              {runs.items.length === 0 ? (
                <Empty title="No runs used this snapshot" />
              ) : (
                <RunsTable runs={runs.items} caption="Runs of this snapshot" />
              )}
              {runs.nextCursor ? (
                <p>
                  <Link to={`/runs?pipeline=${encodeURIComponent(snapshot.pipelineName)}`}>
                    More runs of {snapshot.pipelineName} →
                  </Link>
                </p>
              ) : null}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
