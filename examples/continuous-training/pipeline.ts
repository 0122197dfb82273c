/**
 * The training pipeline a new-data trigger starts: the standard ML pipeline (ingest -> statistics ->
 * schema -> validate -> transform -> train -> evaluate -> gate -> push) on every CSV in the watched
 * folder. The trigger passes the data version it saw as the `data` parameter
 * (`{ uri, digest, count, added, changed, removed }`); a run started any other way (by hand, or by the
 * model-health trigger after a rollback) trains on the folder as it is.
 */
import { pipeline } from '@strata/core';
import { steps } from '@strata/ml';
import { z } from 'zod';

export const MODEL = 'penguins';
export const LABEL = 'Species';
export const FEATURES = [
  'Island',
  'Beak Length (mm)',
  'Beak Depth (mm)',
  'Flipper Length (mm)',
  'Body Mass (g)',
];
/** The watched folder, relative to the project root (the agent starts runs there). */
export const INCOMING = 'incoming';

const standard = steps.standardTraining({
  modelName: MODEL,
  label: LABEL,
  features: FEATURES,
  task: 'classification',
  // minImprovement 0: a model trained on more data is promoted when it is at least as good.
  defaults: { dataPath: INCOMING, minImprovement: 0 },
  sliceColumns: ['Island'],
  // The plausible ranges of a penguin's measurements, stated rather than inferred: a range inferred
  // from one day's ~80 training rows is narrower than the next split's evaluation rows.
  schemaOverrides: {
    'Beak Length (mm)': { range: { min: 25, max: 70 } },
    'Beak Depth (mm)': { range: { min: 10, max: 25 } },
    'Flipper Length (mm)': { range: { min: 160, max: 240 } },
    'Body Mass (g)': { range: { min: 2000, max: 7000 } },
  },
  gate: { metric: 'accuracy', sliceTolerance: 0.1, absoluteThreshold: 0.8 },
});

const dataVersion = z.object({
  uri: z.string(),
  digest: z.string(),
  count: z.number().optional(),
  added: z.array(z.string()).default([]),
});

export const retrain = pipeline({
  name: 'retrain',
  params: standard.params.extend({ data: dataVersion.optional() }),
  body: ({ data, ...params }) => {
    // The trigger's uri is the watched folder: ingest reads every data file in it.
    standard.body({ ...params, dataPath: data?.uri ?? params.dataPath });
  },
});
