import { z } from 'zod';
import { Millis } from './common.js';

const Reason = z.string().min(1).max(1000).meta({ description: 'why: recorded in the audit log' });

export const PromoteBody = z
  .object({
    version: z.number().int().min(1),
    alias: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('production'),
    reason: Reason.default('promoted through the API'),
    force: z
      .boolean()
      .default(false)
      .meta({ description: 'promote a version its evaluation gate did not bless (recorded as forced)' }),
  })
  .strict()
  .meta({ id: 'PromoteBody' });

export const RollbackBody = z
  .object({
    alias: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('production'),
    reason: Reason,
  })
  .strict()
  .meta({ id: 'RollbackBody' });

export const RunActionBody = z
  .object({ reason: Reason.default('through the API') })
  .strict()
  .meta({ id: 'RunActionBody' });

export const CancelResult = z.object({ runId: z.string(), status: z.string() }).meta({ id: 'CancelResult' });
export type CancelResult = z.infer<typeof CancelResult>;

export const ResumeResult = z
  .object({
    runId: z.string().meta({ description: 'the run being resumed' }),
    pid: z.number().int().meta({ description: 'the `strata runs resume` process' }),
  })
  .meta({ id: 'ResumeResult', description: 'the new run appears as a run event with resumedFrom = runId' });
export type ResumeResult = z.infer<typeof ResumeResult>;

export const AuditEntry = z
  .object({
    id: z.string(),
    at: Millis,
    actor: z.string(),
    tokenId: z.string().nullable(),
    action: z.string(),
    target: z.string(),
    reason: z.string(),
    outcome: z.string(),
    detail: z.unknown(),
    remote: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;
