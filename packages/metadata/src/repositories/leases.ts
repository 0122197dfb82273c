import type { AgentRecord } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { AgentsTable } from '../schema/tables.js';
import type { Selectable } from '../vendor/kysely.js';
import type { RepositoryContext } from './context.js';

function rowToAgent(row: Selectable<AgentsTable>): AgentRecord {
  return {
    id: row.id,
    host: row.host,
    pid: Number(row.pid),
    version: row.version,
    startedAt: Number(row.started_at),
    heartbeatAt: Number(row.heartbeat_at),
    stoppedAt: row.stopped_at === null ? null : Number(row.stopped_at),
    stats: fromJson(row.stats),
  };
}

/** Leases (who evaluates what, across agents on one store) and the agents' own rows. */
export class LeasesRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /**
   * One statement on both dialects: insert, or take over when the lease is ours or expired. The
   * conditional upsert is atomic, so two agents racing for a free lease cannot both get it.
   */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const row = await this.#ctx.db
      .insertInto('leases')
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: now + ttlMs })
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now)])),
      )
      .returning('holder')
      .executeTakeFirst();
    return row?.holder === holder;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.#ctx.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  async leaseHolder(name: string): Promise<{ holder: string; expiresAt: number } | undefined> {
    const row = await this.#ctx.db
      .selectFrom('leases')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && { holder: row.holder, expiresAt: Number(row.expires_at) };
  }

  async saveAgent(agent: AgentRecord): Promise<void> {
    const values = {
      id: agent.id,
      host: agent.host,
      pid: agent.pid,
      version: agent.version,
      started_at: agent.startedAt,
      heartbeat_at: agent.heartbeatAt,
      stopped_at: agent.stoppedAt,
      stats: toJson(agent.stats),
    };
    await this.#ctx.db
      .insertInto('agents')
      .values(values)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          heartbeat_at: values.heartbeat_at,
          stopped_at: values.stopped_at,
          stats: values.stats,
        }),
      )
      .execute();
  }

  async listAgents(): Promise<AgentRecord[]> {
    const rows = await this.#ctx.db.selectFrom('agents').selectAll().orderBy('started_at', 'desc').execute();
    return rows.map(rowToAgent);
  }
}
