import { DEFAULT_ALIAS } from '@strata/core';
import {
  loadModelVersion,
  type ModelServer,
  predictRows,
  type Row,
  rowsOf,
  serveModel,
  steps,
} from '@strata/ml';
import {
  compareWithBaseline,
  expectMetricsWithin,
  postJson,
  runPipelineChecked,
  useMlStack,
} from '@strata/testing';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { cars, LABEL, MODEL } from './pipeline.js';

const WEAK = { hyperParameters: { nEstimators: 1, maxDepth: 1, seed: 3 } };
const STRONG = { hyperParameters: { nEstimators: 30, seed: 7 } };

interface Reply {
  version: number;
  ids: string[];
  predictions: number[];
  field?: string;
  reason?: string;
  rolledBack?: boolean;
}

const post = (server: ModelServer, path: string, body: unknown) => postJson<Reply>(server, path, body);

describe('examples/cars-regression', () => {
  const ml = useMlStack();
  let evalRows: Row[];
  let server: ModelServer | undefined;

  const batch = async (version: number, rows: Row[]) => {
    const { bundle } = await loadModelVersion(ml.registry, ml.stack.artifactStore, `${MODEL}@${version}`);
    return (await predictRows(bundle, rows)).predictions;
  };

  it('integration: a first (weak) run produces every artifact and becomes production', async () => {
    const checked = await runPipelineChecked(cars, {
      stack: ml.stack,
      params: WEAK,
      check: { outputs: steps.standardTrainingOutputs },
    });
    expect(await checked.output('push', 'pushed')).toMatchObject({ version: 1, promoted: true });
    evalRows = rowsOf(await checked.output<Table>('ingest', 'eval'));
    expect(evalRows.length).toBeGreaterThan(80);
  });

  it('a second run with better hyper-parameters is promoted; metrics sane and as recorded', async () => {
    const checked = await runPipelineChecked(cars, { stack: ml.stack, params: STRONG });
    expect(await checked.output('push', 'pushed')).toMatchObject({ version: 2, promoted: true });
    const report = await checked.output<steps.EvaluationReport>('evaluate', 'evaluation');
    expectMetricsWithin(report.candidate.metrics, { rmse: [0, 4.5], r2: [0.7, 1] });
    expect(report.baseline?.version).toBe(1);
    await compareWithBaseline(
      report.candidate.metrics,
      ['rmse', 'mae', 'r2'],
      new URL('./baseline.json', import.meta.url).pathname,
      { tolerance: { rmse: 0.2, mae: 0.2, r2: 0.02 } },
    );
  });

  it('a deliberately worse model is blocked by the gate', async () => {
    const checked = await runPipelineChecked(cars, { stack: ml.stack, params: WEAK });
    expect(await checked.output('push', 'pushed')).toMatchObject({ version: 3, promoted: false });
    expect((await checked.output<{ reason: string }>('gate', 'decision')).reason).toMatch(/rmse/);
    expect(await ml.registry.aliasVersion(MODEL, DEFAULT_ALIAS)).toBe(2);
  });

  it('serving predictions equal batch predictions; an invalid body gets 400 with field and reason', async () => {
    server = ml.stopAfterAll(
      await serveModel(ml.stack, { model: `${MODEL}@production`, options: { pollMs: 0 } }),
    );
    const served = await post(server, '/predict', { rows: evalRows });
    expect(served.body.version).toBe(2);
    expect(served.body.predictions).toEqual(await batch(2, evalRows));
    const bad = await post(server, '/feedback', { feedback: [{ id: served.body.ids[0], actual: 'fast' }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      field: 'feedback[0].actual',
      reason: 'must be the true value (a number)',
    });
  });

  it('rollback restores the previous model and the server serves it', async () => {
    await ml.registry.rollback(MODEL, { reason: 'check v1', actor: 'test' });
    await server!.refresh();
    expect(server!.servedVersion()).toBe(1);
    expect((await post(server!, '/predict', { rows: evalRows })).body.predictions).toEqual(
      await batch(1, evalRows),
    );
  });

  it('feedback showing a degraded live MAE rolls the new version back by itself', async () => {
    const onV1 = await post(server!, '/predict', { rows: evalRows });
    await post(server!, '/feedback', {
      feedback: onV1.body.ids.map((id, i) => ({ id, actual: evalRows[i]![LABEL] as number })),
    });
    await ml.registry.promote(MODEL, 2, { reason: 'retry v2', actor: 'test' });
    await server!.refresh();
    const onV2 = await post(server!, '/predict', { rows: evalRows });
    // The true values come back 25 mpg away from every prediction.
    const feedback = await post(server!, '/feedback', {
      feedback: onV2.body.ids.map((id, i) => ({ id, actual: onV2.body.predictions[i]! + 25 })),
    });
    expect(feedback.body.rolledBack).toBe(true);
    expect(server!.servedVersion()).toBe(1);
    const last = (await ml.registry.history(MODEL)).at(-1)!;
    expect(last).toMatchObject({ action: 'rollback', version: 1, actor: `server:${MODEL}` });
    expect(last.reason).toMatch(/live mae of v2 is 25/);
  });
});
