import { StrataError } from '@strata/core';
import type { RepositoryContext } from '../repositories/context.js';
import { sql } from '../vendor/kysely.js';

/** One row of the change feed; `cursor` is its SSE event id. */
export interface ChangeRecord {
  readonly cursor: string;
  readonly kind: 'run' | 'step' | 'log' | 'model';
  readonly runId: string | null;
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/**
 * Cursors compare as tuples: SQLite `seq` (its writers are serialized, so seq order is commit order);
 * PostgreSQL `xid.seq`, read only below the oldest open transaction (see migration 0007).
 */
export type CursorKey = readonly [bigint, bigint];

export function parseChangeCursor(text: string, dialect: 'sqlite' | 'postgres'): CursorKey {
  const parts = text.split('.');
  const valid =
    dialect === 'sqlite'
      ? /^\d{1,19}$/.test(text)
      : parts.length === 2 && parts.every((p) => /^\d{1,20}$/.test(p));
  if (!valid) {
    throw new StrataError(`event id "${text.slice(0, 64)}" is not one this server issued`, {
      code: 'invalid_event_id',
      field: 'Last-Event-ID',
      value: text.slice(0, 64),
      fix: 'resume with the id of the last event received, unchanged, or reconnect without Last-Event-ID',
    });
  }
  return dialect === 'sqlite' ? [0n, BigInt(text)] : [BigInt(parts[0]!), BigInt(parts[1]!)];
}

export function compareCursor(a: CursorKey, b: CursorKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

type Row = {
  seq: number | string;
  xid?: string;
  kind: string;
  run_id: string | null;
  data: string;
  at: number | string;
};

export class ChangesRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  get dialect(): 'sqlite' | 'postgres' {
    return this.ctx.traits.dialect;
  }

  #toRecord(r: Row): ChangeRecord {
    return {
      cursor: this.dialect === 'sqlite' ? String(r.seq) : `${r.xid}.${r.seq}`,
      kind: r.kind as ChangeRecord['kind'],
      runId: r.run_id,
      data: JSON.parse(r.data) as Record<string, unknown>,
      at: Number(r.at),
    };
  }

  /** Up to `limit` changes after `after`, in cursor order, only ones no open transaction can precede. */
  async after(after: CursorKey, limit: number): Promise<ChangeRecord[]> {
    const db = this.ctx.db;
    if (this.dialect === 'sqlite') {
      const rows =
        await sql<Row>`select seq, kind, run_id, data, at from changes where seq > ${Number(after[1])} order by seq limit ${limit}`.execute(
          db,
        );
      return rows.rows.map((r) => this.#toRecord(r));
    }
    const rows = await sql<Row>`select seq, xid::text as xid, kind, run_id, data, at from changes
      where (xid, seq) > (${after[0].toString()}::xid8, ${after[1].toString()}::bigint)
        and xid < pg_snapshot_xmin(pg_current_snapshot())
      order by xid, seq limit ${limit}`.execute(db);
    return rows.rows.map((r) => this.#toRecord(r));
  }

  /** The cursor of the newest change a reader can see now (new subscribers start here). */
  async head(): Promise<CursorKey> {
    const db = this.ctx.db;
    if (this.dialect === 'sqlite') {
      const r = await sql<{ seq: number | null }>`select max(seq) as seq from changes`.execute(db);
      return [0n, BigInt(r.rows[0]?.seq ?? 0)];
    }
    const r = await sql<{ xid: string; seq: string }>`select xid::text as xid, seq::text as seq from changes
      where xid < pg_snapshot_xmin(pg_current_snapshot()) order by xid desc, seq desc limit 1`.execute(db);
    const row = r.rows[0];
    return row ? [BigInt(row.xid), BigInt(row.seq)] : [0n, 0n];
  }

  formatCursor(key: CursorKey): string {
    return this.dialect === 'sqlite' ? key[1].toString() : `${key[0]}.${key[1]}`;
  }

  /** Deletes changes older than `before` (epoch ms); returns how many. */
  async prune(before: number): Promise<number> {
    const r = await this.ctx.db.deleteFrom('changes').where('at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
