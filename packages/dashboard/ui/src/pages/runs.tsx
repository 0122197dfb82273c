import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/api.js';
import { debounce } from '../api/debounce.js';
import { LiveIndicator, useLiveEvents, usePolling } from '../api/live.js';
import type { LiveEvent, Run, RunPage } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { RunsTable } from '../components/runs-table.js';
import { Empty, Loaded } from '../components/states.js';
import { Link, setQuery, useLocation, useTitle } from '../router.js';
import { searchRuns } from './search-runs.js';

const statuses = ['pending', 'running', 'completed', 'failed', 'cancelled', 'crashed'];
const periods: readonly [string, string, number][] = [
  ['', 'Any time', 0],
  ['1h', 'Last hour', 3_600_000],
  ['24h', 'Last 24 hours', 86_400_000],
  ['7d', 'Last 7 days', 7 * 86_400_000],
];

/** Runs with filters in the URL (so a filtered view is a link), cursor pagination and live status. */
export function RunsPage() {
  useTitle('Runs');
  const { query } = useLocation();
  const pipeline = query.get('pipeline') ?? '';
  const status = query.get('status') ?? '';
  const stack = query.get('stack') ?? '';
  const period = query.get('period') ?? '';
  const q = query.get('q') ?? '';
  const cursor = query.get('cursor') ?? '';
  const [search, setSearch] = useState(q);
  const [history, setHistory] = useState<string[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setSearch(q), [q]);

  const since = periods.find(([k]) => k === period)?.[2];
  const runs = useResource(
    () =>
      searchRuns(q, {
        pipeline: pipeline || undefined,
        status: status || undefined,
        stack: stack || undefined,
        from: since ? Date.now() - since : undefined,
        cursor: cursor || undefined,
        limit: 50,
      }),
    [pipeline, status, stack, period, q, cursor],
  );
  const pipelines = useResource(() => api.pipelines(), []);
  const stacks = useResource(() => api.stacks(), []);

  // Live status: a run already on the page changes in place; a new run appears on the first page.
  const reloadSoon = useMemo(() => debounce(runs.reload, 500), [runs.reload]);
  const onEvent = useCallback(
    (e: LiveEvent) => {
      if (e.type !== 'run') return;
      const next = e.data.status as Run['status'];
      const known = runs.data?.items.some((r) => r.id === e.data.runId) ?? false;
      if (known) {
        runs.mutate((page: RunPage | undefined) =>
          page
            ? { ...page, items: page.items.map((r) => (r.id === e.data.runId ? { ...r, status: next } : r)) }
            : page,
        );
      } else if (!cursor && !q) {
        // A new run belongs at the top of the first page: fetch it again once the burst is over.
        reloadSoon();
      }
    },
    [runs.mutate, runs.data, reloadSoon, cursor, q],
  );
  const live = useLiveEvents({}, onEvent);
  usePolling(live === 'unavailable' && !cursor, runs.reload, 5000);

  const filter = (changes: Record<string, string>) => {
    setHistory([]);
    setQuery({ ...changes, cursor: null });
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Runs</h1>
        <LiveIndicator state={live} />
      </div>
      <search>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            filter({ q: search.trim() });
          }}
        >
          <label>
            Search
            <input
              type="search"
              value={search}
              placeholder="run id or name"
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <label>
            Pipeline
            <select value={pipeline} onChange={(e) => filter({ pipeline: e.target.value })}>
              <option value="">All pipelines</option>
              {(pipelines.data ?? []).map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select value={status} onChange={(e) => filter({ status: e.target.value })}>
              <option value="">Any status</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Stack
            <select value={stack} onChange={(e) => filter({ stack: e.target.value })}>
              <option value="">Any stack</option>
              {(stacks.data ?? []).map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Time
            <select value={period} onChange={(e) => filter({ period: e.target.value })}>
              {periods.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Search</button>
        </form>
      </search>
      {selected.size >= 2 ? (
        <p>
          <Link className="button" to={`/compare?runs=${[...selected].map(encodeURIComponent).join(',')}`}>
            Compare {selected.size} runs
          </Link>
        </p>
      ) : null}
      <Loaded resource={runs} what="runs">
        {(page) => (
          <>
            {page.items.length === 0 ? (
              <Empty title="No runs match">
                {pipeline || status || stack || q || period
                  ? 'Clear the filters to see every run.'
                  : 'Run a pipeline with strata run.'}
              </Empty>
            ) : (
              <RunsTable runs={page.items} caption="Runs" selectable={{ selected, toggle }} />
            )}
            <nav className="pager" aria-label="Pages">
              <button
                type="button"
                disabled={!cursor}
                onClick={() => {
                  const prev = history.slice(0, -1);
                  setQuery({ cursor: history[history.length - 1] ?? null }, { push: true });
                  setHistory(prev);
                }}
              >
                ← Newer
              </button>
              <button
                type="button"
                disabled={!page.nextCursor}
                onClick={() => {
                  setHistory([...history, cursor]);
                  setQuery({ cursor: page.nextCursor ?? null }, { push: true });
                }}
              >
                Older →
              </button>
            </nav>
          </>
        )}
      </Loaded>
    </section>
  );
}
