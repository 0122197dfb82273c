import { z } from 'zod';
import type { DatasetStatistics, FeatureStatistics } from './statistics.js';

const range = z.object({ min: z.number(), max: z.number() }).refine((r) => r.min <= r.max, {
  message: 'range.min must not exceed range.max',
});

const featureSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['numeric', 'categorical', 'boolean']),
  /** Whether every row must have a value. */
  required: z.boolean(),
  /** Share of missing values seen when the schema was inferred; validation flags a jump above it. */
  missingRate: z.number().min(0).max(1),
  /** Numeric features: allowed values, inclusive. */
  range: range.optional(),
  /** Categorical features: the allowed values; absent means any value is allowed. */
  domain: z.array(z.string()).optional(),
});

const datasetSchema = z
  .object({
    version: z.literal(1),
    features: z.array(featureSchema),
  })
  .refine((s) => new Set(s.features.map((f) => f.name)).size === s.features.length, {
    message: 'feature names must be unique',
  });

export type FeatureSchema = z.infer<typeof featureSchema>;
/** The expected shape of a dataset: plain JSON that users may edit and check in. */
export type DatasetSchema = z.infer<typeof datasetSchema>;

export interface InferSchemaOptions {
  /** Categorical features with more distinct values than this get no domain (free text, ids). Default 50. */
  readonly maxDomainSize?: number;
}

/**
 * Infer a schema from statistics: each feature's type, required when nothing was missing, the
 * observed range of numerics and the observed values of categoricals (when the top values cover
 * them all and there are at most `maxDomainSize`).
 */
export function inferSchema(statistics: DatasetStatistics, options: InferSchemaOptions = {}): DatasetSchema {
  const maxDomainSize = options.maxDomainSize ?? 50;
  return {
    version: 1,
    features: Object.values(statistics.features).map((stats) => inferFeature(stats, maxDomainSize)),
  };
}

function inferFeature(stats: FeatureStatistics, maxDomainSize: number): FeatureSchema {
  const base: FeatureSchema = {
    name: stats.name,
    type: stats.type,
    required: stats.missing === 0,
    missingRate: stats.missingRate,
  };
  if (stats.type === 'numeric' && stats.min !== null && stats.max !== null) {
    return { ...base, range: { min: stats.min, max: stats.max } };
  }
  if (
    stats.type === 'categorical' &&
    stats.distinct > 0 &&
    stats.distinct <= maxDomainSize &&
    stats.topValues.length === stats.distinct
  ) {
    return { ...base, domain: stats.topValues.map((v) => v.value).sort() };
  }
  return base;
}

/** Check that a value (for example a schema file a user edited) is a valid schema; errors name the path. */
export function validateSchema(value: unknown): DatasetSchema {
  const result = datasetSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Invalid dataset schema: ${problems.join('; ')}`);
  }
  return result.data;
}

export function schemaFeature(schema: DatasetSchema, name: string): FeatureSchema | undefined {
  return schema.features.find((f) => f.name === name);
}
