import { z } from 'zod';

export const ServerInfo = z
  .object({
    version: z.string(),
    api: z.literal('v1'),
    database: z.enum(['sqlite', 'postgres']),
    auth: z.enum(['local', 'token']).meta({ description: 'local: loopback without tokens' }),
    principal: z.object({ name: z.string(), scope: z.enum(['read', 'write', 'admin']) }),
  })
  .meta({ id: 'ServerInfo' });
export type ServerInfo = z.infer<typeof ServerInfo>;
