import { ApiError, api } from '../api/api.js';
import type { RunFilter, RunPage } from '../api/types.js';

/**
 * The runs for the search box: a run id opens that run's row; other text matches run names and ids
 * on the filtered page (the server filters by pipeline, status, stack and time).
 */
export async function searchRuns(q: string, filter: RunFilter): Promise<RunPage> {
  const needle = q.trim();
  if (!needle) return api.runs(filter);
  try {
    const run = await api.run(needle);
    return { items: [run] };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const page = await api.runs({ ...filter, limit: 200 });
  const lower = needle.toLowerCase();
  return {
    items: page.items.filter(
      (r) => r.name.toLowerCase().includes(lower) || r.id.toLowerCase().includes(lower),
    ),
    nextCursor: page.nextCursor,
  };
}
