import { z } from 'zod';
import { Millis } from './common.js';

export const RunEventData = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  status: z.string(),
});
export const StepEventData = z.object({
  runId: z.string(),
  stepRunId: z.string(),
  nodeId: z.string(),
  status: z.string(),
});
export const LogEventData = z.object({
  runId: z.string(),
  stepRunId: z.string(),
  seq: z.number().int(),
  level: z.string(),
  message: z.string().meta({ description: 'at most 4 KiB; fetch the log for the whole line' }),
});
export const ModelEventData = z.object({
  model: z.string(),
  alias: z.string().nullable(),
  version: z.number().int(),
  action: z.string().meta({ description: 'register, promote or rollback' }),
});

export const StrataEvent = z
  .discriminatedUnion('type', [
    z.object({ id: z.string(), type: z.literal('run'), at: Millis, data: RunEventData }),
    z.object({ id: z.string(), type: z.literal('step'), at: Millis, data: StepEventData }),
    z.object({ id: z.string(), type: z.literal('log'), at: Millis, data: LogEventData }),
    z.object({ id: z.string(), type: z.literal('model'), at: Millis, data: ModelEventData }),
  ])
  .meta({
    id: 'StrataEvent',
    description: 'one Server-Sent Event of GET /events: `id` is the resume cursor (Last-Event-ID)',
  });
export type StrataEvent = z.infer<typeof StrataEvent>;
export type StrataEventType = StrataEvent['type'];
