/**
 * The same standard components on the cars data (regression): predict miles per gallon.
 * The gate compares RMSE (lower is better) with the production model's on the same eval rows.
 */
import { pipeline } from '@strata/core';
import { steps } from '@strata/ml';
import { z } from 'zod';
import { vegaDataFile } from './data.js';

export const MODEL = 'cars-mpg';
export const LABEL = 'Miles_per_Gallon';
export const FEATURES = [
  'Cylinders',
  'Displacement',
  'Horsepower',
  'Weight_in_lbs',
  'Acceleration',
  'Year',
  'Origin',
];

export const cars = pipeline({
  name: 'cars-regression',
  params: z.object({
    dataPath: z.string().default(vegaDataFile('cars.json')),
    limit: z.number().int().min(0).default(0),
    adapter: z.string().default('random-forest'),
    hyperParameters: z.record(z.string(), z.union([z.number(), z.boolean()])).default({ nEstimators: 25 }),
    /** RMSE must drop by at least this many mpg. */
    minImprovement: z.number().min(0).default(0.1),
  }),
  body: (p) => {
    const data = steps.ingest(undefined, {
      params: {
        path: p.dataPath,
        columns: [LABEL, ...FEATURES],
        requireColumns: [LABEL],
        evalFraction: 0.3,
        seed: 'cars',
        limit: p.limit,
      },
    });
    const { statistics } = steps.statistics({ data: data.train });
    const { schema } = steps.schema(
      { statistics },
      { params: { overrides: { Horsepower: { required: false } } } },
    );
    const { report } = steps.validate({ data: data.eval, reference: data.train, schema });
    const { transform } = steps.transform({ train: data.train }, { params: { label: LABEL } });
    const { model } = steps.train(
      { train: data.train, transform },
      {
        params: { adapter: p.adapter, task: 'regression', hyperParameters: p.hyperParameters },
        after: [report],
      },
    );
    const { evaluation } = steps.evaluate(
      { model, eval: data.eval },
      { params: { modelName: MODEL, sliceColumns: ['Origin'] } },
    );
    const { decision } = steps.gate(
      { evaluation },
      {
        params: {
          metric: 'rmse',
          higherIsBetter: false,
          minImprovement: p.minImprovement,
          sliceTolerance: 1.5,
          absoluteThreshold: 8,
        },
      },
    );
    steps.push({ model, evaluation, decision }, { params: { modelName: MODEL } });
  },
});
