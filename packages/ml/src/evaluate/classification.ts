import { round } from '../data/numeric.js';
import type { Target } from '../models/adapter.js';

export interface ClassMetrics {
  readonly class: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows whose true class is this one. */
  readonly support: number;
}

export interface ClassificationMetrics {
  readonly count: number;
  readonly accuracy: number;
  readonly macroPrecision: number;
  readonly macroRecall: number;
  readonly macroF1: number;
  /** Macro average of one-vs-rest ROC AUC over classes that have both positives and negatives; null without probabilities. */
  readonly rocAuc: number | null;
  readonly perClass: ClassMetrics[];
  /** `matrix[i][j]`: rows of true class `labels[i]` predicted as `labels[j]`. */
  readonly confusionMatrix: { readonly labels: string[]; readonly matrix: number[][] };
}

export interface ClassificationOptions {
  /** Per row, class probabilities in `classes` order (enables ROC AUC). */
  readonly probabilities?: readonly (readonly number[])[];
  /** The class order of `probabilities`, and classes to report even when absent from the labels. */
  readonly classes?: readonly string[];
}

/** Accuracy, per-class and macro precision/recall/F1, one-vs-rest ROC AUC and the confusion matrix. */
export function classificationMetrics(
  actual: readonly Target[],
  predicted: readonly Target[],
  options: ClassificationOptions = {},
): ClassificationMetrics {
  if (actual.length !== predicted.length) {
    throw new Error(`${actual.length} true labels but ${predicted.length} predictions`);
  }
  const truth = actual.map(String);
  const guess = predicted.map(String);
  // Added one by one, not spread into one array: at 2M eval rows that array was 4M entries.
  const seen = new Set<string>(options.classes ?? []);
  for (const t of truth) seen.add(t);
  for (const g of guess) seen.add(g);
  const labels = [...seen].sort();
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  truth.forEach((t, i) => {
    matrix[index.get(t)!]![index.get(guess[i]!)!]! += 1;
  });

  const perClass = labels.map((label, k): ClassMetrics => {
    const tp = matrix[k]![k]!;
    const support = sum(matrix[k]!);
    const predictedCount = sum(matrix.map((row) => row[k]!));
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { class: label, precision: round(precision), recall: round(recall), f1: round(f1), support };
  });
  // Macro averages over classes that occur in the true labels (as scikit-learn does when labels are inferred).
  const present = perClass.filter((c) => c.support > 0);
  const macro = (pick: (c: ClassMetrics) => number) =>
    present.length === 0 ? 0 : round(sum(present.map(pick)) / present.length);
  const correct = truth.filter((t, i) => t === guess[i]).length;

  return {
    count: truth.length,
    accuracy: truth.length === 0 ? 0 : round(correct / truth.length),
    macroPrecision: macro((c) => c.precision),
    macroRecall: macro((c) => c.recall),
    macroF1: macro((c) => c.f1),
    rocAuc: options.probabilities ? macroAuc(truth, options.probabilities, options.classes ?? labels) : null,
    perClass,
    confusionMatrix: { labels, matrix },
  };
}

function macroAuc(
  truth: readonly string[],
  probabilities: readonly (readonly number[])[],
  classes: readonly string[],
) {
  if (probabilities.length !== truth.length) {
    throw new Error(`${truth.length} true labels but ${probabilities.length} probability rows`);
  }
  const aucs: number[] = [];
  classes.forEach((label, k) => {
    const scores = probabilities.map((p) => p[k] ?? 0);
    const positives = truth.map((t) => t === label);
    const auc = binaryAuc(scores, positives);
    if (auc !== null) aucs.push(auc);
  });
  return aucs.length === 0 ? null : round(sum(aucs) / aucs.length);
}

/** ROC AUC as the Mann-Whitney U statistic (ties count half); null without both positives and negatives. */
export function binaryAuc(scores: readonly number[], positives: readonly boolean[]): number | null {
  // Row numbers sorted by score (a typed array, not an object per row: at 2M eval rows those
  // objects were most of evaluation's memory). Within a run of equal scores every positive adds
  // the same average rank, so the order inside a run does not change the sum.
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]! || a - b);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positives[i]) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  let rankSumPositive = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && scores[order[j]!] === scores[order[i]!]) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (positives[order[k]!]) rankSumPositive += averageRank;
    i = j;
  }
  return (rankSumPositive - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
