/**
 * The quickstart: a real, small ML pipeline on the Palmer penguins data.
 * load -> split -> train (random forest) -> evaluate. Run it twice: the second run is fully cached.
 * The data is a declared source: edit data/penguins.json and `load_penguins` runs again.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pipeline, source, step, t, z } from '@strata/core';
import { RandomForestClassifier } from 'ml-random-forest';

export interface Penguin {
  species: string;
  features: number[];
}

/**
 * The data file beside this module (a copy of the one the vega-datasets package ships). An absolute
 * path, so the pipeline finds it from any project: the Docker, Temporal and object-store specs run
 * this same pipeline in projects of their own.
 */
export const penguinsFile: string = fileURLToPath(new URL('./data/penguins.json', import.meta.url));

const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;

export const loadPenguins = step({
  name: 'load_penguins',
  // A source input: the file is fingerprinted before the step runs, so a changed file is a cache miss.
  inputs: { data: t.file() },
  outputs: { rows: t.json<Penguin[]>() },
  async run({ data }, _params, ctx) {
    const raw = JSON.parse(await readFile(data.path, 'utf8')) as Record<string, unknown>[];
    const rows = raw
      .filter((r) => FEATURES.every((f) => typeof r[f] === 'number'))
      .map((r) => ({ species: String(r.Species), features: FEATURES.map((f) => r[f] as number) }));
    ctx.logger.info(`loaded ${rows.length} penguins with complete measurements`);
    return { rows };
  },
});

export const split = step({
  name: 'split',
  inputs: { rows: t.json<Penguin[]>() },
  outputs: { train: t.json<Penguin[]>(), test: t.json<Penguin[]>() },
  params: z.object({ testFraction: z.number().gt(0).lt(1).default(0.25) }),
  run({ rows }, { testFraction }) {
    // Deterministic: every k-th row goes to the test set, so reruns see identical data.
    const every = Math.round(1 / testFraction);
    return {
      train: rows.filter((_, i) => i % every !== 0),
      test: rows.filter((_, i) => i % every === 0),
    };
  },
});

export const train = step({
  name: 'train',
  inputs: { train: t.json<Penguin[]>() },
  outputs: { model: t.json<{ classes: string[]; forest: unknown }>() },
  params: z.object({ trees: z.number().int().min(1).default(25), seed: z.number().int().default(42) }),
  run({ train }, { trees, seed }, ctx) {
    const classes = [...new Set(train.map((r) => r.species))].sort();
    // A finite maxDepth keeps the model JSON-serializable (the default is Infinity).
    const forest = new RandomForestClassifier({
      nEstimators: trees,
      seed,
      maxFeatures: 0.8,
      replacement: true,
      // Out-of-bag scoring is unused here, and ml-random-forest's fails ("input must not be empty") when a
      // small forest leaves some row in no tree's out-of-bag sample (e.g. --param trees=10).
      noOOB: true,
      treeOptions: { maxDepth: 12 },
    });
    forest.train(
      train.map((r) => r.features),
      train.map((r) => classes.indexOf(r.species)),
    );
    ctx.log({ trees, trainRows: train.length });
    return { model: { classes, forest: forest.toJSON() } };
  },
});

export const evaluate = step({
  name: 'evaluate',
  inputs: { model: t.json<{ classes: string[]; forest: unknown }>(), test: t.json<Penguin[]>() },
  outputs: { accuracy: t.number() },
  run({ model, test }, _params, ctx) {
    const forest = RandomForestClassifier.load(model.forest as never);
    const predicted = forest.predict(test.map((r) => r.features));
    const correct = predicted.filter((p, i) => model.classes[p] === test[i]!.species).length;
    const accuracy = correct / test.length;
    ctx.log({ accuracy }, { output: 'accuracy' });
    return { accuracy };
  },
});

export const quickstart = pipeline({
  name: 'quickstart',
  params: z.object({
    trees: z.number().int().min(1).default(25),
    /** The data file: absolute, or relative to the project root. */
    data: z.string().default(penguinsFile),
  }),
  body({ trees, data }) {
    const { rows } = loadPenguins({ data: source(data) });
    const sets = split({ rows });
    const { model } = train({ train: sets.train }, { params: { trees } });
    evaluate({ model, test: sets.test });
  },
});
