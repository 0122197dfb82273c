import { z } from 'zod';
import type { Dataset } from '../data/table.js';
import { columnNames, columnTypes, toTable } from '../data/table.js';

const columnTransformSpec = z
  .object({
    /** Override the column's type (default: its type in the training data). */
    type: z.enum(['numeric', 'categorical', 'boolean']).optional(),
    /** How to fill missing values. Default mean for numerics, mode otherwise. */
    impute: z.enum(['mean', 'median', 'mode', 'constant']).optional(),
    /** The value for impute "constant". */
    fillValue: z.union([z.number(), z.string(), z.boolean()]).optional(),
    /** Numerics only. Default standard. */
    scale: z.enum(['standard', 'minmax', 'none']).optional(),
    /** Categoricals only. Default onehot. */
    encode: z.enum(['onehot', 'ordinal']).optional(),
    /** Categoricals only: keep the most frequent N categories, the rest count as unknown. */
    maxCategories: z.number().int().positive().optional(),
  })
  .refine((c) => c.impute !== 'constant' || c.fillValue !== undefined, {
    message: 'impute "constant" needs a fillValue',
  });

const transformSpec = z.object({ columns: z.record(z.string(), columnTransformSpec) });

export type ColumnTransformSpec = z.infer<typeof columnTransformSpec>;
/** Which columns become features and how: plain JSON, stored with the run. */
export type TransformSpec = z.infer<typeof transformSpec>;

export function validateTransformSpec(value: unknown): TransformSpec {
  const result = transformSpec.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Invalid transform spec: ${problems.join('; ')}`);
  }
  return result.data;
}

export interface DefaultSpecOptions {
  /** The label column, left out of the features. */
  readonly label: string;
  /** Other columns to leave out (ids, free text). */
  readonly exclude?: readonly string[];
}

/**
 * The default spec's one-hot width per categorical column: its most frequent categories, the rest
 * encoded as unknown (all zeros). Without it an id-like text column (tens of thousands of distinct
 * values) became as many features: a matrix of rows x categories that could not even be allocated.
 */
export const DEFAULT_MAX_CATEGORIES = 100;

/** Every column except the label and `exclude` with the default treatment for its type. */
export function defaultTransformSpec(data: Dataset, options: DefaultSpecOptions): TransformSpec {
  const table = toTable(data);
  const types = columnTypes(table);
  const skip = new Set([options.label, ...(options.exclude ?? [])]);
  const columns: Record<string, ColumnTransformSpec> = {};
  for (const name of columnNames(table)) {
    if (skip.has(name)) continue;
    const type = types[name];
    columns[name] =
      type === 'numeric'
        ? { impute: 'mean', scale: 'standard' }
        : type === 'categorical'
          ? { impute: 'mode', encode: 'onehot', maxCategories: DEFAULT_MAX_CATEGORIES }
          : { impute: 'mode' };
  }
  return { columns };
}
