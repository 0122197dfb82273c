import type { JsonValue, Stack } from '@strata/core';
import type { TriggerRecord } from '@strata/core/plugin';

/** One firing an evaluator wants: the store decides whether it happens (unique dedupe key). */
export interface FiringCandidate {
  readonly dedupeKey: string;
  readonly reason: string;
  readonly evidence: JsonValue;
  /** The trigger's cursor once this firing is claimed. */
  readonly cursor: JsonValue;
}

export interface Evaluation {
  readonly candidates: readonly FiringCandidate[];
  /** Move the cursor without firing (slots dropped by catch-up skip, a first look at a source). */
  readonly cursor?: JsonValue;
  /** Earliest time this trigger needs looking at again (epoch ms). */
  readonly nextCheck: number;
}

export interface EvaluationContext {
  readonly stack: Stack;
  readonly now: number;
  /** How late a schedule slot may fire and still be on time. */
  readonly graceMs: number;
  /** Per-trigger memory of this agent (parsed calendars, settling digests); dropped when the row changes. */
  readonly memo: Map<string, unknown>;
}

export type Evaluator = (trigger: TriggerRecord, context: EvaluationContext) => Promise<Evaluation>;
