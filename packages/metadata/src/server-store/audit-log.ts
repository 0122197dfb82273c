import type { JsonValue } from '@strata/core';
import type { RepositoryContext } from '../repositories/context.js';
import { fromJson, toJson } from '../schema/json.js';

export interface AuditEntry {
  readonly id: string;
  readonly at: number;
  /** The token's name, or the local user's name. */
  readonly actor: string;
  readonly tokenId: string | null;
  /** e.g. `model.promote`, `run.cancel`, `token.create` */
  readonly action: string;
  readonly target: string;
  readonly reason: string;
  /** `ok`, or the error code the action failed with. */
  readonly outcome: string;
  readonly detail: JsonValue;
  readonly remote: string | null;
}

export class AuditLogRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.ctx.db
      .insertInto('audit_log')
      .values({
        id: entry.id,
        at: entry.at,
        actor: entry.actor,
        token_id: entry.tokenId,
        action: entry.action,
        target: entry.target,
        reason: entry.reason,
        outcome: entry.outcome,
        detail: toJson(entry.detail),
        remote: entry.remote,
      })
      .execute();
  }

  /** Newest first. */
  async list(options: { limit: number; before?: number }): Promise<AuditEntry[]> {
    let q = this.ctx.db.selectFrom('audit_log').selectAll();
    if (options.before !== undefined) q = q.where('at', '<', options.before);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: Number(r.at),
      actor: r.actor,
      tokenId: r.token_id,
      action: r.action,
      target: r.target,
      reason: r.reason,
      outcome: r.outcome,
      detail: fromJson(r.detail),
      remote: r.remote,
    }));
  }
}
