import { type ArtifactKind, source } from '@strata/core';
import { z } from 'zod';
import { evaluate } from './evaluate.js';
import { gate, type gateParams } from './gate.js';
import { ingest } from './ingest.js';
import { push } from './push.js';
import { schema } from './schema.js';
import { statistics } from './statistics.js';
import { train } from './train.js';
import { transform } from './transform.js';
import { validate } from './validate.js';

export interface StandardTrainingOptions {
  /** The registry name the model is evaluated against and pushed to. */
  readonly modelName: string;
  /** The column to predict. */
  readonly label: string;
  /** The columns kept besides the label. */
  readonly features: readonly string[];
  readonly task: 'classification' | 'regression';
  /** Defaults of the run parameters `dataPath` and `minImprovement`. */
  readonly defaults: { readonly dataPath: string; readonly minImprovement: number };
  /** Share of the rows held out for validation and evaluation (default 0.3). */
  readonly evalFraction?: number;
  /** Seed of the hash split (default: ingest's). */
  readonly seed?: number | string;
  /**
   * Column types to force at ingest instead of inferring them from the first 65,536 rows, e.g.
   * `{ zip: 'categorical' }` (the ingest step's `columnTypes`; the fix a type change mid-file names).
   */
  readonly columnTypes?: Readonly<Record<string, 'numeric' | 'categorical' | 'boolean'>>;
  /** Edits of the inferred schema, e.g. `{ Horsepower: { required: false } }`. */
  readonly schemaOverrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Columns whose values slice the evaluation (and the gate's per-slice check); default none. */
  readonly sliceColumns?: readonly string[];
  /** The gate; its `minImprovement` is the run parameter of that name. */
  readonly gate: Omit<z.input<typeof gateParams>, 'minImprovement'>;
}

/** Every output of a standardTraining pipeline, by node, with its artifact kind (for integration checks). */
export const standardTrainingOutputs = {
  ingest: { train: 'table', eval: 'table', spans: 'json' },
  statistics: { statistics: 'json' },
  schema: { schema: 'json' },
  validate: { report: 'json' },
  transform: { transform: 'json' },
  train: { model: 'json' },
  evaluate: { evaluation: 'json' },
  gate: { decision: 'json' },
  push: { pushed: 'json' },
} as const satisfies Record<string, Record<string, ArtifactKind>>;

/**
 * The standard pipeline's default `hyperParameters`: 25 trees for the random forest (`auto` up to
 * 2,000 training rows); for gradient boosting above, at most 25 rounds (early stopping usually ends
 * a large fit near there). bench/tabular runs with these, so its figures are the pipeline's.
 */
export const STANDARD_HYPER_PARAMETERS = { nEstimators: 25 } as const;

/**
 * The standard pipeline on one tabular data set: ingest -> statistics -> schema -> validate ->
 * transform -> train (after validation) -> evaluate -> gate -> push. Returns the `params` and `body`
 * of a pipeline spec; call `pipeline()` in your own module, so that workers import that module:
 * `pipeline({ name: 'penguins', ...standardTraining({ ... }) })`.
 */
export function standardTraining(options: StandardTrainingOptions) {
  const params = z.object({
    dataPath: z.string().default(options.defaults.dataPath),
    /** Rows kept (0 = all): a small subset for fast tests. */
    limit: z.number().int().min(0).default(0),
    /** `auto`: random-forest up to 2,000 training rows, the gradient-boosted trees above (chooseAdapter). */
    adapter: z.string().default('auto'),
    hyperParameters: z
      .record(z.string(), z.union([z.number(), z.boolean()]))
      .default({ ...STANDARD_HYPER_PARAMETERS }),
    /** The gate's metric must beat production's by at least this much. */
    minImprovement: z.number().min(0).default(options.defaults.minImprovement),
  });
  const { modelName, label } = options;
  const body = (p: z.output<typeof params>): void => {
    // A source: appended rows or a new file are a cache miss, and lineage names the data version.
    const data = ingest(
      { data: source(p.dataPath) },
      {
        params: {
          columns: [label, ...options.features],
          requireColumns: [label],
          evalFraction: options.evalFraction ?? 0.3,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(options.columnTypes ? { columnTypes: { ...options.columnTypes } } : {}),
          limit: p.limit,
        },
      },
    );
    const { statistics: stats } = statistics({ data: data.train });
    const { schema: inferred } = schema(
      { statistics: stats },
      options.schemaOverrides ? { params: { overrides: { ...options.schemaOverrides } } } : {},
    );
    const { report } = validate({ data: data.eval, reference: data.train, schema: inferred });
    const { transform: fitted } = transform({ train: data.train }, { params: { label } });
    const { model } = train(
      { train: data.train, transform: fitted },
      {
        params: { adapter: p.adapter, task: options.task, hyperParameters: p.hyperParameters },
        after: [report],
      },
    );
    const { evaluation } = evaluate(
      { model, eval: data.eval },
      { params: { modelName, sliceColumns: [...(options.sliceColumns ?? [])] } },
    );
    const { decision } = gate(
      { evaluation },
      { params: { ...options.gate, minImprovement: p.minImprovement } },
    );
    push({ model, evaluation, decision }, { params: { modelName } });
  };
  return { params, body };
}
