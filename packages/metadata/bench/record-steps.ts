/**
 * Per-step metadata cost: a run with 1,000 steps is inserted, then each step is marked running and
 * completed with one artifact and one output event (the StepRunner's writes for a step). Prints one
 * JSON line with wall-clock and CPU ms/step for SQLite (temp file) and, when STRATA_TEST_POSTGRES_URL is set, PostgreSQL.
 *
 *   node --import tsx --import ./packages/metadata/src/testing/source-condition.mjs \
 *     packages/metadata/bench/record-steps.ts [steps]
 */
import type { StrataDatabase } from '@strata/core/plugin';
import { openDatabase } from '../src/open-database.js';
import { artifactRecord, runRecord, stepRunRecord } from '../src/testing/fixtures.js';
import { postgresTargets, sqliteTargets } from '../src/testing/targets.js';

const steps = Number(process.argv[2] ?? 1000);
const warmupSteps = 100;

async function recordRun(db: StrataDatabase, runId: string, count: number) {
  const ids = Array.from({ length: count }, (_, i) => `${runId}-s${i}`);
  const t0 = performance.now();
  await db.createRun(
    runRecord(runId, { createdAt: Date.now() }),
    ids.map((id, i) => stepRunRecord(id, runId, { nodeId: `n${i}`, stepName: `n${i}` })),
  );
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const id of ids) {
    await db.updateStepRun(id, { status: 'running', startedAt: Date.now() });
    await db.completeStepRun({
      stepRunId: id,
      status: 'completed',
      patch: { endedAt: Date.now(), cacheKey: `k-${id}`, cacheParts: { code: 'h' } },
      artifacts: [artifactRecord(`${id}-out`, id)],
      events: [{ artifactId: `${id}-out`, type: 'output', name: 'out', position: 0 }],
      metadata: [],
    });
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return {
    createRunMs: round(t1 - t0),
    msPerStep: round((t2 - t1) / count, 4),
    // This process's CPU time per step: less sensitive than wall time to other load on the machine.
    cpuMsPerStep: round((cpu.user + cpu.system) / 1000 / count, 4),
  };
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

async function measure(url: string) {
  const db = await openDatabase(url);
  try {
    await recordRun(db, 'warmup', warmupSteps);
    return await recordRun(db, 'bench', steps);
  } finally {
    await db.close();
  }
}

const sqliteTarget = await sqliteTargets()();
let sqlite: Awaited<ReturnType<typeof measure>>;
try {
  sqlite = await measure(sqliteTarget.url);
} finally {
  await sqliteTarget.dispose();
}

let postgres: Awaited<ReturnType<typeof measure>> | null = null;
const pgUrl = process.env.STRATA_TEST_POSTGRES_URL;
if (pgUrl) {
  const targets = await postgresTargets(pgUrl);
  try {
    postgres = await measure((await targets.next()).url);
  } finally {
    await targets.dispose();
  }
}

process.stdout.write(`${JSON.stringify({ bench: 'metadata.record-steps', steps, sqlite, postgres })}\n`);
