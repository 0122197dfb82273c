/**
 * The same standard components on the cars data (regression): predict miles per gallon.
 * The gate compares RMSE (lower is better) with the production model's on the same eval rows.
 */
import { pipeline } from '@strata/core';
import { steps } from '@strata/ml';
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
  ...steps.standardTraining({
    modelName: MODEL,
    label: LABEL,
    features: FEATURES,
    task: 'regression',
    // RMSE must drop by at least 0.1 mpg.
    defaults: { dataPath: vegaDataFile('cars.json'), minImprovement: 0.1 },
    seed: 'cars',
    schemaOverrides: { Horsepower: { required: false } },
    sliceColumns: ['Origin'],
    gate: { metric: 'rmse', higherIsBetter: false, sliceTolerance: 1.5, absoluteThreshold: 8 },
  }),
});
