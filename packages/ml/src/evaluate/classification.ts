import type { Target } from '../models/adapter.js';
import { type CodedOutcomes, codedClassificationMetrics } from './coded-classification.js';

export { binaryAuc } from './auc.js';

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
 * Accuracy, per-class and macro precision/recall/F1, one-vs-rest ROC AUC and the confusion matrix,
 * from JS values per row. Labels become class codes once (see `codedClassificationMetrics`, which
 * large evaluations call directly with codes read from the table and the model).
 */
export function classificationMetrics(
  actual: readonly Target[],
  predicted: readonly Target[],
  options: ClassificationOptions = {},
): ClassificationMetrics {
  return codedClassificationMetrics(encodeOutcomes(actual, predicted, options));
}

/**
 * Labels, predictions and per-row probabilities as codes and flat arrays (`codedClassificationMetrics`'s
 * input). Probabilities without `classes` are in sorted label order, as `classificationMetrics` documents;
 * a probability row shorter than the classes counts its missing values as 0.
 */
export function encodeOutcomes(
  actual: readonly Target[],
  predicted: readonly Target[],
  options: ClassificationOptions = {},
): CodedOutcomes {
  if (actual.length !== predicted.length) {
    throw new Error(`${actual.length} true labels but ${predicted.length} predictions`);
  }
  const n = actual.length;
  // Codes by text, in first-seen order (given classes first); labels equal as text are one class.
  const seenCode = new Map<Target, number>();
  const names: string[] = [];
  const byText = new Map<string, number>();
  const codeOf = (value: Target): number => {
    let code = seenCode.get(value);
    if (code === undefined) {
      const text = String(value);
      code = byText.get(text);
      if (code === undefined) {
        code = names.length;
        names.push(text);
        byText.set(text, code);
      }
      seenCode.set(value, code);
    }
    return code;
  };
  for (const c of options.classes ?? []) codeOf(c);
  const truth = new Int32Array(n);
  const guess = new Int32Array(n);
  for (let i = 0; i < n; i++) truth[i] = codeOf(actual[i]!);
  for (let i = 0; i < n; i++) guess[i] = codeOf(predicted[i]!);
  const rows = options.probabilities;
  if (!rows)
    return { names, truth, guess, ...(options.classes ? { classes: options.classes.map(String) } : {}) };
  if (rows.length !== n) throw new Error(`${n} true labels but ${rows.length} probability rows`);
  const classes = options.classes ? options.classes.map(String) : [...names].sort();
  const width = classes.length;
  const probabilities = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    for (let k = 0; k < width; k++) probabilities[i * width + k] = row[k] ?? 0;
  }
  return { names, truth, guess, classes, probabilities };
}
