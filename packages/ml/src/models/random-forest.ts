import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import type {
  HyperParameters,
  ModelAdapter,
  ModelAdapterFactory,
  ModelJSON,
  Target,
  Task,
} from './adapter.js';
import { assertFitted, hyperBoolean, hyperNumber, plainJson } from './adapter.js';
import { argMax, checkTrainingData, classListOf, encodeLabels, regressionTargets } from './classes.js';

type Forest = RandomForestClassifier | RandomForestRegression;

/**
 * Hyper-parameters: nEstimators (50), maxFeatures (fraction of features per tree, 0.8), seed (42),
 * maxDepth (unlimited), minNumSamples (3), useSampleBagging (true).
 */
class RandomForestAdapter implements ModelAdapter {
  readonly kind = 'random-forest';
  private forest: Forest | undefined;
  private hyper: HyperParameters = {};
  classes: string[] | undefined;

  constructor(readonly task: Task) {}

  async fit(
    X: readonly (readonly number[])[],
    y: readonly Target[],
    hyper: HyperParameters = {},
  ): Promise<void> {
    checkTrainingData(X, y);
    this.hyper = { ...hyper };
    const maxDepth = hyperNumber(hyper, 'maxDepth', 0);
    const options = {
      nEstimators: hyperNumber(hyper, 'nEstimators', 50),
      // ml-random-forest reads a number in (0, 1] as a fraction: keep at least one feature per tree.
      maxFeatures: Math.min(
        1,
        Math.max(hyperNumber(hyper, 'maxFeatures', 0.8), (1 + 1e-9) / (X[0]?.length ?? 1)),
      ),
      seed: hyperNumber(hyper, 'seed', 42),
      useSampleBagging: hyperBoolean(hyper, 'useSampleBagging', true),
      replacement: false,
      noOOB: true,
      treeOptions: {
        minNumSamples: hyperNumber(hyper, 'minNumSamples', 3),
        ...(maxDepth > 0 ? { maxDepth } : {}),
      },
    };
    const rows = X.map((row) => [...row]);
    if (this.task === 'classification') {
      this.classes = classListOf(y);
      const forest = new RandomForestClassifier(options);
      forest.train(rows, encodeLabels(y, this.classes));
      this.forest = forest;
    } else {
      const forest = new RandomForestRegression(options);
      forest.train(rows, regressionTargets(y));
      this.forest = forest;
    }
  }

  predict(X: readonly (readonly number[])[]): Target[] {
    if (this.task === 'classification') {
      const classes = assertFitted(this.classes, this.kind);
      return this.predictProba(X).map((p) => classes[argMax(p)]!);
    }
    const forest = assertFitted(this.forest, this.kind);
    return X.length === 0 ? [] : forest.predict(X.map((row) => [...row]));
  }

  /** The share of trees voting for each class. */
  predictProba(X: readonly (readonly number[])[]): number[][] {
    const forest = assertFitted(this.forest, this.kind);
    const classes = assertFitted(this.classes, this.kind);
    if (X.length === 0) return [];
    const votes = forest.predictionValues(X.map((row) => [...row]));
    const out: number[][] = [];
    for (let i = 0; i < votes.rows; i++) {
      const row = votes.getRow(i);
      const p = new Array<number>(classes.length).fill(0);
      for (const vote of row) p[vote]! += 1 / row.length;
      out.push(p);
    }
    return out;
  }

  toJSON(): ModelJSON {
    const forest = assertFitted(this.forest, this.kind);
    return {
      kind: this.kind,
      task: this.task,
      ...(this.classes ? { classes: [...this.classes] } : {}),
      hyper: this.hyper,
      state: plainJson(forest.toJSON()),
    };
  }

  static restore(json: ModelJSON): RandomForestAdapter {
    const adapter = new RandomForestAdapter(json.task);
    adapter.hyper = json.hyper;
    if (json.task === 'classification') {
      adapter.classes = [...(json.classes ?? [])];
      adapter.forest = RandomForestClassifier.load(
        json.state as Parameters<typeof RandomForestClassifier.load>[0],
      );
    } else {
      adapter.forest = RandomForestRegression.load(
        json.state as Parameters<typeof RandomForestRegression.load>[0],
      );
    }
    return adapter;
  }
}

export const randomForest: ModelAdapterFactory = {
  kind: 'random-forest',
  tasks: ['classification', 'regression'],
  create: (task) => new RandomForestAdapter(task),
  fromJSON: async (json) => RandomForestAdapter.restore(json),
};
