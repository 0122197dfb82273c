import { useState } from 'react';
import { api } from '../api/api.js';
import type { MetricPoint, Run, StepRun } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { LineChart } from '../charts/line-chart.js';
import { Empty, Loaded } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { formatNumber } from '../format.js';
import { Link, setQuery, useLocation, useTitle } from '../router.js';

function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = typeof value === 'number' ? formatNumber(value) : JSON.stringify(value);
  }
  return out;
}

interface Compared {
  readonly runs: Run[];
  readonly metrics: Map<string, Record<string, string>>;
  /** Per run: step -> code hash and its local modules' hashes (`step files/path`). */
  readonly code: Record<string, string>[];
  /** Per run: `step.input` -> the fingerprint of the data a source input read. */
  readonly sources: Record<string, string>[];
}

const short = (hash: unknown) => (typeof hash === 'string' ? hash.replace(/^sha256:/, '').slice(0, 12) : '—');

/**
 * What each step ran and read, from its cache parts: the code hash (and the files behind it), and the
 * fingerprint of every source it read. Two runs whose step shows different hashes ran different code.
 */
function codeAndSources(steps: readonly StepRun[]): {
  code: Record<string, string>;
  sources: Record<string, string>;
} {
  const code: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const step of steps) {
    if (step.mapIndex > 0) continue; // one instance speaks for its map: same code
    const parts = step.cacheParts as {
      code?: string;
      files?: Record<string, string>;
      sources?: Record<string, { uri: string; digest: string }>;
    } | null;
    if (!parts || typeof parts !== 'object') continue;
    if (parts.code) code[step.nodeId] = short(parts.code);
    for (const [file, hash] of Object.entries(parts.files ?? {}))
      code[`${step.nodeId} ${file}`] = short(hash);
    for (const [input, part] of Object.entries(parts.sources ?? {}))
      sources[`${step.nodeId}.${input}`] = `${part.uri} @ ${short(part.digest)}`;
  }
  return { code, sources };
}

/** Runs side by side (params, metrics, step code, sources, environment), and a metric across a pipeline's runs. */
export function ComparePage() {
  useTitle('Compare');
  const { query } = useLocation();
  const ids = (query.get('runs') ?? '').split(',').filter(Boolean);
  const data = useResource<Compared>(async () => {
    const runs = await Promise.all(ids.map((id) => api.run(id)));
    const metrics = new Map<string, Record<string, string>>();
    for (const pipeline of new Set(runs.map((r) => r.pipelineName))) {
      const points = await api.metrics(pipeline, 200);
      for (const p of points) {
        if (!ids.includes(p.runId)) continue;
        const m = metrics.get(p.runId) ?? {};
        m[p.nodeId ? `${p.nodeId}.${p.key}` : p.key] =
          typeof p.value === 'number' ? formatNumber(p.value) : JSON.stringify(p.value);
        metrics.set(p.runId, m);
      }
    }
    const steps = await Promise.all(ids.map((id) => api.steps(id)));
    const parts = steps.map(codeAndSources);
    return { runs, metrics, code: parts.map((p) => p.code), sources: parts.map((p) => p.sources) };
  }, [ids.join(',')]);
  return (
    <section className="page">
      <h1>Compare runs</h1>
      {ids.length < 2 ? (
        <Empty title="Pick two or more runs">
          Tick runs on the <Link to="/runs">runs page</Link> and press Compare, or open{' '}
          <code>/compare?runs=ID1,ID2</code>.
        </Empty>
      ) : (
        <Loaded resource={data} what="runs">
          {(compared) => <CompareTable {...compared} />}
        </Loaded>
      )}
      <MetricAcrossRuns />
    </section>
  );
}

function CompareTable({ runs, metrics, code, sources }: Compared) {
  const sections: [string, Record<string, string>[]][] = [
    ['Parameters', runs.map((r) => flatten(r.params))],
    ['Metrics', runs.map((r) => metrics.get(r.id) ?? {})],
    ['Step code (hash of each step and of the files behind it)', code],
    ['Sources (the data each source input read)', sources],
    ['Environment', runs.map((r) => flatten(r.environment))],
  ];
  return (
    <table className="table compare-table">
      <caption className="sr-only">Runs side by side</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          {runs.map((r) => (
            <th key={r.id} scope="col">
              <Link to={`/runs/${encodeURIComponent(r.id)}`}>{r.name}</Link> <StatusBadge status={r.status} />
              <div className="small muted">{r.pipelineName}</div>
            </th>
          ))}
        </tr>
      </thead>
      {sections.map(([title, values]) => {
        const keys = [...new Set(values.flatMap((v) => Object.keys(v)))].sort();
        return (
          <tbody key={title}>
            <tr>
              <th colSpan={runs.length + 1} scope="colgroup" className="section-row">
                {title}
              </th>
            </tr>
            {keys.length === 0 ? (
              <tr>
                <td colSpan={runs.length + 1} className="muted">
                  none recorded
                </td>
              </tr>
            ) : (
              keys.map((k) => {
                const cells = values.map((v) => v[k] ?? '—');
                const differs = new Set(cells).size > 1;
                return (
                  <tr key={k} className={differs ? 'differs' : undefined}>
                    <th scope="row">{k}</th>
                    {cells.map((c, i) => (
                      <td key={i}>{c}</td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        );
      })}
    </table>
  );
}

function MetricAcrossRuns() {
  const { query } = useLocation();
  const pipeline = query.get('pipeline') ?? '';
  const [key, setKey] = useState('');
  const pipelines = useResource(() => api.pipelines(), []);
  const points = useResource<MetricPoint[]>(
    () => (pipeline ? api.metrics(pipeline, 200) : Promise.resolve([])),
    [pipeline],
  );
  const numeric = (points.data ?? []).filter((p) => typeof p.value === 'number');
  const keys = [...new Set(numeric.map((p) => (p.nodeId ? `${p.nodeId}.${p.key}` : p.key)))].sort();
  const chosen = key && keys.includes(key) ? key : keys[0];
  const series = numeric
    .filter((p) => (p.nodeId ? `${p.nodeId}.${p.key}` : p.key) === chosen)
    .sort((a, b) => a.runCreatedAt - b.runCreatedAt)
    .map((p) => ({ x: p.runId, y: p.value as number }));
  return (
    <section className="card">
      <h2>A metric across a pipeline's runs</h2>
      <div className="filters">
        <label>
          Pipeline
          <select value={pipeline} onChange={(e) => setQuery({ pipeline: e.target.value })}>
            <option value="">choose…</option>
            {(pipelines.data ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Metric
          <select value={chosen ?? ''} onChange={(e) => setKey(e.target.value)} disabled={keys.length === 0}>
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      {pipeline && keys.length === 0 && !points.loading ? (
        <p className="muted">
          No numeric metrics logged by this pipeline's runs (steps log them with ctx.log).
        </p>
      ) : null}
      {chosen && series.length > 0 ? (
        <LineChart points={series} label={`${chosen} across runs of ${pipeline}`} />
      ) : null}
    </section>
  );
}
