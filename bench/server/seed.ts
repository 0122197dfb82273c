/**
 * Bulk-seeds a migrated store for the server benchmark: `runs` runs (one step each) across 20
 * pipelines, plus one run with `bigSteps` steps whose snapshot has as many nodes, written with
 * multi-row INSERTs (500 rows per statement, 2,000 runs per transaction) through the store's own
 * Kysely connection. Rows go through the same tables and columns the repositories write.
 */
import type { SqlStrataDatabase } from '../../packages/metadata/src/index.js';

const STATUSES = ['completed', 'completed', 'completed', 'failed', 'cancelled'] as const;
export const BIG_RUN = 'big-run';

function snapshotBody(id: string, pipeline: string, nodes: number) {
  return {
    id,
    pipeline,
    module: 'bench.ts',
    params: {},
    strataVersion: '0.1.0',
    nodes: Array.from({ length: nodes }, (_, i) => ({
      id: `n${i}`,
      step: `n${i}`,
      codeHash: 'h',
      params: { i },
      inputs: i === 0 ? {} : { x: { node: `n${i - 1}`, output: 'out', collect: false } },
      outputs: { out: { kind: 'json' } },
      after: [],
      cache: { enabled: true },
    })),
  };
}

export async function seedStore(
  db: SqlStrataDatabase,
  options: { runs: number; bigSteps: number },
): Promise<{ seconds: number }> {
  const t0 = performance.now();
  const kdb = db.context.db;
  const base = Date.UTC(2026, 0, 1);
  for (let p = 0; p < 20; p++) {
    await db.saveSnapshot({
      id: `snap-${p}`,
      pipelineName: `pipeline-${p}`,
      body: snapshotBody(`snap-${p}`, `pipeline-${p}`, 1) as never,
      createdAt: base,
    });
  }
  const insert = async (trx: typeof kdb, table: 'runs' | 'step_runs', rows: object[]) => {
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + 500) as never)
        .execute();
    }
  };
  const perTx = 2000;
  for (let first = 0; first < options.runs; first += perTx) {
    const runs: object[] = [];
    const steps: object[] = [];
    for (let r = first; r < Math.min(options.runs, first + perTx); r++) {
      const id = `run-${String(r).padStart(6, '0')}`;
      const at = base + r * 60_000;
      const status = STATUSES[r % STATUSES.length]!;
      runs.push({
        id,
        name: `train ${r}`,
        pipeline_name: `pipeline-${r % 20}`,
        snapshot_id: `snap-${r % 20}`,
        status,
        stack_name: 'default',
        orchestrator: 'local',
        params: JSON.stringify({ lr: 0.1, seed: r }),
        environment: null,
        created_at: at,
        started_at: at,
        ended_at: at + 30_000,
        error: status === 'failed' ? 'boom' : null,
        resumed_from: null,
      });
      steps.push({
        id: `${id}/n0`,
        run_id: id,
        node_id: 'n0',
        step_name: 'n0',
        map_index: -1,
        status: status === 'completed' ? 'completed' : status === 'failed' ? 'failed' : 'cancelled',
        cache_key: `key-${r}`,
        cache_parts: null,
        cache_reason: 'miss: first run',
        cached_from: null,
        attempt: 1,
        created_at: at,
        started_at: at,
        ended_at: at + 1000,
        error: null,
        error_stack: null,
      });
    }
    await kdb.transaction().execute(async (trx) => {
      await insert(trx as never, 'runs', runs);
      await insert(trx as never, 'step_runs', steps);
    });
  }
  // The run with 1,000 steps, created last so it is also the newest.
  await db.saveSnapshot({
    id: 'snap-big',
    pipelineName: 'big',
    body: snapshotBody('snap-big', 'big', options.bigSteps) as never,
    createdAt: base,
  });
  const at = base + options.runs * 60_000;
  await db.createRun(
    {
      id: BIG_RUN,
      name: 'big',
      pipelineName: 'big',
      snapshotId: 'snap-big',
      status: 'completed',
      stackName: 'default',
      orchestrator: 'local',
      params: {},
      environment: null,
      createdAt: at,
      startedAt: at,
      endedAt: at + 60_000,
      error: null,
      resumedFrom: null,
    },
    Array.from({ length: options.bigSteps }, (_, i) => ({
      id: `${BIG_RUN}/n${i}`,
      runId: BIG_RUN,
      nodeId: `n${i}`,
      stepName: `n${i}`,
      mapIndex: -1,
      status: 'completed' as const,
      cacheKey: `big-${i}`,
      cacheParts: null,
      cacheReason: 'miss: first run',
      cachedFrom: null,
      attempt: 1,
      startedAt: at + i,
      endedAt: at + i + 1,
      error: null,
      errorStack: null,
    })),
  );
  // The seeding itself went through the change triggers; a real store prunes changes after 7 days.
  await kdb.deleteFrom('changes' as never).execute();
  await kdb.executeQuery({ sql: 'analyze', parameters: [], query: { kind: 'RawNode' } } as never);
  return { seconds: (performance.now() - t0) / 1000 };
}
