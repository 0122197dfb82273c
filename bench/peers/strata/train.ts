/**
 * (d) load -> split -> train -> evaluate on the penguins CSV (packages/ml/src/__fixtures__/penguins.csv),
 * a random forest from ml-random-forest with the same hyperparameters as the Python peers' scikit-learn
 * forest (25 trees, depth 12, 80 % of the features per split, bootstrap, seed 42).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pipeline, step, t } from '../../../packages/core/dist/index.js';

/** The part of ml-random-forest used here (its own types are an ambient module declaration). */
interface Forest {
  RandomForestClassifier: {
    new (options: Record<string, unknown>): { train(x: number[][], y: number[]): void; toJSON(): unknown };
    load(model: unknown): { predict(x: number[][]): number[] };
  };
}
// bench/ is not a package: take ml-random-forest from @strata/ml's dependencies.
const { RandomForestClassifier } = createRequire(
  new URL('../../../packages/ml/package.json', import.meta.url),
)('ml-random-forest') as Forest;

const CSV = fileURLToPath(new URL('../../../packages/ml/src/__fixtures__/penguins.csv', import.meta.url));
const FEATURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const;

interface Row {
  species: string;
  features: number[];
}

const load = step({
  name: 'load',
  outputs: { rows: t.json<Row[]>() },
  async run() {
    const [header, ...lines] = (await readFile(CSV, 'utf8')).trim().split('\n');
    const columns = header!.split(',');
    const at = FEATURES.map((f) => columns.indexOf(f));
    const species = columns.indexOf('species');
    const rows: Row[] = [];
    for (const line of lines) {
      const cells = line.split(',');
      if (at.some((i) => cells[i] === '' || cells[i] === undefined)) continue;
      rows.push({ species: cells[species]!, features: at.map((i) => Number(cells[i])) });
    }
    return { rows };
  },
});

const split = step({
  name: 'split',
  inputs: { rows: t.json<Row[]>() },
  outputs: { train: t.json<Row[]>(), test: t.json<Row[]>() },
  // Deterministic, as in the other pipelines: every 4th row is a test row.
  run: ({ rows }) => ({
    train: rows.filter((_, i) => i % 4 !== 0),
    test: rows.filter((_, i) => i % 4 === 0),
  }),
});

const train = step({
  name: 'train',
  inputs: { train: t.json<Row[]>() },
  outputs: { model: t.json<{ classes: string[]; forest: unknown }>() },
  run({ train }) {
    const classes = [...new Set(train.map((r) => r.species))].sort();
    const forest = new RandomForestClassifier({
      nEstimators: 25,
      seed: 42,
      maxFeatures: 0.8,
      replacement: true,
      treeOptions: { maxDepth: 12 },
    });
    forest.train(
      train.map((r) => r.features),
      train.map((r) => classes.indexOf(r.species)),
    );
    return { model: { classes, forest: forest.toJSON() } };
  },
});

const evaluate = step({
  name: 'evaluate',
  inputs: { model: t.json<{ classes: string[]; forest: unknown }>(), test: t.json<Row[]>() },
  outputs: { accuracy: t.number() },
  run({ model, test }) {
    const predicted = RandomForestClassifier.load(model.forest as never).predict(test.map((r) => r.features));
    const accuracy = predicted.filter((p, i) => model.classes[p] === test[i]!.species).length / test.length;
    console.log(`accuracy=${accuracy.toFixed(4)}`);
    return { accuracy };
  },
});

export const benchTrain = pipeline({
  name: 'bench_train',
  body: () => {
    const { rows } = load();
    const sets = split({ rows });
    const { model } = train({ train: sets.train });
    evaluate({ model, test: sets.test });
  },
});
