import { z } from 'zod';
import { Json, Millis } from './common.js';
import { StepRun } from './steps.js';

export const Artifact = z
  .object({
    id: z.string(),
    uri: z.string(),
    storeIdentity: z.string(),
    sha256: z.string(),
    size: z.number(),
    kind: z.string(),
    materializer: z.string(),
    materializerVersion: z.number().int(),
    summary: Json,
    producerStepRunId: z.string(),
    createdAt: Millis,
  })
  .meta({ id: 'Artifact' });
export type Artifact = z.infer<typeof Artifact>;

export const ArtifactDetail = z
  .object({
    artifact: Artifact,
    producers: z.array(StepRun),
    consumers: z.array(z.object({ stepRun: StepRun, name: z.string() })),
    metadata: z.record(z.string(), Json),
  })
  .meta({ id: 'ArtifactDetail' });
export type ArtifactDetail = z.infer<typeof ArtifactDetail>;

export const ArtifactListQuery = z.object({
  kind: z.string().max(64).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional().meta({ description: 'nextCursor of the previous page' }),
});

export const ArtifactPage = z
  .object({ items: z.array(Artifact), nextCursor: z.string().optional() })
  .meta({ id: 'ArtifactPage', description: 'one page, newest first; nextCursor is absent on the last page' });
export type ArtifactPage = z.infer<typeof ArtifactPage>;

export const Preview = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('table'),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      rows: z.array(z.array(z.unknown())),
      totalRows: z.number().int().nullable(),
      truncated: z.boolean(),
    }),
    z.object({ type: z.literal('json'), value: z.unknown(), truncated: z.boolean() }),
    z.object({ type: z.literal('text'), text: z.string(), truncated: z.boolean() }),
    z.object({
      type: z.literal('image'),
      mediaType: z.string(),
      dataUrl: z.string().meta({ description: 'data: URL of the image (bounded size)' }),
    }),
    z.object({ type: z.literal('binary'), size: z.number(), reason: z.string() }),
  ])
  .meta({ id: 'Preview', description: 'a bounded preview: never more than the server limit of bytes' });
export type Preview = z.infer<typeof Preview>;

export const LineageNode = z
  .object({
    id: z.string(),
    type: z.enum(['artifact', 'step']),
    label: z.string(),
    runId: z.string().optional(),
    status: z.string().optional(),
    kind: z.string().optional(),
    depth: z.number().int(),
  })
  .meta({ id: 'LineageNode' });
export const LineageEdge = z
  .object({ from: z.string(), to: z.string(), name: z.string() })
  .meta({ id: 'LineageEdge', description: 'artifact -> step (input) or step -> artifact (output)' });
export const Lineage = z
  .object({
    root: z.string(),
    direction: z.enum(['upstream', 'downstream', 'both']),
    depth: z.number().int(),
    nodes: z.array(LineageNode),
    edges: z.array(LineageEdge),
    truncated: z.boolean().meta({ description: 'true when the node bound cut the graph' }),
  })
  .meta({ id: 'Lineage' });
export type Lineage = z.infer<typeof Lineage>;
