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
    overrides: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  }),
  run({ statistics }, { maxDomainSize, overrides }) {
    const inferred = inferSchema(statistics, { maxDomainSize });
    const features = inferred.features.map((f) => ({ ...f, ...(overrides[f.name] ?? {}) }));
    return { schema: validateSchema({ ...inferred, features }) };
  },
});
