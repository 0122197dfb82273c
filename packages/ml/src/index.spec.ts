import { describe, expect, it } from 'vitest';
import { fixturePath } from './__fixtures__/datasets.js';
import {
  computeStatistics,
  decide,
  detectDrift,
  evaluateModel,
  inferSchema,
  predictRows,
  readDataset,
  splitByHash,
  trainModel,
  validateDataset,
  validateSchema,
  validateTrainedModel,
} from './index.js';

describe('@strata/ml public API, end to end on penguins', () => {
  it('ingests, validates, splits, trains, evaluates, gates and serves with JSON in between', async () => {
    const { table, spans } = await readDataset(fixturePath('penguins.csv'));
    expect(spans).toHaveLength(1);

    // Every intermediate result is stored as JSON in a pipeline: round-trip each one here.
    const json = <T>(value: T): T => JSON.parse(JSON.stringify(value));
    const statistics = json(computeStatistics(table));
    const schema = validateSchema(json(inferSchema(statistics)));
    expect(validateDataset(table, schema).ok).toBe(true);

    const { train, eval: evalTable } = splitByHash(table, { evalFraction: 0.3, seed: 'e2e' });
    expect(detectDrift(train, evalTable, { psiThreshold: 0.5, ksPValueThreshold: 0.001 }).drifted).toEqual(
      [],
    );

    const bundle = validateTrainedModel(
      json(
        await trainModel({
          data: train,
          label: 'species',
          task: 'classification',
          adapter: 'random-forest',
          hyperParameters: { nEstimators: 15 },
        }),
      ),
    );
    const evaluation = json(await evaluateModel(bundle, evalTable, { sliceColumns: ['island'] }));
    const decision = decide({
      candidate: evaluation,
      metric: 'accuracy',
      higherIsBetter: true,
      absoluteThreshold: 0.9,
    });
    expect(decision.blessed).toBe(true);
    expect(decision.reason).toMatch(
      /^Blessed: there is no baseline to compare with; accuracy 0\.9\d+ reaches/,
    );

    const served = await predictRows(bundle, [
      {
        island: 'Dream',
        bill_length_mm: 49.5,
        bill_depth_mm: 19,
        flipper_length_mm: 200,
        body_mass_g: 3800,
        sex: 'MALE',
      },
    ]);
    expect(served.predictions).toEqual(['Chinstrap']);
  });
});
