import { ApiError, api } from '../api/api.js';
import type { RunFilter, RunPage } from '../api/types.js';

/**
 * The runs for the search box. The server searches run ids and names over every run (with the other
 * filters, one cursor page at a time); a whole run id pasted in opens straight to that run's row
 * even when the filters would hide it.
 */
export async function searchRuns(q: string, filter: RunFilter): Promise<RunPage> {
  const needle = q.trim();
  if (!needle) return api.runs(filter);
  if (/^r-\S{8,}$/.test(needle) && !filter.cursor) {
    try {
      const run = await api.run(needle);
      return { items: [run] };
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
  }
  return api.runs({ ...filter, q: needle });
}
