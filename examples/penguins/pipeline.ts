/**
 * The standard Strata ML pipeline on the Palmer penguins (classification):
 * ingest -> statistics -> schema -> validate -> transform -> train -> evaluate -> gate -> push.
 * Serving the pushed model is `strata serve penguins@production` (see run.ts).
 */
import { pipeline } from '@strata/core';
import { steps } from '@strata/ml';
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
  ...steps.standardTraining({
    modelName: MODEL,
    label: LABEL,
    features: FEATURES,
    task: 'classification',
    defaults: { dataPath: vegaDataFile('penguins.json'), minImprovement: 0.01 },
    sliceColumns: ['Island'],
    gate: { metric: 'accuracy', sliceTolerance: 0.1, absoluteThreshold: 0.5 },
  }),
});
