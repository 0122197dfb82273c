// docs/server.md and packages/server/README.md: browsing a project through the API with the typed client.
// Tested by packages/server/src/api.int.spec.ts against a real server process.
import { createClient } from '@strata/server/client';

export async function browse(baseUrl: string, token?: string) {
  const api = createClient({ baseUrl, ...(token ? { token } : {}) });
  // Newest failed or running runs of one pipeline, 50 per page; follow nextCursor for more.
  const page = await api.runs({ pipeline: 'demo', status: ['completed', 'failed'], limit: 50 });
  const run = page.items[0];
  if (!run) return { runs: 0 };
  const dag = await api.runDag(run.id); // nodes with status, edges, map groups
  const step = await api.step(run.id, dag.nodes.at(-1)!.id); // params, cache decision, inputs/outputs
  const output = step.io.find((io) => io.type === 'output');
  const preview = output ? await api.preview(output.artifactId) : undefined; // bounded
  return { runs: page.items.length, nodes: dag.nodes.length, cache: step.step.cacheReason, preview };
}
