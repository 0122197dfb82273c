import { describe, expect, it } from 'vitest';
import { classificationMetrics, encodeOutcomes } from './classification.js';
import { codedClassificationMetrics } from './coded-classification.js';

describe('codedClassificationMetrics', () => {
  const actual = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'a'];
  const predicted = ['a', 'c', 'b', 'a', 'a', 'b', 'b', 'a'];
  const probabilities = actual.map((_, i) => [((i * 7) % 10) / 10, ((i * 3) % 10) / 10, ((i * 5) % 10) / 10]);
  const classes = ['a', 'b', 'c', 'd'];

  it('over selected rows equals classificationMetrics of those rows alone', () => {
    const outcomes = encodeOutcomes(actual, predicted, { probabilities, classes });
    // Rows without class "c" among truth and guess: the slice reports the given classes and its own.
    for (const rows of [[0, 3, 7], [1, 2, 5], [0, 1, 2, 3, 4, 5, 6, 7], []]) {
      const pick = <T>(list: readonly T[]) => rows.map((i) => list[i]!);
      expect(codedClassificationMetrics(outcomes, Int32Array.from(rows))).toEqual(
        classificationMetrics(pick(actual), pick(predicted), { probabilities: pick(probabilities), classes }),
      );
    }
    expect(codedClassificationMetrics(outcomes)).toEqual(
      classificationMetrics(actual, predicted, { probabilities, classes }),
    );
  });

  it('reports only the classes present in a selection when none are given', () => {
    const outcomes = encodeOutcomes(actual, predicted);
    const slice = codedClassificationMetrics(outcomes, Int32Array.from([0, 3, 7]));
    expect(slice.confusionMatrix).toEqual({ labels: ['a'], matrix: [[3]] });
    expect(slice.accuracy).toBe(1);
  });

  it('names a probability array of the wrong size and a class missing from the names', () => {
    const truth = Int32Array.from([0, 1]);
    expect(() =>
      codedClassificationMetrics({
        names: ['a', 'b'],
        truth,
        guess: truth,
        classes: ['a', 'b'],
        probabilities: new Float64Array(3),
      }),
    ).toThrow(/2 rows but 1\.5 probability rows/);
    expect(() =>
      codedClassificationMetrics({ names: ['a', 'b'], truth, guess: truth, classes: ['a', 'z'] }),
    ).toThrow(/"z" is not among the coded class names/);
  });
});
