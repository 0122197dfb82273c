import { useState } from 'react';
import { api } from '../api/api.js';
import { useServerInfo } from '../api/identity.js';
import type { ModelDetail } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { ErrorState, Loaded } from '../components/states.js';
import { formatNumber, formatTime } from '../format.js';
import { Link, useTitle } from '../router.js';

/**
 * The gate's verdict recorded with a version (@strata/ml's push step: metadata.blessed and
 * gateReason), as the server's promotion rule reads it (promoteGated in @strata/core).
 */
function gateOf(metadata: unknown): { label: string; title: string } {
  const m = (metadata && typeof metadata === 'object' ? metadata : {}) as Record<string, unknown>;
  const title = typeof m.gateReason === 'string' ? m.gateReason : '';
  if (m.blessed === true) return { label: 'blessed', title };
  if (m.blessed === false) return { label: 'not blessed', title };
  return { label: 'not gated', title: 'registered without an evaluation gate' };
}

function metricCells(metrics: unknown): [string, string][] {
  if (!metrics || typeof metrics !== 'object') return [];
  return Object.entries(metrics as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [k, formatNumber(v as number)]);
}

/** A model's versions (metrics, the run that made each), alias timeline, promote and rollback. */
export function ModelPage({ name }: { name: string }) {
  useTitle(`Model ${name}`);
  const detail = useResource(() => api.model(name), [name]);
  const info = useServerInfo();
  const canWrite = info.data ? info.data.principal.scope !== 'read' : false;
  return (
    <section className="page">
      <Loaded resource={detail} what="model">
        {(d) => (
          <>
            <h1>Model {d.model.name}</h1>
            {d.model.description ? <p>{d.model.description}</p> : null}
            <p>
              {Object.entries(d.model.aliases).length === 0
                ? 'No alias points at a version yet.'
                : Object.entries(d.model.aliases).map(([a, v]) => (
                    <span key={a} className="chip chip-big" data-alias={a}>
                      {a} → v{v}
                    </span>
                  ))}
            </p>
            <AliasActions
              detail={d}
              canWrite={canWrite}
              scopeKnown={info.data !== undefined}
              onDone={detail.reload}
            />
            <h2>Versions</h2>
            <table className="table">
              <caption className="sr-only">Versions</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Gate</th>
                  <th scope="col">Metrics</th>
                  <th scope="col">Made by run</th>
                  <th scope="col">Artifact</th>
                  <th scope="col">Registered</th>
                </tr>
              </thead>
              <tbody>
                {[...d.versions].reverse().map((v) => (
                  <tr key={v.version} data-version={v.version}>
                    <td>v{v.version}</td>
                    <td>
                      <span
                        className="chip"
                        data-gate={gateOf(v.metadata).label}
                        title={gateOf(v.metadata).title}
                      >
                        {gateOf(v.metadata).label}
                      </span>
                    </td>
                    <td>
                      {metricCells(v.metrics).map(([k, val]) => (
                        <span key={k} className="chip">
                          {k} {val}
                        </span>
                      ))}
                    </td>
                    <td>
                      {v.runId ? <Link to={`/runs/${encodeURIComponent(v.runId)}`}>{v.runId}</Link> : '—'}
                    </td>
                    <td>
                      <Link to={`/artifacts/${encodeURIComponent(v.artifactId)}`} className="mono small">
                        {v.artifactId.slice(0, 12)}
                      </Link>
                    </td>
                    <td>{formatTime(v.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Alias timeline</h2>
            {d.history.length === 0 ? (
              <p className="muted">No promotion or rollback yet.</p>
            ) : (
              <ol className="timeline">
                {[...d.history].reverse().map((h) => (
                  <li key={`${h.alias}-${h.at}-${h.version}`} className={`timeline-${h.action}`}>
                    <strong>{h.action}</strong> <span className="chip">{h.alias}</span> v
                    {h.previousVersion ?? '∅'} → v{h.version} by {h.actor} · {formatTime(h.at)}
                    {h.reason ? <div className="small">“{h.reason}”</div> : null}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function AliasActions({
  detail,
  canWrite,
  scopeKnown,
  onDone,
}: {
  detail: ModelDetail;
  canWrite: boolean;
  scopeKnown: boolean;
  onDone: () => void;
}) {
  const [alias, setAlias] = useState(Object.keys(detail.model.aliases)[0] ?? 'production');
  const [version, setVersion] = useState(String(detail.model.latestVersion));
  const [reason, setReason] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const act = async (kind: 'promote' | 'rollback') => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const change =
        kind === 'promote'
          ? await api.promote(detail.model.name, { alias, version: Number(version), reason, force })
          : await api.rollback(detail.model.name, { alias, reason });
      const forced = 'forced' in change && change.forced ? ' (forced past the gate)' : '';
      setDone(`${change.alias} now points at v${change.version}${forced}.`);
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="card alias-actions"
      aria-label="Move an alias"
      onSubmit={(e) => {
        e.preventDefault();
        void act('promote');
      }}
    >
      <h2>Move an alias</h2>
      {scopeKnown && !canWrite ? (
        <p className="muted" role="note">
          Your token has read scope: promoting and rolling back need a write-scope token (the server refuses
          them).
        </p>
      ) : null}
      <label>
        Alias <input value={alias} onChange={(e) => setAlias(e.target.value)} required />
      </label>
      <label>
        Version{' '}
        <select value={version} onChange={(e) => setVersion(e.target.value)}>
          {detail.versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason{' '}
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="why (kept in the audit log)"
        />
      </label>
      <label title="promote a version its evaluation gate did not bless; the alias history records it as forced">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force past the
        gate
      </label>
      <button type="submit" disabled={busy || !canWrite}>
        Promote
      </button>
      <button type="button" disabled={busy || !canWrite} onClick={() => void act('rollback')}>
        Roll back
      </button>
      {done ? (
        <p role="status" className="ok-text">
          {done}
        </p>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </form>
  );
}
