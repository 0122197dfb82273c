import type { Target } from './adapter.js';

/** The sorted distinct class names of some labels (numbers and booleans as their text). */
export function classListOf(labels: readonly Target[]): string[] {
  return [...new Set(labels.map(String))].sort();
}

/** Class indices of labels; throws on a label outside the class list. */
export function encodeLabels(labels: readonly Target[], classes: readonly string[]): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  return labels.map((label) => {
    const i = index.get(String(label));
    if (i === undefined)
      throw new Error(`Unknown class ${JSON.stringify(label)}; known: ${classes.join(', ')}`);
    return i;
  });
}

export function regressionTargets(labels: readonly Target[]): number[] {
  return labels.map((label) => {
    const value = typeof label === 'number' ? label : Number(label);
    if (!Number.isFinite(value)) throw new Error(`Regression label ${JSON.stringify(label)} is not a number`);
    return value;
  });
}

/** Index of the largest value (the first on ties). */
export function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

export function checkTrainingData(X: readonly (readonly number[])[], y: readonly Target[]): void {
  if (X.length === 0) throw new Error('Cannot fit a model on no rows');
  if (X.length !== y.length) throw new Error(`X has ${X.length} rows but y has ${y.length} labels`);
}
