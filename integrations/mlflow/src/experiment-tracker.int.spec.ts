import { createServer } from 'node:net';
import { type ExperimentTracker, pipeline, step, t } from '@strata/core';
import { trackerMetadata, trackerWarnings } from '@strata/core/plugin';
import {
  createTemporaryStack,
  describeExperimentTrackerContract,
  type TemporaryStack,
} from '@strata/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MlflowExperimentTracker } from './experiment-tracker.js';
import { MlflowRestClient } from './rest-client.js';
import { mlflowTestServer, trackerTestConfig } from './test-server.js';

const experiment = `strata-tracker-${Date.now()}`;

const load = step({
  name: 'load',
  outputs: { rows: t.json<number[]>() },
  params: z.object({ n: z.number() }),
  run: (_i, { n }, ctx) => {
    ctx.log({ rows: n, source: 'synthetic' });
    return { rows: Array.from({ length: n }, (_, i) => i) };
  },
});
const score = step({
  name: 'score',
  inputs: { x: t.number() },
  outputs: { y: t.number() },
  run: ({ x }, _p, ctx) => {
    ctx.log({ loss: 1 / (x + 1), quality: { auc: 0.5 + x / 10 } });
    return { y: x * 2 };
  },
});
const tracked = pipeline({
  name: 'tracked',
  params: z.object({
    n: z.number().default(3),
    model: z.object({ trees: z.number() }).default({ trees: 5 }),
  }),
  body: ({ n }) => {
    const { rows } = load({}, { params: { n } });
    score.map('x', { x: rows });
  },
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Reads MLflow back with its own REST API (the test's view, independent of the tracker). */
const rest = () => new MlflowRestClient(trackerTestConfig(), { type: 'experiment_tracker', name: 'test' });
type MlflowRun = {
  info: { run_id: string; status: string; run_name: string };
  data: {
    params?: { key: string; value: string }[];
    metrics?: { key: string; value: number; step: string }[];
    tags?: { key: string; value: string }[];
  };
};
const getRun = async (id: string) =>
  (await rest().get<{ run: MlflowRun }>('get run', 'runs/get', { run_id: id })).run;
const kv = (list: { key: string; value: string }[] | undefined) =>
  Object.fromEntries((list ?? []).map((e) => [e.key, e.value]));

describe('mlflow experiment tracker on the real MLflow server', () => {
  let temp: TemporaryStack;
  const warnings: string[] = [];
  beforeAll(async () => {
    mlflowTestServer();
    temp = await createTemporaryStack();
    vi.spyOn(trackerWarnings, 'write').mockImplementation((m) => void warnings.push(m));
  });
  afterEach(() => {
    (temp.stack.extras as Map<string, unknown>).delete('experiment_tracker');
    warnings.length = 0;
  });
  afterAll(() => temp?.cleanup());
  const useTracker = (tracker: ExperimentTracker) =>
    (temp.stack.extras as Map<string, unknown>).set('experiment_tracker', tracker);

  it('records a pipeline run as an MLflow run: params, step metrics, nested step runs, tags, status', async () => {
    useTracker(new MlflowExperimentTracker(trackerTestConfig({ experiment }), 'mlflow-test'));
    const run = await (await tracked.run({ stack: temp.stack, params: { n: 3 } })).wait();
    expect(run.status).toBe('completed');
    const meta = (await trackerMetadata(temp.stack.database, run.id))!;
    expect(meta).toMatchObject({ flavor: 'mlflow', finished: true });
    expect(meta.url).toBe(
      `${mlflowTestServer().url}/#/experiments/${(meta.data as { experimentId: string }).experimentId}/runs/${meta.id}`,
    );
    expect(warnings).toEqual([]);

    const mlflowRun = await getRun(meta.id!);
    expect(mlflowRun.info.status).toBe('FINISHED');
    expect(mlflowRun.info.run_name).toBe(run.name);
    expect(kv(mlflowRun.data.params)).toEqual({ n: '3', 'model.trees': '5' });
    expect(kv(mlflowRun.data.tags)).toMatchObject({
      'strata.run_id': run.id,
      'strata.pipeline': 'tracked',
      'strata.stack': temp.stack.name,
      'strata.status': 'completed',
    });
    const metrics = mlflowRun.data.metrics ?? [];
    expect(metrics.find((m) => m.key === 'load.rows')?.value).toBe(3);
    // a mapped step: one metric, one MLflow step per instance (runs/get shows the latest value)
    const history = await rest().get<{ metrics: { value: number; step: string }[] }>(
      'metric history',
      'metrics/get-history',
      { run_id: meta.id!, metric_key: 'score.loss' },
    );
    expect(history.metrics.map((m) => [Number(m.step), m.value]).sort()).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ]);

    const children = await rest().post<{ runs: MlflowRun[] }>('search', 'runs/search', {
      experiment_ids: [(meta.data as { experimentId: string }).experimentId],
      filter: `tags.mlflow.parentRunId = '${meta.id}'`,
      max_results: 100,
    });
    expect(children.runs.map((r) => r.info.run_name).sort()).toEqual([
      'load',
      'score[0]',
      'score[1]',
      'score[2]',
    ]);
    const loadRun = children.runs.find((r) => r.info.run_name === 'load')!;
    expect(kv(loadRun.data.params)).toEqual({ source: 'synthetic' });
    expect(loadRun.data.metrics?.map((m) => m.key).sort()).toEqual(['duration_s', 'rows']);
    const scoreRun = children.runs.find((r) => r.info.run_name === 'score[2]')!;
    expect(scoreRun.data.metrics?.find((m) => m.key === 'quality.auc')?.value).toBeCloseTo(0.7);
    expect(scoreRun.info.status).toBe('FINISHED');
  });

  it('marks a failed pipeline run FAILED in MLflow with the error', async () => {
    useTracker(new MlflowExperimentTracker(trackerTestConfig({ experiment, nested: false }), 'mlflow-test'));
    const boom = step({
      name: 'boom',
      outputs: { x: t.number() },
      run: () => {
        throw new Error('exploded on purpose');
      },
    });
    const failing = pipeline({ name: 'tracked-failing', body: () => void boom() });
    const run = await (await failing.run({ stack: temp.stack })).wait();
    expect(run.status).toBe('failed');
    const meta = (await trackerMetadata(temp.stack.database, run.id))!;
    const mlflowRun = await getRun(meta.id!);
    expect(mlflowRun.info.status).toBe('FAILED');
    expect(kv(mlflowRun.data.tags)['strata.error']).toContain('exploded on purpose');
  });

  it('a tracker that is down does not fail the pipeline: a warning naming the URL, kept with the run', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    useTracker(new MlflowExperimentTracker({ ...trackerTestConfig(), url }, 'down'));
    const run = await (await tracked.run({ stack: temp.stack })).wait();
    expect(run.status).toBe('completed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`MLflow at ${url} is unreachable (look up experiment "tracked")`);
    const meta = (await trackerMetadata(temp.stack.database, run.id))!;
    expect(meta.error).toContain('ECONNREFUSED');
  });

  it('a required tracker that is down fails the run before any step runs, naming the URL and the fix', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    useTracker(new MlflowExperimentTracker({ ...trackerTestConfig(), url, required: true }, 'down'));
    const error = await tracked.run({ stack: temp.stack }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; fix: string },
    );
    expect(error?.code).toBe('mlflow_unreachable');
    expect(error?.message).toContain(url);
    expect(error?.fix).toContain('strata experiment-tracker update down --url URL');
    const [latest] = await temp.stack.database.listRuns({ pipelineName: 'tracked', limit: 1 });
    expect(latest?.status).toBe('failed');
    expect(latest?.error).toContain('experiment tracker');
    const steps = await temp.stack.database.listStepRuns(latest!.id);
    expect(steps.every((s) => s.status === 'pending')).toBe(true);
  });

  it('a wrong token is refused with an error naming the URL, the operation and the fix, never the token', async () => {
    const tracker = new MlflowExperimentTracker(
      { ...trackerTestConfig(), token: 'wrong-token-value', required: true },
      'mlflow-test',
    );
    useTracker(tracker);
    const error = await tracked.run({ stack: temp.stack }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; fix: string },
    );
    expect(error?.code).toBe('mlflow_unauthorized');
    expect(error?.message).toBe(
      `MLflow at ${mlflowTestServer().url} refused look up experiment "tracked": HTTP 401 (the token was refused)`,
    );
    expect(error?.fix).toContain("--token '{{secret.mlflow.token}}'");
    expect(JSON.stringify(error)).not.toContain('wrong-token-value');
  });
});

describeExperimentTrackerContract('mlflow', async () => {
  const tracker = new MlflowExperimentTracker(trackerTestConfig({ experiment }), 'mlflow-contract');
  const statuses: Record<string, string> = { FINISHED: 'completed', FAILED: 'failed', KILLED: 'cancelled' };
  return {
    tracker,
    async read(run) {
      const got = await getRun(run.id);
      const metrics = Object.fromEntries((got.data.metrics ?? []).map((m) => [m.key, m.value]));
      return {
        status: statuses[got.info.status] ?? got.info.status,
        params: kv(got.data.params),
        metrics,
        tags: kv(got.data.tags),
      };
    },
    cleanup: async () => undefined,
  };
});
