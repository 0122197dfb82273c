import { StrataError, step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { type DriftResult, detectDrift } from '../data/drift.js';
import type { DatasetSchema } from '../data/schema.js';
import { type ValidationResult, validateDataset } from '../data/validate.js';

export interface ValidationReport {
  readonly anomalies: ValidationResult;
  /** Drift (skew) of `data` against `reference`. */
  readonly drift: DriftResult;
  /** True when nothing the configured mode treats as fatal was found. */
  readonly ok: boolean;
}

export const validateParams = z.object({
  /** `fail` ends the run on an error-severity anomaly (or drift, with driftAction fail); `warn` only records it. */
  mode: z.enum(['fail', 'warn']).default('fail'),
  driftAction: z.enum(['fail', 'warn']).default('warn'),
  psiThreshold: z.number().positive().default(0.2),
  /** 0 turns the KS test off. */
  ksPValueThreshold: z.number().min(0).max(1).default(0),
  missingRateTolerance: z.number().min(0).max(1).default(0.05),
  /** Features compared for drift (default all of the reference's). */
  driftFeatures: z.array(z.string()).optional(),
});

/** Anomalies of `data` against the schema, and drift/skew of `data` against `reference` (PSI, KS). */
export const validate = step({
  name: 'validate',
  inputs: { data: t.table<Table>(), reference: t.table<Table>(), schema: t.json<DatasetSchema>() },
  outputs: { report: t.json<ValidationReport>() },
  params: validateParams,
  run({ data, reference, schema }, params, ctx) {
    const anomalies = validateDataset(data, schema, { missingRateTolerance: params.missingRateTolerance });
    const drift = detectDrift(reference, data, {
      psiThreshold: params.psiThreshold,
      ksPValueThreshold: params.ksPValueThreshold,
      ...(params.driftFeatures ? { features: params.driftFeatures } : {}),
    });
    for (const a of anomalies.anomalies) ctx.logger.warn(`${a.severity}: ${a.column}: ${a.detail}`);
    for (const f of drift.features.filter((x) => x.drifted))
      ctx.logger.warn(`drift: ${f.name}: ${f.reasons.join('; ')}`);
    const anomalyFatal = params.mode === 'fail' && !anomalies.ok;
    const driftFatal = params.mode === 'fail' && params.driftAction === 'fail' && drift.drifted.length > 0;
    ctx.log({
      anomalies: anomalies.anomalies.length,
      errors: anomalies.anomalies.filter((a) => a.severity === 'error').length,
      drifted: drift.drifted,
    });
    if (anomalyFatal || driftFatal) {
      const first = anomalies.anomalies.find((a) => a.severity === 'error');
      throw new StrataError(
        first
          ? `data validation failed: ${first.column}: ${first.detail}`
          : `data drift in ${drift.drifted.join(', ')} exceeds the thresholds`,
        {
          code: 'data_validation_failed',
          field: first?.column ?? drift.drifted[0] ?? 'data',
          value: first?.kind ?? 'drift',
          fix: 'fix the data, edit the schema (schema step overrides), or set mode/driftAction to "warn"',
        },
      );
    }
    return { report: { anomalies, drift, ok: !anomalyFatal && !driftFatal } };
  },
});
