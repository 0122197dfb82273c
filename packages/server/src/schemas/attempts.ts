import { z } from 'zod';
import { Millis } from './common.js';
import { StepStatus } from './steps.js';

export const StepAttempt = z
  .object({
    attempt: z.number().int().meta({ description: '1 for the first try' }),
    status: StepStatus.meta({ description: 'failed for every attempt a retry followed' }),
    startedAt: Millis.nullable(),
    endedAt: Millis.nullable(),
    error: z.string().nullable(),
    retryDelayMs: z.number().int().nullable().meta({ description: 'the wait before the next attempt' }),
  })
  .meta({ id: 'StepAttempt' });
export type StepAttempt = z.infer<typeof StepAttempt>;
