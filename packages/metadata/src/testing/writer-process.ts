/**
 * One of several processes recording runs into the same database at once (see concurrent-writers.ts).
 * argv: <url> <worker> <runs> <stepsPerRun>. Prints "ready" once the database is open, waits for a
 * line on stdin, records, prints one JSON line and exits 0; any error exits 1 with it on stderr.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../open-database.js';
import { artifactRecord, cacheParts, runRecord, stepRunRecord } from './fixtures.js';

const [url, workerArg, runsArg, stepsArg] = process.argv.slice(2);
if (!url || !workerArg || !runsArg || !stepsArg)
  throw new Error('usage: writer-process <url> <worker> <runs> <steps>');
const worker = Number(workerArg);
const runs = Number(runsArg);
const stepsPerRun = Number(stepsArg);

const db = await openDatabase(url);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

const versions: number[] = [];
for (let r = 0; r < runs; r++) {
  const runId = `w${worker}-r${r}`;
  const stepIds = Array.from({ length: stepsPerRun }, (_, s) => `${runId}-s${s}`);
  await db.createRun(
    runRecord(runId, { pipelineName: 'concurrent', createdAt: Date.now() }),
    stepIds.map((id, s) => stepRunRecord(id, runId, { nodeId: `step${s}`, stepName: `step${s}` })),
  );
  await db.updateRun(runId, { status: 'running', startedAt: Date.now() });
  for (const [s, stepId] of stepIds.entries()) {
    await db.updateStepRun(stepId, { status: 'running', startedAt: Date.now() });
    const artifactId = `${stepId}-out`;
    await db.completeStepRun({
      stepRunId: stepId,
      status: 'completed',
      patch: {
        endedAt: Date.now(),
        cacheKey: `key-${stepId}`,
        cacheParts: cacheParts(`${worker}-${r}-${s}`),
      },
      artifacts: [artifactRecord(artifactId, stepId, { sha256: `sha-${artifactId}` })],
      events: [
        ...(s > 0
          ? [{ artifactId: `${stepIds[s - 1]}-out`, type: 'input' as const, name: 'in', position: 0 }]
          : []),
        { artifactId, type: 'output', name: 'out', position: 0 },
      ],
      metadata: [{ ownerType: 'step_run', ownerId: stepId, key: 'worker', value: worker }],
    });
    await db.appendLogs([
      { stepRunId: stepId, seq: 1, at: Date.now(), level: 'info', message: 'start' },
      { stepRunId: stepId, seq: 2, at: Date.now(), level: 'info', message: 'done' },
    ]);
  }
  const registered = await db.registerModelVersion({
    model: 'shared',
    artifactId: `${stepIds[stepsPerRun - 1]}-out`,
    runId,
    metrics: { worker },
    metadata: null,
  });
  versions.push(registered.version);
  await db.setAlias({
    model: 'shared',
    alias: 'latest',
    version: registered.version,
    action: 'promote',
    reason: runId,
    actor: `worker-${worker}`,
  });
  await db.updateRun(runId, { status: 'completed', endedAt: Date.now() });
}
await db.close();
process.stdout.write(`${JSON.stringify({ worker, runs, versions })}\n`);
