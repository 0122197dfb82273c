import type { JsonValue } from '@strata/core';
import { StrataError } from '@strata/core';
import type {
  FiringClaim,
  FiringQuery,
  FiringRecord,
  FiringStatus,
  FiringWithRun,
  TriggerRecord,
} from '@strata/core/plugin';
import {
  overlapPolicies,
  type TriggerQuery,
  type TriggerStamp,
  triggerDueAt,
  triggerKinds,
  triggerSchemas,
} from '@strata/core/plugin';
import { z } from 'zod';
import { fromJson, toJson } from '../schema/json.js';
import type { TriggerFiringsTable, TriggersTable } from '../schema/tables.js';
import type { Selectable } from '../vendor/kysely.js';
import { type RepositoryContext, writeTransaction } from './context.js';
import { checkName } from './names.js';

const firingStatuses = ['claimed', 'queued', 'started', 'skipped', 'failed'] as const;
// Built once: a zod schema costs far more to construct than to run (1,000 rows paid it 3,000 times).
const kindSchema = z.enum(triggerKinds);
const overlapSchema = z.enum(overlapPolicies);
const firingStatusSchema = z.enum(firingStatuses);

/** Rows are parsed, never cast: a row another Strata version wrote is checked here. */
function rowToTrigger(row: Selectable<TriggersTable>): TriggerRecord {
  return {
    name: row.name,
    kind: kindSchema.parse(row.kind),
    target: triggerSchemas().triggerTarget.parse(JSON.parse(row.target)),
    condition: triggerSchemas().triggerCondition.parse(JSON.parse(row.condition)),
    overlap: overlapSchema.parse(row.overlap),
    paused: Number(row.paused) === 1,
    firedBy: row.fired_by,
    cursor: fromJson(row.cursor),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function rowToFiring(row: Selectable<TriggerFiringsTable>): FiringRecord {
  return {
    id: row.id,
    trigger: row.trigger_name,
    dedupeKey: row.dedupe_key,
    status: firingStatusSchema.parse(row.status),
    reason: row.reason,
    evidence: fromJson(row.evidence),
    runId: row.run_id,
    firedBy: row.fired_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    error: row.error,
  };
}

export function unknownTrigger(name: string): StrataError {
  return new StrataError(`no schedule or trigger named "${name}"`, {
    code: 'unknown_trigger',
    field: 'name',
    value: name,
    fix: 'list the schedules with `strata schedule list`',
  });
}

export class TriggersRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async createTrigger(trigger: TriggerRecord): Promise<void> {
    checkName('name', trigger.name);
    try {
      await this.#ctx.db
        .insertInto('triggers')
        .values({
          name: trigger.name,
          kind: trigger.kind,
          target: JSON.stringify(triggerSchemas().triggerTarget.parse(trigger.target)),
          condition: JSON.stringify(triggerSchemas().triggerCondition.parse(trigger.condition)),
          overlap: trigger.overlap,
          paused: trigger.paused ? 1 : 0,
          fired_by: trigger.firedBy,
          cursor: toJson(trigger.cursor),
          created_at: trigger.createdAt,
          updated_at: trigger.updatedAt,
          due_at: triggerDueAt(trigger.kind, trigger.cursor),
        })
        .execute();
    } catch (error) {
      if (!this.#ctx.traits.isUniqueViolation(error)) throw error;
      throw new StrataError(`a schedule or trigger named "${trigger.name}" already exists`, {
        code: 'duplicate_name',
        field: 'name',
        value: trigger.name,
        fix: `choose another --name, or delete the old one first (\`strata ${trigger.kind === 'schedule' ? 'schedule' : 'trigger'} delete ${trigger.name}\`)`,
        cause: error,
      });
    }
  }

  async getTrigger(name: string): Promise<TriggerRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('triggers')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && rowToTrigger(row);
  }

  async listTriggers(query: TriggerQuery = {}): Promise<TriggerRecord[]> {
    let q = this.#ctx.db.selectFrom('triggers').selectAll();
    if (query.kind === 'schedule') q = q.where('kind', '=', 'schedule');
    if (query.kind === 'trigger') q = q.where('kind', '!=', 'schedule');
    const dueBy = query.dueBy;
    if (dueBy !== undefined)
      q = q.where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '<=', dueBy)]));
    return (await q.orderBy('name').execute()).map(rowToTrigger);
  }

  async listTriggerStamps(): Promise<TriggerStamp[]> {
    const rows = await this.#ctx.db
      .selectFrom('triggers')
      .select(['name', 'updated_at', 'due_at'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      updatedAt: Number(r.updated_at),
      dueAt: r.due_at === null ? null : Number(r.due_at),
    }));
  }

  async setTriggerPaused(name: string, paused: boolean): Promise<void> {
    await this.#update(name, { paused: paused ? 1 : 0 });
  }

  async setTriggerCursor(name: string, cursor: JsonValue): Promise<void> {
    await this.#update(name, { cursor: toJson(cursor), due_at: await this.#dueAt(name, cursor) });
  }

  /** due_at for a new cursor of trigger `name` (its kind decides; one indexed read by key). */
  async #dueAt(name: string, cursor: JsonValue): Promise<number | null> {
    const row = await this.#ctx.db
      .selectFrom('triggers')
      .select('kind')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? triggerDueAt(kindSchema.parse(row.kind), cursor) : null;
  }

  async deleteTrigger(name: string): Promise<void> {
    const result = await this.#ctx.db.deleteFrom('triggers').where('name', '=', name).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw unknownTrigger(name);
  }

  async #update(
    name: string,
    set: { paused?: number; cursor?: string | null; due_at?: number | null },
  ): Promise<void> {
    const result = await this.#ctx.db
      .updateTable('triggers')
      .set({ ...set, updated_at: Date.now() })
      .where('name', '=', name)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw unknownTrigger(name);
  }

  async claimFiring(claim: FiringClaim): Promise<boolean> {
    const f = claim.firing;
    try {
      await writeTransaction(this.#ctx, async (trx) => {
        await trx
          .insertInto('trigger_firings')
          .values({
            id: f.id,
            trigger_name: f.trigger,
            dedupe_key: f.dedupeKey,
            status: f.status,
            reason: f.reason,
            evidence: toJson(f.evidence),
            run_id: f.runId,
            fired_by: f.firedBy,
            created_at: f.createdAt,
            updated_at: f.updatedAt,
            error: f.error,
          })
          .execute();
        const row = await trx
          .selectFrom('triggers')
          .select('kind')
          .where('name', '=', f.trigger)
          .executeTakeFirst();
        await trx
          .updateTable('triggers')
          .set({
            cursor: toJson(claim.cursor),
            updated_at: f.createdAt,
            due_at: row ? triggerDueAt(kindSchema.parse(row.kind), claim.cursor) : null,
          })
          .where('name', '=', f.trigger)
          .execute();
      });
      return true;
    } catch (error) {
      if (this.#ctx.traits.isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async updateFiring(
    id: string,
    patch: { status: FiringStatus; runId?: string | null; error?: string | null },
  ): Promise<void> {
    const result = await this.#ctx.db
      .updateTable('trigger_firings')
      .set({
        status: patch.status,
        updated_at: Date.now(),
        ...(patch.runId === undefined ? {} : { run_id: patch.runId }),
        ...(patch.error === undefined ? {} : { error: patch.error }),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new StrataError(`no firing "${id}"`, {
        code: 'unknown_firing',
        field: 'firing',
        value: id,
        fix: "pass the id of a firing the trigger's history lists",
      });
    }
  }

  async getFiring(id: string): Promise<FiringRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('trigger_firings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && rowToFiring(row);
  }

  async listFirings(query: FiringQuery = {}): Promise<FiringWithRun[]> {
    let q = this.#ctx.db
      .selectFrom('trigger_firings as f')
      .leftJoin('runs as r', 'r.id', 'f.run_id')
      .selectAll('f')
      .select('r.status as run_status');
    if (query.trigger !== undefined) q = q.where('f.trigger_name', '=', query.trigger);
    if (query.status !== undefined) q = q.where('f.status', '=', query.status);
    const rows = await q
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(query.limit ?? 100)
      .execute();
    return rows.map((row) => ({
      ...rowToFiring(row),
      runStatus: row.run_status ?? null,
    }));
  }
}
