import { useCallback, useMemo, useRef } from 'react';
import { api } from '../api/api.js';
import { debounce } from '../api/debounce.js';
import { LiveIndicator, useLiveEvents, usePolling } from '../api/live.js';
import type { Dag, LiveEvent, Run, StepRun, StepStatus } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { JsonView } from '../components/json-view.js';
import { Loaded } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { formatDuration, formatTime } from '../format.js';
import { Link, setQuery, useLocation, useTitle } from '../router.js';
import { DagView } from './dag-view.js';
import { nodeStates, withStepStatus } from './node-state.js';
import { StepList } from './step-list.js';
import { StepPanel } from './step-panel.js';

interface RunData {
  readonly run: Run;
  readonly steps: readonly StepRun[];
  readonly dag: Dag;
}

/** One run: header, the DAG with live statuses, the step list, and the selected step's panel. */
export function RunPage({ runId }: { runId: string }) {
  useTitle(`Run ${runId}`);
  const { query } = useLocation();
  const selected = query.get('step') ?? undefined;
  const data = useResource<RunData>(async () => {
    const [run, steps, dag] = await Promise.all([api.run(runId), api.steps(runId), api.dag(runId)]);
    return { run, steps, dag };
  }, [runId]);

  // An event carries a status: it is applied at once; timings, cache reasons and rows the page has
  // not seen yet (a map's instances) come from one refetch after the burst settles.
  const refetch = useRef(
    debounce(async () => {
      const [run, steps] = await Promise.all([api.run(runId), api.steps(runId)]).catch(() => [
        undefined,
        undefined,
      ]);
      if (run && steps) data.mutate((d) => (d ? { ...d, run, steps } : d));
    }, 400),
  );
  const onEvent = useCallback(
    (e: LiveEvent) => {
      if (e.type === 'step' && e.data.runId === runId) {
        data.mutate((d) =>
          d ? { ...d, steps: withStepStatus(d.steps, e.data.stepRunId, e.data.status as StepStatus) } : d,
        );
        refetch.current();
      } else if (e.type === 'run' && e.data.runId === runId) {
        data.mutate((d) => (d ? { ...d, run: { ...d.run, status: e.data.status as Run['status'] } } : d));
        refetch.current();
      }
    },
    [runId, data.mutate],
  );
  const live = useLiveEvents({ runId }, onEvent);
  const unfinished = data.data?.run.status === 'running' || data.data?.run.status === 'pending';
  usePolling(unfinished && live !== 'live', () => refetch.current(), 2000);
  const states = useMemo(() => nodeStates(data.data?.steps ?? []), [data.data?.steps]);
  const select = (nodeId: string | null) => setQuery({ step: nodeId }, { push: true });

  return (
    <section className="page run-page">
      <Loaded resource={data} what="run">
        {({ run, dag }) => (
          <>
            <div className="page-head">
              <h1>
                {run.name} <StatusBadge status={run.status} />
              </h1>
              <LiveIndicator state={live} />
            </div>
            <dl className="facts">
              <dt>Run id</dt>
              <dd className="mono">{run.id}</dd>
              <dt>Pipeline</dt>
              <dd>
                <Link to={`/runs?pipeline=${encodeURIComponent(run.pipelineName)}`}>{run.pipelineName}</Link>
              </dd>
              <dt>Snapshot</dt>
              <dd className="mono">
                <Link to={`/snapshots/${encodeURIComponent(run.snapshotId)}`}>
                  {run.snapshotId.slice(0, 16)}
                </Link>
              </dd>
              <dt>Stack</dt>
              <dd>
                {run.stackName} ({run.orchestrator})
              </dd>
              <dt>Started</dt>
              <dd>{formatTime(run.startedAt ?? run.createdAt)}</dd>
              <dt>Duration</dt>
              <dd>{formatDuration(run.startedAt, run.endedAt)}</dd>
              {run.resumedFrom ? (
                <>
                  <dt>Resumed from</dt>
                  <dd>
                    <Link to={`/runs/${encodeURIComponent(run.resumedFrom)}`}>{run.resumedFrom}</Link>
                  </dd>
                </>
              ) : null}
            </dl>
            {run.error ? (
              <p className="error-text" role="alert">
                {run.error}
              </p>
            ) : null}
            <details>
              <summary>Parameters and environment</summary>
              <JsonView value={{ params: run.params, environment: run.environment }} />
            </details>
            <div className={selected ? 'run-body with-panel' : 'run-body'}>
              <div className="run-graph">
                <DagView dag={dag} states={states} selected={selected} onSelect={select} />
                <StepList dag={dag} states={states} selected={selected} onSelect={select} />
              </div>
              {selected ? (
                <StepPanel
                  key={selected}
                  node={dag.nodes.find((n) => n.id === selected)}
                  state={states.get(selected)}
                  runId={run.id}
                  onClose={() => select(null)}
                />
              ) : null}
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
