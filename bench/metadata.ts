/**
 * Metadata store benchmark, on SQLite (a temp file) and PostgreSQL (a throwaway database on
 * STRATA_TEST_POSTGRES_URL; skipped with a note when unset):
 *  1. recording a 1,000-step run the way the StepRunner does (create the run with its step rows; per
 *     step: mark running, complete with one artifact, an input and an output event, one log line);
 *  2. a store with 100,000 artifacts (10,000 runs x 10 steps, filled with batched multi-row inserts),
 *     then the medians of many lookups: the lineage of one artifact, the latest 50 runs (all, of one
 *     pipeline, with one status), the events of a step run. Targets: lineage < 10 ms, latest 50 runs
 *     < 20 ms. The status query is measured on the schema-version-1 store and again after migration
 *     0002 adds `runs_by_status`, on the same rows.
 *
 *   node --import tsx --import ./packages/project/hooks/source-conditions.mjs bench/metadata.ts \
 *     [--artifacts 100000] [--steps 1000] [--lookups 400]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, migrations, openDatabase, type SqlStrataDatabase } from '../packages/metadata/src/index.js';
import {
  artifactRecord,
  postgresTargets,
  runRecord,
  stepRunRecord,
} from '../packages/metadata/src/testing/index.js';

// kysely is a dependency of packages/metadata, not of the workspace root.
const fromMetadata = createRequire(join(import.meta.dirname, '../packages/metadata/package.json'));
const { sql } = (await import(pathToFileURL(fromMetadata.resolve('kysely')).href)) as typeof import('kysely');

const { values } = parseArgs({
  options: {
    artifacts: { type: 'string', default: '100000' },
    steps: { type: 'string', default: '1000' },
    lookups: { type: 'string', default: '400' },
  },
});
const totalArtifacts = Number(values.artifacts);
const runSteps = Number(values.steps);
const lookups = Number(values.lookups);
const stepsPerRun = 10;
const runCount = Math.ceil(totalArtifacts / stepsPerRun);
/** Mostly finished runs; a few left `running` (crashed submitters) scattered through the history. */
const statusOf = (r: number) => (r % 500 === 7 ? 'running' : r % 10 === 3 ? 'failed' : 'completed');

const round = (n: number, d = 2) => Number(n.toFixed(d));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/** 1. A 1,000-step run, recorded as the StepRunner records it. */
async function recordRun(db: SqlStrataDatabase, runId: string, steps: number) {
  const ids = Array.from({ length: steps }, (_, i) => `${runId}-s${i}`);
  const t0 = performance.now();
  await db.createRun(
    runRecord(runId, { createdAt: Date.now(), pipelineName: 'bench' }),
    ids.map((id, i) => stepRunRecord(id, runId, { nodeId: `n${i}`, stepName: `n${i}` })),
  );
  const t1 = performance.now();
  for (const [i, id] of ids.entries()) {
    await db.updateStepRun(id, { status: 'running', startedAt: Date.now() });
    const input =
      i > 0 ? [{ artifactId: `${ids[i - 1]}-out`, type: 'input' as const, name: 'in', position: 0 }] : [];
    await db.completeStepRun({
      stepRunId: id,
      status: 'completed',
      patch: { endedAt: Date.now(), cacheKey: `k-${id}`, cacheParts: { code: 'h', params: 'p' } },
      artifacts: [artifactRecord(`${id}-out`, id, { createdAt: Date.now() })],
      events: [...input, { artifactId: `${id}-out`, type: 'output', name: 'out', position: 0 }],
      metadata: [],
    });
    await db.appendLogs([
      { stepRunId: id, seq: 1, at: Date.now(), level: 'info', message: `step ${i} done` },
    ]);
  }
  const t2 = performance.now();
  await db.updateRun(runId, { status: 'completed', endedAt: Date.now() });
  return {
    createRunMs: round(t1 - t0),
    totalS: round((t2 - t0) / 1000),
    msPerStep: round((t2 - t1) / steps, 3),
  };
}

/** A realistic run environment record (what collectEnvironment stores), about 600 bytes. */
const environment = JSON.stringify({
  git: { commit: 'f529707c0a5d7e0b1c2d3e4f5a6b7c8d9e0f1a2b', dirty: false },
  lockfile: { file: '/home/ana/project/pnpm-lock.yaml', sha256: 'a'.repeat(64) },
  node: 'v20.19.0',
  strata: '0.1.0',
  platform: 'linux-x64',
  stack: {
    name: 'default',
    components: {
      orchestrator: { name: 'default', flavor: 'local', config: { concurrency: 4, isolation: 'in-process' } },
      artifact_store: { name: 'default', flavor: 'local', config: { path: '.strata/artifacts' } },
    },
  },
});

