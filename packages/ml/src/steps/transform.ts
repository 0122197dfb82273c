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
    ctx.log({ features: state.featureNames.length });
    return { transform: state };
  },
});
