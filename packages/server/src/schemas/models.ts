import { z } from 'zod';
import { Json, Millis } from './common.js';

export const Model = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    createdAt: Millis,
    latestVersion: z.number().int(),
    aliases: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'Model' });
export type Model = z.infer<typeof Model>;

export const ModelVersion = z
  .object({
    model: z.string(),
    version: z.number().int(),
    artifactId: z.string(),
    runId: z.string().nullable(),
    metrics: Json,
    metadata: Json,
    createdAt: Millis,
  })
  .meta({ id: 'ModelVersion' });
export type ModelVersion = z.infer<typeof ModelVersion>;

export const AliasChange = z
  .object({
    model: z.string(),
    alias: z.string(),
    version: z.number().int(),
    previousVersion: z.number().int().nullable(),
    action: z.enum(['promote', 'rollback']),
    reason: z.string(),
    actor: z.string(),
    at: Millis,
  })
  .meta({ id: 'AliasChange' });
export type AliasChange = z.infer<typeof AliasChange>;

export const GateVerdict = z
  .object({
    state: z.enum(['blessed', 'not_blessed', 'not_gated']).meta({
      description: "the version's evaluation gate: not_gated when it was registered without one",
    }),
    reason: z.string().nullable().meta({ description: "the gate's reason, as recorded with the version" }),
  })
  .meta({ id: 'GateVerdict' });

export const Promotion = AliasChange.extend({
  gate: GateVerdict,
  forced: z
    .boolean()
    .meta({ description: 'the version was not blessed and "force": true promoted it anyway' }),
}).meta({ id: 'Promotion' });
export type Promotion = z.infer<typeof Promotion>;

export const ModelDetail = z
  .object({ model: Model, versions: z.array(ModelVersion), history: z.array(AliasChange) })
  .meta({ id: 'ModelDetail' });
export type ModelDetail = z.infer<typeof ModelDetail>;
