export type Task = 'classification' | 'regression';

/** A label: a class name for classification, a number for regression. */
export type Target = string | number;

export type HyperValue = number | string | boolean | readonly number[];
export type HyperParameters = Readonly<Record<string, HyperValue>>;

/** A fitted model as plain JSON; `state` is the adapter's own format. */
export interface ModelJSON {
  readonly kind: string;
  readonly task: Task;
  /** Classification: class names, index i is class i. */
  readonly classes?: string[];
  readonly hyper: HyperParameters;
  readonly state: unknown;
}

/**
 * One learning algorithm behind the same small contract. Classification labels are strings the
 * adapter maps to class indices (it keeps the sorted class list); regression labels are numbers.
 */
export interface ModelAdapter {
  readonly kind: string;
  readonly task: Task;
  /** Classification: the class names after `fit` (index i is class i). */
  readonly classes: readonly string[] | undefined;
  fit(X: readonly (readonly number[])[], y: readonly Target[], hyper?: HyperParameters): Promise<void>;
  predict(X: readonly (readonly number[])[]): Target[];
  /** Classification: one row of class probabilities per input row, columns in `classes` order. */
  predictProba?(X: readonly (readonly number[])[]): number[][];
  toJSON(): ModelJSON;
  /** Tree models: how much each feature column contributed (e.g. share of split gain), summing to 1. */
  featureImportance?(): number[];
  /** Free native resources (tensors); the adapter is unusable afterwards. */
  dispose?(): void;
}

/** Makes and restores adapters of one kind. */
export interface ModelAdapterFactory {
  readonly kind: string;
  readonly tasks: readonly Task[];
  create(task: Task): ModelAdapter;
  fromJSON(json: ModelJSON): Promise<ModelAdapter>;
}

/** Read a numeric hyper-parameter, with a default and a clear error for a wrong type. */
export function hyperNumber(hyper: HyperParameters, name: string, fallback: number): number {
  const value = hyper[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`Hyper-parameter "${name}" must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function hyperNumbers(hyper: HyperParameters, name: string, fallback: readonly number[]): number[] {
  const value = hyper[name];
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`Hyper-parameter "${name}" must be a list of numbers, got ${JSON.stringify(value)}`);
  }
  return [...value];
}

export function hyperBoolean(hyper: HyperParameters, name: string, fallback: boolean): boolean {
  const value = hyper[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new Error(`Hyper-parameter "${name}" must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function assertFitted<T>(value: T | undefined, kind: string): T {
  if (value === undefined)
    throw new Error(`The ${kind} model is not fitted: call fit() or load it from JSON first`);
  return value;
}

/** Plain JSON copy of a library object (drops class instances, Infinity becomes null). */
export function plainJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
