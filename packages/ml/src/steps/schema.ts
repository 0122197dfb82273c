import { step, t } from '@strata/core';
import { z } from 'zod';
import { type DatasetSchema, inferSchema, validateSchema } from '../data/schema.js';
import type { DatasetStatistics } from '../data/statistics.js';

/**
 * Infers the schema from statistics. `overrides` edits it per feature (e.g. widen a range, mark a
 * column optional); the result is a versioned JSON artifact like any other.
 */
export const schema = step({
  name: 'schema',
  inputs: { statistics: t.json<DatasetStatistics>() },
  outputs: { schema: t.json<DatasetSchema>() },
  params: z.object({
    maxDomainSize: z.number().int().min(1).default(50),
    /** Widens every inferred numeric range by this share of its width on each side (unseen but plausible values). */
    rangeSlack: z.number().min(0).default(0.1),
    overrides: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  }),
  run({ statistics }, { maxDomainSize, rangeSlack, overrides }) {
    const inferred = inferSchema(statistics, { maxDomainSize });
    const features = inferred.features.map((f) => {
      const slack = f.range ? (f.range.max - f.range.min) * rangeSlack : 0;
      const range = f.range ? { range: { min: f.range.min - slack, max: f.range.max + slack } } : {};
      return { ...f, ...range, ...(overrides[f.name] ?? {}) };
    });
    return { schema: validateSchema({ ...inferred, features }) };
  },
});
