import { round } from '../data/numeric.js';
import { binaryAuc } from './auc.js';
import type { ClassificationMetrics, ClassMetrics } from './classification.js';

/**
 * Classification outcomes as class codes in typed arrays: what the metrics read, with no JS value
 * per row. A 3M-row evaluation held as one label string, one prediction and one probability array
 * per row (and again per slice) took most of a gigabyte; as codes it is 4 bytes a row each, plus
 * 8 bytes a probability.
 */
export interface CodedOutcomes {
  /** The distinct class names (as text; no name twice). `truth` and `guess` index into it. */
  readonly names: readonly string[];
  /** Per row, the code of its true class. */
  readonly truth: Int32Array;
  /** Per row, the code of its predicted class. */
  readonly guess: Int32Array;
  /**
   * Class names reported even when no row has them, and the column order of `probabilities`; each
   * must be in `names`.
   */
  readonly classes?: readonly string[];
  /** Row-major, `classes.length` a row (enables ROC AUC; needs `classes`). */
  readonly probabilities?: Float64Array;
}

/**
 * Accuracy, per-class and macro precision/recall/F1, one-vs-rest ROC AUC and the confusion matrix
 * of the rows `rows` (ascending row numbers; default every row). The classes reported are `classes`
 * plus those that occur as truth or guess among these rows, sorted by name: a slice reports what
 * `classificationMetrics` reports for that slice's labels and predictions alone.
 */
export function codedClassificationMetrics(
  outcomes: CodedOutcomes,
  rows?: Int32Array,
): ClassificationMetrics {
  const { names, truth, guess, probabilities } = outcomes;
  if (truth.length !== guess.length) {
    throw new Error(`${truth.length} true labels but ${guess.length} predictions`);
  }
  if (probabilities && probabilities.length !== truth.length * (outcomes.classes?.length ?? 0)) {
    throw new Error(
      outcomes.classes?.length
        ? `${truth.length} rows but ${probabilities.length / outcomes.classes.length} probability rows`
        : 'probabilities need their classes (the column order)',
    );
  }
  const n = rows ? rows.length : truth.length;
  const codeOfName = new Map(names.map((name, code) => [name, code]));
  const used = new Uint8Array(names.length);
  for (const name of outcomes.classes ?? []) used[codeOf(codeOfName, name)] = 1;
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j]! : j;
    used[truth[i]!] = 1;
    used[guess[i]!] = 1;
  }
  const labels = names.filter((_, code) => used[code] === 1).sort();
  const rank = new Int32Array(names.length).fill(-1);
  labels.forEach((label, r) => {
    rank[codeOf(codeOfName, label)] = r;
  });
  const k = labels.length;
  const cells = new Float64Array(k * k);
  let correct = 0;
  const truthRank = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j]! : j;
    const t = rank[truth[i]!]!;
    const g = rank[guess[i]!]!;
    truthRank[j] = t;
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
    rocAuc: probabilities ? macroAuc(truthRank, labels, probabilities, outcomes.classes ?? [], rows) : null,
    perClass,
    confusionMatrix: { labels, matrix },
  };
}

function codeOf(codes: ReadonlyMap<string, number>, name: string): number {
  const code = codes.get(name);
  if (code === undefined) throw new Error(`The class "${name}" is not among the coded class names`);
  return code;
}

/** Macro one-vs-rest ROC AUC over the classes (probability columns) with both positives and negatives. */
function macroAuc(
  truthRank: Int32Array,
  labels: readonly string[],
  probabilities: Float64Array,
  classes: readonly string[],
  rows: Int32Array | undefined,
): number | null {
  const n = truthRank.length;
  const width = classes.length;
  const aucs: number[] = [];
  const scores = new Float64Array(n);
  const positives = new Uint8Array(n);
  classes.forEach((label, k) => {
    const code = labels.indexOf(label);
    for (let j = 0; j < n; j++) {
      const i = rows ? rows[j]! : j;
      scores[j] = probabilities[i * width + k]!;
      positives[j] = truthRank[j] === code ? 1 : 0;
    }
    const auc = binaryAuc(scores, positives);
    if (auc !== null) aucs.push(auc);
  });
  return aucs.length === 0 ? null : round(sum(aucs) / aucs.length);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
