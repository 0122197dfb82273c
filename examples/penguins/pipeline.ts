/**
 * The standard Strata ML pipeline on the Palmer penguins (classification):
 * ingest -> statistics -> schema -> validate -> transform -> train -> evaluate -> gate -> push.
 * Serving the pushed model is `strata serve penguins@production` (see run.ts).
 */
import { pipeline } from '@strata/core';
import { steps } from '@strata/ml';
import { z } from 'zod';
import { vegaDataFile } from './data.js';

export const MODEL = 'penguins';
export const LABEL = 'Species';
export const FEATURES = [
  'Island',
  'Beak Length (mm)',
  'Beak Depth (mm)',
  'Flipper Length (mm)',
  'Body Mass (g)',
];

export const penguins = pipeline({
  name: 'penguins',
  params: z.object({
    dataPath: z.string().default(vegaDataFile('penguins.json')),
    /** Rows kept (0 = all): a small subset for fast tests. */
    limit: z.number().int().min(0).default(0),
    adapter: z.string().default('random-forest'),
    hyperParameters: z.record(z.string(), z.union([z.number(), z.boolean()])).default({ nEstimators: 25 }),
    minImprovement: z.number().min(0).default(0.01),
  }),
  body: (p) => {
    const data = steps.ingest(undefined, {
      params: {
        path: p.dataPath,
        columns: [LABEL, ...FEATURES],
        requireColumns: [LABEL],
        evalFraction: 0.3,
        limit: p.limit,
      },
    });
    const { statistics } = steps.statistics({ data: data.train });
    const { schema } = steps.schema({ statistics });
    const { report } = steps.validate({ data: data.eval, reference: data.train, schema });
    const { transform } = steps.transform({ train: data.train }, { params: { label: LABEL } });
    const { model } = steps.train(
      { train: data.train, transform },
      {
        params: { adapter: p.adapter, task: 'classification', hyperParameters: p.hyperParameters },
        after: [report],
      },
    );
    const { evaluation } = steps.evaluate(
      { model, eval: data.eval },
      { params: { modelName: MODEL, sliceColumns: ['Island'] } },
    );
    const { decision } = steps.gate(
      { evaluation },
      {
        params: {
          metric: 'accuracy',
          minImprovement: p.minImprovement,
          sliceTolerance: 0.1,
          absoluteThreshold: 0.5,
        },
      },
    );
    steps.push({ model, evaluation, decision }, { params: { modelName: MODEL } });
  },
});
