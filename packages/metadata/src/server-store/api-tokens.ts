import type { RepositoryContext } from '../repositories/context.js';

export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: 'read' | 'write' | 'admin';
  /** The slow hash of the secret (never the secret). */
  readonly hash: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

type Row = {
  id: string;
  name: string;
  scope: string;
  hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

const toRecord = (r: Row): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  scope: r.scope as ApiTokenRecord['scope'],
  hash: r.hash,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export class ApiTokensRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async create(token: ApiTokenRecord): Promise<void> {
    await this.ctx.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        name: token.name,
        scope: token.scope,
        hash: token.hash,
        created_by: token.createdBy,
        created_at: token.createdAt,
        last_used_at: token.lastUsedAt,
        revoked_at: token.revokedAt,
      })
      .execute();
  }

  async get(id: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(): Promise<ApiTokenRecord[]> {
    const rows = await this.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** Whether any token that is not revoked exists (the server then requires tokens everywhere). */
  async anyActive(): Promise<boolean> {
    const row = await this.ctx.db
      .selectFrom('api_tokens')
      .select('id')
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Marks the token revoked; false when no such token (or already revoked). */
  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.ctx.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
