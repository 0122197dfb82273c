import { step, t } from '@strata/core';
import { z } from 'zod';
import { decide, type GateDecision } from '../evaluate/gate.js';
import type { EvaluationReport } from './evaluate.js';

export const gateParams = z.object({
  /** A metric of the evaluation: accuracy, macroF1, rocAuc, rmse, mae, r2… */
  metric: z.string().min(1),
  higherIsBetter: z.boolean().default(true),
  minImprovement: z.number().min(0).default(0),
  sliceTolerance: z.number().min(0).default(0.05),
  absoluteThreshold: z.number().optional(),
  minSliceCount: z.number().int().min(1).default(5),
});

/** Blesses the candidate only if it beats the baseline (production) and no slice regresses; records why. */
export const gate = step({
  name: 'gate',
  inputs: { evaluation: t.json<EvaluationReport>() },
  outputs: { decision: t.json<GateDecision>() },
  params: gateParams,
  run({ evaluation }, params, ctx) {
    const decision = decide({
      candidate: evaluation.candidate,
      baseline: evaluation.baseline?.evaluation,
      metric: params.metric,
      higherIsBetter: params.higherIsBetter,
      minImprovement: params.minImprovement,
      sliceTolerance: params.sliceTolerance,
      minSliceCount: params.minSliceCount,
      ...(params.absoluteThreshold === undefined ? {} : { absoluteThreshold: params.absoluteThreshold }),
    });
    ctx.log({ blessed: decision.blessed, reason: decision.reason }, { output: 'decision' });
    // On the step run too: core alerts `gate_refused` for a step of a finished run that logged blessed: false.
    ctx.log({ blessed: decision.blessed, reason: decision.reason });
    ctx.logger.info(decision.reason); // "Blessed: …" or "Not blessed: …"
    return { decision };
  },
});
