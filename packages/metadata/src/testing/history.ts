import { inlineUri, type StrataDatabase } from '@strata/core/plugin';
import type { SqlStrataDatabase } from '../strata-database.js';
import {
  artifactRecord,
  cacheParts,
  componentRecord,
  runRecord,
  snapshotBody,
  stepRunRecord,
} from './fixtures.js';

/**
 * Records a small but complete history through the store's own API: a snapshot, two runs (the second
 * reusing the first's output from the cache), step runs, artifacts, input/output events, logs,
 * metadata on every owner type, components, a stack, a model with two versions and alias moves.
 * Used by the upgrade and export/import tests, which must carry every kind of row.
 */
export async function recordHistory(db: StrataDatabase, prefix = 'h'): Promise<void> {
  const p = (id: string) => `${prefix}-${id}`;
  await db.saveSnapshot({
    id: p('snap'),
    pipelineName: 'train',
    body: snapshotBody(p('snap'), ['load', 'fit'], { runName: 'ünïcødé "quoted" \n newline' }),
    createdAt: 10,
  });
  for (const [i, runId] of [p('r1'), p('r2')].entries()) {
    const load = `${runId}-load`;
    const fit = `${runId}-fit`;
    await db.createRun(runRecord(runId, { snapshotId: p('snap'), createdAt: 100 + i, status: 'running' }), [
      stepRunRecord(load, runId, { nodeId: 'load', stepName: 'load' }),
      stepRunRecord(fit, runId, { nodeId: 'fit', stepName: 'fit' }),
    ]);
    const data = i === 0 ? `${load}-rows` : `${p('r1')}-load-rows`;
    await db.completeStepRun({
      stepRunId: load,
      status: i === 0 ? 'completed' : 'cached',
      patch: {
        cacheKey: p('key-load'),
        cacheParts: cacheParts('c1', { params: { p: 'p1' } }),
        cacheReason: i === 0 ? 'miss: first run' : 'hit',
        cachedFrom: i === 0 ? null : `${p('r1')}-load`,
        startedAt: 110 + i,
        endedAt: 120 + i,
      },
      artifacts: i === 0 ? [artifactRecord(data, load, { createdAt: 115, size: 2 ** 40 })] : [],
      events: [{ artifactId: data, type: 'output', name: 'rows', position: 0 }],
      metadata: [{ ownerType: 'step_run', ownerId: load, key: 'rows', value: 342 }],
    });
    await db.completeStepRun({
      stepRunId: fit,
      status: 'completed',
      patch: { startedAt: 130 + i, endedAt: 140 + i, attempt: 1 },
      // A small model kept inline (its bytes in the row, as a data: URI): export/import carry it too.
      artifacts: [
        artifactRecord(`${fit}-model`, fit, {
          kind: 'model',
          createdAt: 135 + i,
          summary: null,
          uri: inlineUri(Buffer.from(`{"weights":[${i},1]}`)),
          storeKey: '',
        }),
      ],
      events: [
        { artifactId: data, type: 'input', name: 'rows', position: 0 },
        { artifactId: `${fit}-model`, type: 'output', name: 'model', position: 0 },
      ],
      metadata: [
        { ownerType: 'artifact', ownerId: `${fit}-model`, key: 'accuracy', value: 0.96 + i / 100 },
        { ownerType: 'run', ownerId: runId, key: 'tags', value: ['nightly', { i }] },
      ],
    });
    await db.appendLogs([
      { stepRunId: fit, seq: 1, at: 131, level: 'info', message: `fitting ${i}` },
      { stepRunId: fit, seq: 2, at: 132, level: 'warn', message: 'línea 2' },
    ]);
    await db.updateRun(runId, { status: 'completed', startedAt: 105, endedAt: 150 + i });
  }
  await db.createComponent(componentRecord('orchestrator', p('orch'), { config: { concurrency: 2 } }));
  await db.createComponent(
    componentRecord('artifact_store', p('store'), { config: { key: '{{secret.s3.key}}' } }),
  );
  await db.createStack({
    name: p('stack'),
    components: { orchestrator: p('orch'), artifact_store: p('store') },
    createdAt: 5,
    updatedAt: 6,
  });
  for (const run of [p('r1'), p('r2')]) {
    await db.registerModelVersion({
      model: p('model'),
      artifactId: `${run}-fit-model`,
      runId: run,
      metrics: { accuracy: 0.96 },
      metadata: null,
      description: 'a model',
    });
  }
  await db.setAlias({
    model: p('model'),
    alias: 'production',
    version: 2,
    action: 'promote',
    reason: 'better',
    actor: 'ci',
  });
  await db.setAlias({
    model: p('model'),
    alias: 'production',
    version: 1,
    action: 'rollback',
    reason: 'drift',
    actor: 'ana',
  });
}

/** Everything a store holds, read through its API, in a stable order: two stores with equal histories read the same. */
export async function readHistory(db: SqlStrataDatabase): Promise<unknown> {
  const runs = await db.listRuns();
  const perRun = [];
  for (const run of runs.sort((a, b) => a.id.localeCompare(b.id))) {
    const steps = await db.listStepRuns(run.id);
    const stepData = [];
    for (const step of steps) {
      const events = await db.stepRunEvents(step.id);
      stepData.push({
        step,
        events,
        lineage: await Promise.all(events.map((e) => db.lineage(e.artifactId))),
        logs: await db.readLogs({ stepRunId: step.id }),
        metadata: await db.getMetadata('step_run', step.id),
        artifactMetadata: await Promise.all(events.map((e) => db.getMetadata('artifact', e.artifactId))),
      });
    }
    perRun.push({
      run,
      snapshot: await db.getSnapshot(run.snapshotId),
      metadata: await db.getMetadata('run', run.id),
      steps: stepData,
    });
  }
  const models = await db.listModels();
  return {
    runs: perRun,
    pipelines: await db.listPipelines(),
    artifacts: await db.listArtifacts(),
    components: await db.listComponents(),
    stacks: await db.listStacks(),
    models,
    versions: await Promise.all(models.map((m) => db.listModelVersions(m.name))),
    aliases: await Promise.all(models.map((m) => db.aliasHistory(m.name))),
  };
}
