import { DEFAULT_ALIAS, source } from '@strata/core';
import {
  loadModelVersion,
  type ModelServer,
  predictRows,
  type Row,
  rowsOf,
  serveModel,
  steps,
  type TrainedModel,
  tableFromRows,
} from '@strata/ml';
import {
  compareWithBaseline,
  expectMetricsWithin,
  postJson,
  runPipelineChecked,
  runStep,
  useMlStack,
} from '@strata/testing';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { vegaDataFile } from './data.js';
import { FEATURES, LABEL, MODEL, penguins } from './pipeline.js';

const WEAK = { adapter: 'random-forest', hyperParameters: { nEstimators: 1, maxDepth: 1, seed: 3 } };
const STRONG = { adapter: 'random-forest', hyperParameters: { nEstimators: 30, seed: 7 } };

/** The fields of /predict and /feedback answers these tests read. */
interface Reply {
  version: number;
  ids: string[];
  predictions: string[];
  classes: string[];
  field?: string;
  reason?: string;
  rolledBack?: boolean;
}

const post = (server: ModelServer, path: string, body: unknown) => postJson<Reply>(server, path, body);

describe('examples/penguins', () => {
  const ml = useMlStack();
  let evalRows: Row[];
  let server: ModelServer | undefined;

  const bundleOf = async (version: number) =>
    (await loadModelVersion(ml.registry, ml.stack.artifactStore, `${MODEL}@${version}`))
      .bundle as TrainedModel;

  it('unit: the ingest step splits the data deterministically and records its spans', async () => {
    const data = { data: source(vegaDataFile('penguins.json')) };
    const params = { requireColumns: [LABEL], evalFraction: 0.3 };
    const first = await runStep(steps.ingest, data, params, { stack: ml.stack });
    const again = await runStep(steps.ingest, data, params, { stack: ml.stack });
    expect(first.train.numRows + first.eval.numRows).toBe(344);
    expect(rowsOf(again.eval as Table)).toEqual(rowsOf(first.eval as Table));
    expect(first.spans[0]).toMatchObject({ format: 'json', rows: 344 });
  });

  it('unit: validate fails the run on an out-of-domain value, and only warns in warn mode', async () => {
    const { train } = await runStep(
      steps.ingest,
      { data: source(vegaDataFile('penguins.json')) },
      { columns: [LABEL, ...FEATURES], evalFraction: 0.3 },
      { stack: ml.stack },
    );
    const { statistics } = await runStep(steps.statistics, { data: train }, {}, { stack: ml.stack });
    const { schema } = await runStep(steps.schema, { statistics }, {}, { stack: ml.stack });
    const odd = tableFromRows([{ ...rowsOf(train)[0], Island: 'Atlantis' }]);
    await expect(
      runStep(steps.validate, { data: odd, reference: train, schema }, {}, { stack: ml.stack }),
    ).rejects.toThrow(/data validation failed: Island/);
    const { report } = await runStep(
      steps.validate,
      { data: odd, reference: train, schema },
      { mode: 'warn' },
      { stack: ml.stack },
    );
    expect(report.anomalies.anomalies.map((a) => a.kind)).toContain('out_of_domain');
  });

  it('integration: a first run produces every artifact with its type and becomes production', async () => {
    const checked = await runPipelineChecked(penguins, {
      stack: ml.stack,
      params: WEAK,
      check: { outputs: steps.standardTrainingOutputs },
    });
    expect(await checked.output('push', 'pushed')).toMatchObject({ version: 1, promoted: true });
    evalRows = rowsOf(await checked.output<Table>('ingest', 'eval'));
    expect(await ml.registry.aliasVersion(MODEL, DEFAULT_ALIAS)).toBe(1);
  });

  it('smoke and regression: a better second run is promoted, its metrics sane and as recorded', async () => {
    const checked = await runPipelineChecked(penguins, { stack: ml.stack, params: STRONG });
    const pushed = await checked.output<{ version: number; promoted: boolean; reason: string }>(
      'push',
      'pushed',
    );
    expect(pushed).toMatchObject({ version: 2, promoted: true });
    expect(pushed.reason).toMatch(/accuracy/);
    const { candidate, baseline } = await checked.output<steps.EvaluationReport>('evaluate', 'evaluation');
    expect(baseline?.version).toBe(1);
    expectMetricsWithin(candidate.metrics, { accuracy: [0.9, 1], macroF1: [0.85, 1] });
    await compareWithBaseline(
      candidate.metrics,
      ['accuracy', 'macroF1'],
      new URL('./baseline.json', import.meta.url).pathname,
      {
        tolerance: 0.02,
      },
    );
    expect(await ml.registry.aliasVersion(MODEL, DEFAULT_ALIAS)).toBe(2);
  });

  it('a deliberately worse model is registered but blocked by the gate', async () => {
    const checked = await runPipelineChecked(penguins, { stack: ml.stack, params: WEAK });
    const decision = await checked.output<{ blessed: boolean; reason: string }>('gate', 'decision');
    expect(decision.blessed).toBe(false);
    expect(await checked.output('push', 'pushed')).toMatchObject({ version: 3, promoted: false });
    expect(await ml.registry.aliasVersion(MODEL, DEFAULT_ALIAS)).toBe(2);
  });

  it('serves production: predictions equal batch predictions for the same rows; bad bodies get 400', async () => {
    server = ml.stopAfterAll(
      await serveModel(ml.stack, {
        model: `${MODEL}@production`,
        options: { pollMs: 0, quality: { minLabelled: 20, margin: 0.05 } },
      }),
    );
    const served = await post(server, '/predict', { rows: evalRows });
    expect(served.status).toBe(200);
    expect(served.body.version).toBe(2);
    expect(served.body.ids).toHaveLength(evalRows.length);
    expect(served.body.predictions).toEqual((await predictRows(await bundleOf(2), evalRows)).predictions);
    const bad = await post(server, '/predict', { rows: [{ [FEATURES[1]!]: 'long' }] });
    expect(bad).toEqual({
      status: 400,
      body: expect.objectContaining({
        field: `rows[0].${FEATURES[1]}`,
        reason: 'must be a number, got "long"',
      }),
    });
    expect((await post(server, '/predict', { instances: [] })).body.field).toBe('rows');
    const meta = await (await fetch(`${server.url}/metadata`)).json();
    expect(meta).toMatchObject({ model: MODEL, version: 2, label: LABEL, task: 'classification' });
  });

  it('rollback restores the previous model and the server serves it', async () => {
    const change = await ml.registry.rollback(MODEL, { reason: 'manual check', actor: 'test' });
    expect(change).toMatchObject({ version: 1, previousVersion: 2, action: 'rollback' });
    await server!.refresh();
    expect(server!.servedVersion()).toBe(1);
    const served = await post(server!, '/predict', { rows: evalRows });
    expect(served.body.predictions).toEqual((await predictRows(await bundleOf(1), evalRows)).predictions);
  });

  it('feedback showing a degraded live metric rolls the new version back by itself', async () => {
    // v1 is live: honest feedback gives it a live accuracy.
    const onV1 = await post(server!, '/predict', { rows: evalRows });
    await post(server!, '/feedback', {
      feedback: onV1.body.ids.map((id, i) => ({ id, actual: String(evalRows[i]![LABEL]) })),
    });
    await ml.registry.promote(MODEL, 2, { reason: 'retry v2', actor: 'test' });
    await server!.refresh();
    expect(server!.servedVersion()).toBe(2);
    // v2 live: the labels that come back disagree with every prediction (the world changed).
    const onV2 = await post(server!, '/predict', { rows: evalRows });
    const classes = onV2.body.classes as string[];
    const wrong = (p: string) => classes[(classes.indexOf(p) + 1) % classes.length]!;
    const feedback = await post(server!, '/feedback', {
      feedback: onV2.body.ids.map((id: string, i: number) => ({
        id,
        actual: wrong(onV2.body.predictions[i]!),
      })),
    });
    expect(feedback.body.rolledBack).toBe(true);
    expect(server!.servedVersion()).toBe(1);
    const last = (await ml.registry.history(MODEL, DEFAULT_ALIAS)).at(-1)!;
    expect(last).toMatchObject({
      action: 'rollback',
      version: 1,
      previousVersion: 2,
      actor: `server:${MODEL}`,
    });
    expect(last.reason).toMatch(/live accuracy of v2 is 0 over \d+ labelled predictions/);
  });
});
