import { step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { fitTransform, type TransformState } from '../features/transform.js';
import { defaultTransformSpec, validateTransformSpec } from '../features/transform-spec.js';

/**
 * Fits imputation, scaling and encoding on the training split only. The fitted state is an artifact;
 * the trainer stores it inside the model, so serving applies exactly the same transform.
 */
export const transform = step({
  name: 'transform',
  inputs: { train: t.table<Table>() },
  outputs: { transform: t.json<TransformState>() },
  params: z.object({
    label: z.string().min(1),
    /** A TransformSpec (`{ columns: { name: { impute, scale, encode } } }`); default: every column by type. */
    spec: z.unknown().optional(),
    /** Columns left out of the default spec (ids, free text). */
    exclude: z.array(z.string()).default([]),
  }),
  run({ train }, { label, spec, exclude }, ctx) {
    const chosen =
      spec === undefined ? defaultTransformSpec(train, { label, exclude }) : validateTransformSpec(spec);
    const state = fitTransform(train, chosen, { label });
    for (const column of state.columns) {
      const max = chosen.columns[column.name]?.maxCategories;
      if ('categories' in column && column.categories.length === max) {
        ctx.logger.info(
          `transform: "${column.name}" keeps its ${max} most frequent categories (maxCategories), the others encode as unknown; to change that, give the transform step a spec with maxCategories for "${column.name}", or leave the column out of the features`,
        );
      }
    }
    ctx.log({ features: state.featureNames.length });
    return { transform: state };
  },
});
