import { useState } from 'react';
import { api } from '../api/api.js';
import type { DagNode, StepRun } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { JsonView } from '../components/json-view.js';
import { Loaded } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { Tabs } from '../components/tabs.js';
import { formatDuration, formatTime } from '../format.js';
import { Link } from '../router.js';
import { describeCondition } from './condition-text.js';
import { InstanceList } from './instance-list.js';
import type { NodeState } from './node-state.js';
import { StepArtifacts } from './step-artifacts.js';
import { StepAttempts } from './step-attempts.js';
import { StepLogs } from './step-logs.js';
import { StepMetadata } from './step-metadata.js';

/** The selected step: params, cache decision and reason, timings, attempts, logs, artifacts, metadata. */
export function StepPanel({
  node,
  state,
  runId,
  onClose,
}: {
  node: DagNode | undefined;
  state: NodeState | undefined;
  runId: string;
  onClose: () => void;
}) {
  const [instance, setInstance] = useState<StepRun | undefined>(undefined);
  if (!node) {
    return (
      <aside className="step-panel" aria-label="Step">
        <p>This run has no step with that id.</p>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </aside>
    );
  }
  const row = instance ?? state?.row ?? state?.instances[0];
  const tabs = [
    { id: 'details', label: 'Details', render: () => <StepDetails node={node} row={row} /> },
    {
      id: 'logs',
      label: 'Logs',
      render: () =>
        row ? (
          <StepLogs stepRunId={row.id} live={row.status === 'running' || row.status === 'pending'} />
        ) : null,
    },
    {
      id: 'artifacts',
      label: 'Inputs & outputs',
      render: () => (row ? <StepDetailView stepRunId={row.id} status={row.status} show="io" /> : null),
    },
    {
      id: 'metadata',
      label: 'Metadata',
      render: () => (row ? <StepDetailView stepRunId={row.id} status={row.status} show="metadata" /> : null),
    },
  ];
  if (node.mapped && state) {
    tabs.splice(1, 0, {
      id: 'instances',
      label: `Instances (${state.instances.length})`,
      render: () => <InstanceList state={state} selected={instance?.id} onSelect={setInstance} />,
    });
  }
  return (
    <aside className="step-panel" aria-label={`Step ${node.id}`}>
      <div className="panel-head">
        <h2>
          {node.id}
          {instance ? ` [${instance.mapIndex}]` : ''} {row ? <StatusBadge status={row.status} /> : null}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close step panel">
          ✕
        </button>
      </div>
      {instance ? (
        <p className="small">
          Instance {instance.mapIndex} of the map.{' '}
          <button type="button" className="linklike" onClick={() => setInstance(undefined)}>
            Back to the whole map
          </button>
        </p>
      ) : null}
      <Tabs label="Step sections" tabs={tabs} runId={runId} />
    </aside>
  );
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'object' && Object.keys(v as object).length === 0);
}

function StepDetails({ node, row }: { node: DagNode; row: StepRun | undefined }) {
  const decision =
    row?.status === 'cached' || row?.cacheReason?.startsWith('hit')
      ? 'hit'
      : row?.cacheReason?.startsWith('miss')
        ? 'miss'
        : '—';
  return (
    <div>
      <h3>Parameters</h3>
      {isEmpty(node.params) ? <p className="muted">No parameters.</p> : <JsonView value={node.params} />}
      <h3>Cache</h3>
      {row ? (
        <dl className="facts">
          <dt>Decision</dt>
          <dd data-testid="cache-decision">{decision}</dd>
          <dt>Reason</dt>
          <dd>{row.cacheReason ?? 'not looked up yet'}</dd>
          {row.cachedFrom ? (
            <>
              <dt>Outputs reused from</dt>
              <dd className="mono">
                <Link to={`/runs/${encodeURIComponent(row.cachedFrom.split('/')[0] ?? '')}`}>
                  {row.cachedFrom}
                </Link>
              </dd>
            </>
          ) : null}
          {row.cacheKey ? (
            <>
              <dt>Cache key</dt>
              <dd className="mono small">{row.cacheKey}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="muted">The step has not run yet.</p>
      )}
      {row?.cacheParts && typeof row.cacheParts === 'object' ? (
        <details>
          <summary>What the cache key is made of</summary>
          <JsonView value={row.cacheParts} />
        </details>
      ) : null}
      <h3>Timing</h3>
      {row ? (
        <dl className="facts">
          <dt>Started</dt>
          <dd>{formatTime(row.startedAt)}</dd>
          <dt>Ended</dt>
          <dd>{formatTime(row.endedAt)}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(row.startedAt, row.endedAt)}</dd>
          <dt>Attempts</dt>
          <dd>{row.attempt}</dd>
        </dl>
      ) : null}
      {row && row.attempt > 0 ? (
        <>
          <h3>Attempts</h3>
          <StepAttempts row={row} />
        </>
      ) : null}
      {row?.error ? (
        <>
          <h3>Error</h3>
          <pre className="error-text">{row.error}</pre>
        </>
      ) : null}
      {node.condition ? (
        <p>
          Runs only if <code>{describeCondition(node.condition)}</code>.
        </p>
      ) : null}
    </div>
  );
}

/** Loads the step's detail (io and metadata) again whenever its status changes. */
function StepDetailView({
  stepRunId,
  status,
  show,
}: {
  stepRunId: string;
  status: string;
  show: 'io' | 'metadata';
}) {
  const detail = useResource(() => api.step(stepRunId), [stepRunId, status]);
  return (
    <Loaded resource={detail} what="step">
      {(d) => (show === 'io' ? <StepArtifacts io={d.io} /> : <StepMetadata metadata={d.metadata} />)}
    </Loaded>
  );
}
