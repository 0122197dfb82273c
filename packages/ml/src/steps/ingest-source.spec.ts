import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, dataSourcesOf, pipeline } from '@strata/core';
import { useMlStack } from '@strata/testing';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../__fixtures__/datasets.js';
import { standardTraining } from './standard-training.js';

/**
 * Continuous training stands on this: rows appended to the training CSV are a miss for ingest (and so
 * for everything downstream), and the trained model's lineage names the data version it came from.
 */
describe('ingest reads a source', { timeout: 600_000 }, () => {
  const ml = useMlStack();
  const sha = (file: string) => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

  it('appending rows to the training CSV is an ingest miss naming the file; the model names its data version', async () => {
    const csv = join(ml.root, 'train.csv');
    copyFileSync(fixturePath('penguins.csv'), csv);
    const flow = pipeline({
      name: 'retrain',
      ...standardTraining({
        modelName: 'retrain',
        label: 'species',
        features: ['island', 'bill_length_mm', 'flipper_length_mm'],
        task: 'classification',
        defaults: { dataPath: csv, minImprovement: 0 },
        sliceColumns: ['island'],
        gate: { metric: 'accuracy', sliceTolerance: 1, absoluteThreshold: 0 },
      }),
    });
    const params = { hyperParameters: { nEstimators: 2, seed: 1 } };
    const runOnce = async () => {
      const run = await (await flow.run({ stack: ml.stack, params })).wait();
      const failed = (await ml.stack.database.listStepRuns(run.id)).filter((r) => r.error);
      expect(run.status, failed.map((r) => `${r.nodeId}: ${r.error}`).join('\n')).toBe('completed');
      return new Client(ml.stack).run(run.id);
    };
    const first = await runOnce();
    const firstDigest = sha(csv);
    expect((await runOnce()).step('ingest').status).toBe('cached');

    const lines = readFileSync(csv, 'utf8').trim().split('\n').slice(1, 51);
    appendFileSync(csv, `${lines.join('\n')}\n`);
    const third = await runOnce();
    const ingest = third.step('ingest');
    expect(ingest.status).toBe('completed');
    expect(ingest.cacheReason).toMatch(new RegExp(`^miss: source ${csv} changed \\(sha256 [0-9a-f]{8}… -> `));
    expect(third.step('train').status).toBe('completed');

    // Which data trained each model: the Client walks the lineage up to the source version.
    const model = async (run: typeof first) =>
      (await run.step('train').output('model').artifact()).dataSources();
    const before = await model(first);
    expect(before.map((d) => [d.uri, d.digest])).toEqual([[csv, firstDigest]]);
    const after = await model(third);
    expect(after.map((d) => [d.uri, d.digest])).toEqual([[csv, sha(csv)]]);
    expect(after[0]!.readBy).toBe(ingest.record.id);
    const artifact = (await third.step('train').output('model').artifact()).record;
    expect((await dataSourcesOf(ml.stack.database, artifact))[0]!.digest).not.toBe(firstDigest);
  });
});
