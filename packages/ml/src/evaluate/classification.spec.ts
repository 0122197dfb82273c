import { describe, expect, it } from 'vitest';
import { binaryAuc, classificationMetrics } from './classification.js';

describe('classificationMetrics', () => {
  it('matches scikit-learn on its documented macro example', () => {
    // sklearn: y_true=[0,1,2,0,1,2], y_pred=[0,2,1,0,0,1] -> macro precision 0.22, recall 0.33, f1 0.26
    const metrics = classificationMetrics(['a', 'b', 'c', 'a', 'b', 'c'], ['a', 'c', 'b', 'a', 'a', 'b']);
    expect(metrics.accuracy).toBeCloseTo(2 / 6, 10);
    expect(metrics.macroPrecision).toBeCloseTo(2 / 9, 10);
    expect(metrics.macroRecall).toBeCloseTo(1 / 3, 10);
    expect(metrics.macroF1).toBeCloseTo(0.8 / 3, 10);
    expect(metrics.perClass[0]).toEqual({
      class: 'a',
      precision: 0.666666666667,
      recall: 1,
      f1: 0.8,
      support: 2,
    });
    expect(metrics.confusionMatrix).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [2, 0, 0],
        [1, 0, 1],
        [0, 2, 0],
      ],
    });
    expect(metrics.rocAuc).toBeNull();
  });

  it('computes macro one-vs-rest ROC AUC from probabilities', () => {
    const perfect = classificationMetrics(['x', 'y', 'z'], ['x', 'y', 'z'], {
      classes: ['x', 'y', 'z'],
      probabilities: [
        [0.8, 0.1, 0.1],
        [0.2, 0.7, 0.1],
        [0.1, 0.3, 0.6],
      ],
    });
    expect(perfect.rocAuc).toBe(1);
    const inverted = classificationMetrics(['x', 'y'], ['y', 'x'], {
      classes: ['x', 'y'],
      probabilities: [
        [0.1, 0.9],
        [0.9, 0.1],
      ],
    });
    expect(inverted.rocAuc).toBe(0);
  });

  it('reports classes that were predicted but never true, and rejects length mismatches', () => {
    const metrics = classificationMetrics(['a', 'a'], ['a', 'b']);
    expect(metrics.perClass.map((c) => [c.class, c.support])).toEqual([
      ['a', 2],
      ['b', 0],
    ]);
    expect(metrics.macroRecall).toBe(0.5);
    expect(() => classificationMetrics(['a'], [])).toThrow(/1 true labels but 0 predictions/);
  });
});

describe('binaryAuc', () => {
  it('matches scikit-learn roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75 and handles ties', () => {
    expect(binaryAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(binaryAuc([0.5, 0.5], [false, true])).toBe(0.5);
    expect(binaryAuc([0.5, 0.7], [true, true])).toBeNull();
  });

  it('equals the pairwise definition on scores with many ties', () => {
    let seed = 3;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const n = 1500;
    const scores = Array.from({ length: n }, () => Math.round(random() * 40) / 40);
    const positives = scores.map((s) => random() < 0.3 + 0.4 * s);
    let wins = 0;
    let pairs = 0;
    for (let a = 0; a < n; a++) {
      if (!positives[a]) continue;
      for (let b = 0; b < n; b++) {
        if (positives[b]) continue;
        pairs++;
        wins += scores[a]! > scores[b]! ? 1 : scores[a] === scores[b] ? 0.5 : 0;
      }
    }
    expect(binaryAuc(scores, positives)).toBeCloseTo(wins / pairs, 12);
    expect(binaryAuc(Float64Array.from(scores), Uint8Array.from(positives, Number))).toBe(
      binaryAuc(scores, positives),
    );
  });
});
