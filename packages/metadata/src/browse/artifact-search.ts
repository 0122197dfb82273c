import type { ArtifactRecord } from '@strata/core';
import { rowToArtifact } from '../repositories/artifacts.js';
import type { RepositoryContext } from '../repositories/context.js';
import type { Schema } from '../schema/tables.js';
import type { ExpressionBuilder } from '../vendor/kysely.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface ArtifactSearch {
  readonly kind?: string;
  readonly sha256?: string;
  readonly limit: number;
  /** The `nextCursor` of the previous page, for the same filters. */
  readonly cursor?: string;
}

export interface ArtifactPage {
  readonly artifacts: ArtifactRecord[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/**
 * One page of artifacts, newest first, continued by keyset on (created_at, id) like the runs list: the
 * page after a cursor costs the same deep in a large store, and new artifacts never shift a page.
 * Filters are bound parameters, never spliced into SQL.
 */
export async function searchArtifacts(ctx: RepositoryContext, search: ArtifactSearch): Promise<ArtifactPage> {
  let q = ctx.db.selectFrom('artifacts').selectAll();
  if (search.kind !== undefined) q = q.where('kind', '=', search.kind);
  if (search.sha256 !== undefined) q = q.where('sha256', '=', search.sha256);
  if (search.cursor !== undefined) {
    const [value, id] = decodeCursor(search.cursor);
    const at = Number(value);
    q = q.where((eb: ExpressionBuilder<Schema, 'artifacts'>) =>
      eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
    );
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(search.limit + 1)
    .execute();
  const artifacts = rows.slice(0, search.limit).map(rowToArtifact);
  const last = artifacts[artifacts.length - 1];
  return rows.length > search.limit && last
    ? { artifacts, nextCursor: encodeCursor([last.createdAt, last.id]) }
    : { artifacts };
}
