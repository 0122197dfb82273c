// ml-logistic-regression 2.0 ships no types; this covers what models/logistic-regression.ts uses.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  interface TwoClassModel {
    weights: Matrix | number[][] | null;
    /** Per row, the probability of NOT being this one-vs-all classifier's class (the library encodes its class as 0). */
    testScores(features: Matrix): number[];
  }

  interface LogisticRegressionJSON {
    name: 'LogisticRegression';
    numSteps: number;
    learningRate: number;
    numberClasses: number;
    classifiers: { numSteps: number; learningRate: number; weights: number[][] }[];
  }

  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    numberClasses: number;
    classifiers: TwoClassModel[];
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
    toJSON(): unknown;
    static load(model: LogisticRegressionJSON): LogisticRegression;
  }
}
