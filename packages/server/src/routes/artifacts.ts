import { createRoute, z } from '@hono/zod-openapi';
import type { ArtifactRecord } from '@strata/core';
import type { App } from '../http/app-type.js';
import { notFound } from '../http/errors.js';
import { errors, json } from '../http/route-kit.js';
import { ArtifactDetail, ArtifactListQuery, ArtifactPage, Lineage, Preview } from '../schemas/artifacts.js';
import { Id } from '../schemas/common.js';
import { downloadResponse } from '../views/download.js';
import { walkLineage } from '../views/lineage.js';
import { previewArtifact } from '../views/preview.js';

const artifactFix = 'list artifacts with GET /api/v1/artifacts';
const IdParam = z.object({ artifactId: Id });

/** The API shape: the store key is an internal detail of the artifact store. */
export function artifactView(a: ArtifactRecord) {
  const { storeKey: _key, ...rest } = a;
  return { ...rest, uri: a.uri.startsWith('data:') ? 'inline' : a.uri };
}

const list = createRoute({
  method: 'get',
  path: '/artifacts',
  tags: ['artifacts'],
  summary: 'artifacts, newest first, one keyset page at a time',
  request: { query: ArtifactListQuery },
  responses: { 200: json(ArtifactPage, 'one page of artifacts, newest first'), ...errors },
});

const get = createRoute({
  method: 'get',
  path: '/artifacts/{artifactId}',
  tags: ['artifacts'],
  summary: 'metadata, producer, consumers and logged metadata of an artifact',
  request: { params: IdParam },
  responses: { 200: json(ArtifactDetail, 'the artifact'), ...errors },
});

const preview = createRoute({
  method: 'get',
  path: '/artifacts/{artifactId}/preview',
  tags: ['artifacts'],
  summary: 'a bounded preview: table rows with column types, JSON, text or an image',
  request: { params: IdParam },
  responses: { 200: json(Preview, 'the preview'), ...errors },
});

const lineage = createRoute({
  method: 'get',
  path: '/artifacts/{artifactId}/lineage',
  tags: ['lineage'],
  request: {
    params: IdParam,
    query: z.object({
      direction: z.enum(['upstream', 'downstream', 'both']).default('both'),
      depth: z.coerce.number().int().min(1).max(10).default(3),
    }),
  },
  responses: { 200: json(Lineage, 'the bounded lineage graph'), ...errors },
});

export function registerArtifactRoutes(app: App): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/artifacts/{artifactId}/content',
    tags: ['artifacts'],
    summary: "the artifact's bytes, streamed from its store and verified against its sha256; HTTP Range",
    request: { params: IdParam, headers: z.object({ range: z.string().optional() }) },
    responses: {
      200: {
        description: 'the whole artifact',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      206: { description: 'one byte range', content: { 'application/octet-stream': { schema: z.string() } } },
      416: { description: 'range past the end' },
      ...errors,
    },
  });

  app.get('/artifacts/:artifactId/content', async (c) => {
    const artifactId = c.req.param('artifactId');
    const deps = c.var.deps;
    const artifact = await deps.database.getArtifact(artifactId);
    if (!artifact) throw notFound('artifact', artifactId, artifactFix);
    return downloadResponse(deps.artifacts, artifact, c.req.header('range'));
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await c.var.deps.browse.searchArtifacts({
      limit: q.limit,
      ...(q.kind === undefined ? {} : { kind: q.kind }),
      ...(q.sha256 === undefined ? {} : { sha256: q.sha256 }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    });
    return c.json(
      {
        items: page.artifacts.map(artifactView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
      200,
    );
  });

  app.openapi(get, async (c) => {
    const { artifactId } = c.req.valid('param');
    const db = c.var.deps.database;
    const lin = await db.lineage(artifactId);
    if (!lin) throw notFound('artifact', artifactId, artifactFix);
    return c.json(
      {
        artifact: artifactView(lin.artifact),
        producers: [...lin.producers],
        consumers: lin.consumers.map((x) => ({ stepRun: x.stepRun, name: x.name })),
        metadata: await db.getMetadata('artifact', artifactId),
      },
      200,
    );
  });

  app.openapi(preview, async (c) => {
    const { artifactId } = c.req.valid('param');
    const deps = c.var.deps;
    const artifact = await deps.database.getArtifact(artifactId);
    if (!artifact) throw notFound('artifact', artifactId, artifactFix);
    return c.json(await previewArtifact(deps.artifacts, artifact, deps.limits.maxPreviewBytes), 200);
  });

  app.openapi(lineage, async (c) => {
    const { artifactId } = c.req.valid('param');
    const q = c.req.valid('query');
    const deps = c.var.deps;
    return c.json(
      await walkLineage(deps.database, { artifactId }, q.direction, q.depth, deps.limits.maxLineageNodes),
      200,
    );
  });
}
