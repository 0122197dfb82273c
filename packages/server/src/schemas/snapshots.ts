import { z } from 'zod';
import { Millis } from './common.js';

export const PipelineSnapshot = z
  .object({
    snapshotId: z.string(),
    runCount: z.number().int(),
    firstRunAt: Millis,
    lastRunAt: Millis,
  })
  .meta({
    id: 'PipelineSnapshot',
    description: 'a compiled version of a pipeline and how many runs used it',
  });
export type PipelineSnapshot = z.infer<typeof PipelineSnapshot>;
