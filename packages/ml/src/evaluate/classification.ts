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

/**
 * Accuracy, per-class and macro precision/recall/F1, one-vs-rest ROC AUC and the confusion matrix.
 * Labels become class codes once (typed arrays), so a million-row evaluation makes no string or
 * array per row beyond its inputs.
 */
export function classificationMetrics(
  actual: readonly Target[],
  predicted: readonly Target[],
  options: ClassificationOptions = {},
): ClassificationMetrics {
  if (actual.length !== predicted.length) {
    throw new Error(`${actual.length} true labels but ${predicted.length} predictions`);
  }
  const n = actual.length;
  // Codes in first-seen order (given classes first), then renumbered by sorted label.
  const seenCode = new Map<Target, number>();
  const seenLabels: string[] = [];
  const byText = new Map<string, number>();
  const codeOf = (value: Target): number => {
    let code = seenCode.get(value);
    if (code === undefined) {
      const text = String(value);
      code = byText.get(text);
      if (code === undefined) {
        code = seenLabels.length;
        seenLabels.push(text);
        byText.set(text, code);
      }
      seenCode.set(value, code);
    }
    return code;
  };
  for (const c of options.classes ?? []) codeOf(c);
  const truthSeen = new Int32Array(n);
  const guessSeen = new Int32Array(n);
  for (let i = 0; i < n; i++) truthSeen[i] = codeOf(actual[i]!);
  for (let i = 0; i < n; i++) guessSeen[i] = codeOf(predicted[i]!);
  const labels = [...seenLabels].sort();
  const rank = Int32Array.from(seenLabels, (label) => labels.indexOf(label));
  const k = labels.length;
  const cells = new Float64Array(k * k);
  let correct = 0;
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = rank[truthSeen[i]!]!;
    const g = rank[guessSeen[i]!]!;
    truth[i] = t;
    cells[t * k + g]!++;
    if (t === g) correct++;
  }
  const matrix = labels.map((_, t) => Array.from(cells.subarray(t * k, (t + 1) * k)));

  const perClass = labels.map((label, c): ClassMetrics => {
    const tp = matrix[c]![c]!;
    const support = sum(matrix[c]!);
    const predictedCount = sum(matrix.map((row) => row[c]!));
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { class: label, precision: round(precision), recall: round(recall), f1: round(f1), support };
  });
  // Macro averages over classes that occur in the true labels (as scikit-learn does when labels are inferred).
  const present = perClass.filter((c) => c.support > 0);
  const macro = (pick: (c: ClassMetrics) => number) =>
    present.length === 0 ? 0 : round(sum(present.map(pick)) / present.length);

  return {
    count: n,
    accuracy: n === 0 ? 0 : round(correct / n),
    macroPrecision: macro((c) => c.precision),
    macroRecall: macro((c) => c.recall),
    macroF1: macro((c) => c.f1),
    rocAuc: options.probabilities
      ? macroAuc(truth, labels, options.probabilities, options.classes ?? labels)
      : null,
    perClass,
    confusionMatrix: { labels, matrix },
  };
}

function macroAuc(
  truth: Int32Array,
  labels: readonly string[],
  probabilities: readonly (readonly number[])[],
  classes: readonly string[],
) {
  if (probabilities.length !== truth.length) {
    throw new Error(`${truth.length} true labels but ${probabilities.length} probability rows`);
  }
  const n = truth.length;
  const aucs: number[] = [];
  const scores = new Float64Array(n);
  const positives = new Uint8Array(n);
  classes.forEach((label, k) => {
    const code = labels.indexOf(String(label));
    for (let i = 0; i < n; i++) {
      scores[i] = probabilities[i]![k] ?? 0;
      positives[i] = truth[i] === code ? 1 : 0;
    }
    const auc = binaryAuc(scores, positives);
    if (auc !== null) aucs.push(auc);
  });
  return aucs.length === 0 ? null : round(sum(aucs) / aucs.length);
}

/**
 * ROC AUC as the Mann-Whitney U statistic (ties count half); null without both positives and
 * negatives. Every score and the positives' scores are sorted apart (typed arrays, native sort,
 * no comparator), then one walk gives each positive the average rank of its run of equal scores:
 * the same sum as ranking rows sorted by score, without sorting an index by a JS comparator (most
 * of a million-row evaluation's time).
 */
export function binaryAuc(scores: ArrayLike<number>, positives: ArrayLike<boolean | number>): number | null {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positives[i]) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const all = Float64Array.from(scores).sort();
  const positive = new Float64Array(nPos);
  for (let i = 0, p = 0; i < n; i++) if (positives[i]) positive[p++] = scores[i]!;
  positive.sort();
  let rankSumPositive = 0;
  let i = 0;
  let j = 0;
  while (j < nPos) {
    const v = positive[j]!;
    while (i < n && all[i]! < v) i++;
    let end = i;
    while (end < n && all[end] === v) end++;
    // Ranks i+1 .. end share the score v.
    const averageRank = (i + 1 + end) / 2;
    do {
      rankSumPositive += averageRank;
      j++;
    } while (j < nPos && positive[j] === v);
    i = end;
  }
  return (rankSumPositive - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
