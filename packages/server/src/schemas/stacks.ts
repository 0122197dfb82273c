import { z } from 'zod';
import { Json, Millis } from './common.js';

export const Component = z
  .object({
    type: z.string(),
    name: z.string(),
    flavor: z.string(),
    config: Json.meta({
      description: 'secret references are replaced by "[secret]"; values are never returned',
    }),
    createdAt: Millis,
    updatedAt: Millis,
  })
  .meta({ id: 'Component' });
export type Component = z.infer<typeof Component>;

export const Stack = z
  .object({
    name: z.string(),
    components: z.record(z.string(), z.string()).meta({ description: 'component type -> component name' }),
    createdAt: Millis,
    updatedAt: Millis,
  })
  .meta({ id: 'Stack' });
export type Stack = z.infer<typeof Stack>;

export const StackDetail = z
  .object({ stack: Stack, components: z.array(Component) })
  .meta({ id: 'StackDetail' });
export type StackDetail = z.infer<typeof StackDetail>;
