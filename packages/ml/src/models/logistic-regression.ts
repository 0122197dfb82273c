import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import type { HyperParameters, ModelAdapter, ModelAdapterFactory, ModelJSON, Target } from './adapter.js';
import { assertFitted, hyperNumber } from './adapter.js';
import { argMax, checkTrainingData, classListOf, encodeLabels } from './classes.js';

interface LogisticState {
  readonly numSteps: number;
  readonly learningRate: number;
  /** Per class, the one-vs-all weights: intercept first, then one per feature. */
  readonly weights: number[][];
}

/**
 * One-vs-all logistic regression by batch gradient descent (ml-logistic-regression), with an
 * intercept added. Hyper-parameters: numSteps (1000), learningRate (0.5, applied to the mean
 * gradient, so it does not depend on the number of rows). Inputs should be scaled.
 */
class LogisticRegressionAdapter implements ModelAdapter {
  readonly kind = 'logistic-regression';
  readonly task = 'classification' as const;
  private model: LogisticRegression | undefined;
  private hyper: HyperParameters = {};
  private state: LogisticState | undefined;
  classes: string[] | undefined;

  async fit(
    X: readonly (readonly number[])[],
    y: readonly Target[],
    hyper: HyperParameters = {},
  ): Promise<void> {
    checkTrainingData(X, y);
    this.hyper = { ...hyper };
    const classes = classListOf(y);
    const numSteps = hyperNumber(hyper, 'numSteps', 1000);
    const learningRate = hyperNumber(hyper, 'learningRate', 0.5);
    const model = new LogisticRegression({ numSteps, learningRate: learningRate / X.length });
    model.train(withIntercept(X), Matrix.columnVector(encodeLabels(y, classes)));
    this.classes = classes;
    this.model = model;
    this.state = {
      numSteps,
      learningRate,
      weights: model.classifiers.map((c) => toRows(c.weights)),
    };
  }

  predict(X: readonly (readonly number[])[]): Target[] {
    const classes = assertFitted(this.classes, this.kind);
    return this.predictProba(X).map((p) => classes[argMax(p)]!);
  }

  /** One-vs-all scores normalised to sum to 1. */
  predictProba(X: readonly (readonly number[])[]): number[][] {
    const model = assertFitted(this.model, this.kind);
    if (X.length === 0) return [];
    const features = withIntercept(X);
    // The library trains each classifier with its own class as 0, so 1 - score is P(class).
    const perClass = model.classifiers.map((c) => c.testScores(features).map((notClass) => 1 - notClass));
    return X.map((_, i) => {
      const scores = perClass.map((column) => column[i]!);
      const total = scores.reduce((a, b) => a + b, 0);
      return scores.map((s) => (total > 0 ? s / total : 1 / scores.length));
    });
  }

  toJSON(): ModelJSON {
    const state = assertFitted(this.state, this.kind);
    return { kind: this.kind, task: this.task, classes: [...(this.classes ?? [])], hyper: this.hyper, state };
  }

  static restore(json: ModelJSON): LogisticRegressionAdapter {
    const state = json.state as LogisticState;
    const adapter = new LogisticRegressionAdapter();
    adapter.hyper = json.hyper;
    adapter.classes = [...(json.classes ?? [])];
    adapter.state = state;
    adapter.model = LogisticRegression.load({
      name: 'LogisticRegression',
      numSteps: state.numSteps,
      learningRate: state.learningRate,
      numberClasses: state.weights.length,
      classifiers: state.weights.map((w) => ({
        numSteps: state.numSteps,
        learningRate: state.learningRate,
        weights: [w],
      })),
    });
    return adapter;
  }
}

function withIntercept(X: readonly (readonly number[])[]): Matrix {
  return new Matrix(X.map((row) => [1, ...row]));
}

function toRows(weights: Matrix | number[][] | null): number[] {
  if (weights === null) throw new Error('logistic-regression: a classifier has no weights after training');
  const rows = Array.isArray(weights) ? weights : weights.to2DArray();
  return [...(rows[0] ?? [])];
}

export const logisticRegression: ModelAdapterFactory = {
  kind: 'logistic-regression',
  tasks: ['classification'],
  create: (task) => {
    if (task !== 'classification') {
      throw new Error(
        'logistic-regression does classification only; use random-forest or dense-network for regression',
      );
    }
    return new LogisticRegressionAdapter();
  },
  fromJSON: async (json) => LogisticRegressionAdapter.restore(json),
};