/** 2. Fills the store to `runCount` runs x 10 steps x 1 artifact with batched inserts, in transactions. */
async function populate(db: SqlStrataDatabase) {
  const kdb = db.context.db;
  const base = Date.now() - runCount * 60_000;
  const t0 = performance.now();
  const runsPerTx = 200;
  for (let first = 0; first < runCount; first += runsPerTx) {
    const runs = [];
    const steps = [];
    const artifacts = [];
    const events = [];
    for (let r = first; r < Math.min(runCount, first + runsPerTx); r++) {
      const runId = `run-${r}`;
      const at = base + r * 60_000;
      runs.push({
        id: runId,
        name: `train-${r}`,
        pipeline_name: `pipeline-${r % 20}`,
        snapshot_id: `snap-${r % 50}`,
        status: statusOf(r),
        stack_name: 'default',
        orchestrator: 'local',
        params: JSON.stringify({ lr: 0.1, seed: r }),
        environment,
        created_at: at,
        started_at: at,
        ended_at: at + 30_000,
        error: null,
        resumed_from: null,
      });
      for (let s = 0; s < stepsPerRun; s++) {
        const id = `${runId}-s${s}`;
        steps.push({
          id,
          run_id: runId,
          node_id: `step${s}`,
          step_name: `step${s}`,
          map_index: -1,
          status: 'completed',
          cache_key: `key-${r}-${s}`,
          cache_parts: '{"code":"h"}',
          cache_reason: 'miss: first run',
          cached_from: null,
          attempt: 0,
          created_at: at,
          started_at: at + s,
          ended_at: at + s + 1,
          error: null,
          error_stack: null,
        });
        artifacts.push({
          id: `${id}-a`,
          uri: `file:///store/blobs/${r}/${s}`,
          store_key: `sha256/${r}/${s}`,
          store_identity: 'local:/store',
          sha256: `${r}-${s}`.padStart(64, '0'),
          size: 1024,
          kind: 'json',
          materializer: 'json',
          materializer_version: 1,
          summary: '{"shape":[100]}',
          producer_step_run_id: id,
          created_at: at + s + 1,
        });
        events.push({ step_run_id: id, artifact_id: `${id}-a`, type: 'output', name: 'out', position: 0 });
        if (s > 0) {
          events.push({
            step_run_id: id,
            artifact_id: `${runId}-s${s - 1}-a`,
            type: 'input',
            name: 'in',
            position: 0,
          });
        }
      }
    }
    await kdb.transaction().execute(async (trx) => {
      const insert = async (table: 'runs' | 'step_runs' | 'artifacts' | 'events', rows: object[]) => {
        for (let i = 0; i < rows.length; i += 500) {
          await trx
            .insertInto(table)
            .values(rows.slice(i, i + 500) as never)
            .execute();
        }
      };
      await insert('runs', runs);
      await insert('step_runs', steps);
      await insert('artifacts', artifacts);
      await insert('events', events);
    });
  }
  return { populateS: round((performance.now() - t0) / 1000, 1) };
}

async function timed(n: number, pick: (i: number) => () => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, n); i++) await pick(i)(); // warm-up: statement caches, plans, pages
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const work = pick(i + 1000);
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  return { medianMs: round(median(ms), 3), p95Ms: round(p95(ms), 3) };
}

async function lookups100k(db: SqlStrataDatabase) {
  const random = (i: number) => (i * 7919) % runCount;
  return {
    lineageOfOneArtifact: await timed(lookups, (i) => {
      const r = random(i);
      return () => db.lineage(`run-${r}-s${i % stepsPerRun}-a`);
    }),
    latest50Runs: await timed(lookups, () => () => db.listRuns({ limit: 50 })),
    latest50RunsOfPipeline: await timed(
      lookups,
      (i) => () => db.listRuns({ pipelineName: `pipeline-${i % 20}`, limit: 50 }),
    ),
    latest50RunningRuns: await timed(lookups, () => () => db.listRuns({ status: 'running', limit: 50 })),
    eventsOfOneStepRun: await timed(
      lookups,
      (i) => () => db.stepRunEvents(`run-${random(i)}-s${i % stepsPerRun}`),
    ),
  };
}

async function bench(label: string, url: string) {
  // Recording, on the current schema.
  const recordDb = await openDatabase(url);
  await recordRun(recordDb, 'warmup', 50);
  const recording = await recordRun(recordDb, 'bench-run', runSteps);
  await recordDb.close();

  // The big store, at schema version 1 first (for the before/after of migration 0002), then migrated.
  const bigUrl =
    label === 'sqlite' ? url.replace(/strata\.db$/, 'big.db') : url.replace(/schema=\w+/, 'schema=big');
  const v1 = await openDatabase(bigUrl, { migrations: migrations.slice(0, 1) });
  const fill = await populate(v1);
  if (v1.dialect === 'postgres') await sql`analyze`.execute(v1.context.db);
  await v1.context.db
    .executeQuery({ sql: 'analyze', parameters: [], query: { kind: 'RawNode' } } as never)
    .catch(() => {});
  const before = await timed(lookups, () => () => v1.listRuns({ status: 'running', limit: 50 }));
  await v1.close();
  const migrated = await migrate(bigUrl);
  const db = await openDatabase(bigUrl);
  const counts = await db.context.db
    .selectFrom('artifacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const after = await lookups100k(db);
  await db.close();
  return {
    database: label,
    recording1000Steps: recording,
    store: { artifacts: Number(counts?.n), runs: runCount, ...fill },
    lookups: after,
    migration0002: {
      applied: migrated.applied,
      latest50RunningRunsBefore: before,
      latest50RunningRunsAfter: after.latest50RunningRuns,
    },
    targets: {
      lineageUnder10ms: after.lineageOfOneArtifact.medianMs < 10,
      latest50RunsUnder20ms: after.latest50Runs.medianMs < 20,
    },
  };
}

const results: unknown[] = [];
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-metadata-'));
try {
  results.push(await bench('sqlite', `sqlite:${join(dir, 'strata.db')}`));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const serverUrl = process.env.STRATA_TEST_POSTGRES_URL;
if (serverUrl) {
  const targets = await postgresTargets(serverUrl);
  try {
    const url = new URL(targets.databaseUrl);
    url.searchParams.set('schema', 'rec');
    results.push(await bench('postgres', url.toString()));
  } finally {
    await targets.dispose();
  }
} else {
  results.push({
    database: 'postgres',
    skipped: 'STRATA_TEST_POSTGRES_URL is not set (bash scripts/services/postgres.sh)',
  });
}
console.log(JSON.stringify({ loadavg: loadavg().map((l) => round(l, 1)), results }, null, 2));
