import { StrataError } from '@strata/core';
import type { AliasChange, ModelRecord, ModelVersionRecord } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { AliasHistoryTable, ModelVersionsTable } from '../schema/tables.js';
import type { Selectable } from '../vendor/kysely.js';
import { forUpdate, type RepositoryContext, writeTransaction } from './context.js';
import { checkName } from './names.js';

export type ModelVersionInput = Omit<ModelVersionRecord, 'version' | 'createdAt'> & { description?: string };
export type ModelSummary = ModelRecord & { latestVersion: number; aliases: Record<string, number> };

function rowToVersion(row: Selectable<ModelVersionsTable>): ModelVersionRecord {
  return {
    model: row.model,
    version: row.version,
    artifactId: row.artifact_id,
    runId: row.run_id,
    metrics: fromJson(row.metrics),
    metadata: fromJson(row.metadata),
    createdAt: row.created_at,
  };
}

function rowToChange(row: Selectable<AliasHistoryTable>): AliasChange {
  return {
    model: row.model,
    alias: row.alias,
    version: row.version,
    previousVersion: row.previous_version,
    action: row.action,
    reason: row.reason,
    actor: row.actor,
    at: row.at,
  };
}

function unknownModel(model: string): StrataError {
  return new StrataError(`no model named "${model}" in the registry`, {
    code: 'unknown_model',
    field: 'model',
    value: model,
    fix: 'list the models with `strata models list`; a model exists once a version is registered',
  });
}

export class ModelRegistryRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /**
   * Registers the next version. The number comes from bumping `models.latest_version` in the same
   * transaction (a row lock on PostgreSQL, the write lock on SQLite), so concurrent registrations get
   * distinct, gapless numbers.
   */
  async registerModelVersion(input: ModelVersionInput): Promise<ModelVersionRecord> {
    checkName('model', input.model);
    const now = Date.now();
    try {
      return await writeTransaction(this.#ctx, async (trx) => {
        await trx
          .insertInto('models')
          .values({
            name: input.model,
            description: input.description ?? null,
            latest_version: 0,
            created_at: now,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        const { latest_version: version } = await trx
          .updateTable('models')
          .set((eb) => ({
            latest_version: eb('latest_version', '+', 1),
            ...(input.description === undefined ? {} : { description: input.description }),
          }))
          .where('name', '=', input.model)
          .returning('latest_version')
          .executeTakeFirstOrThrow();
        const row = {
          model: input.model,
          version,
          artifact_id: input.artifactId,
          run_id: input.runId,
          metrics: toJson(input.metrics),
          metadata: toJson(input.metadata),
          created_at: now,
        };
        await trx.insertInto('model_versions').values(row).execute();
        return rowToVersion(row);
      });
    } catch (error) {
      if (this.#ctx.traits.isForeignKeyViolation(error)) {
        throw new StrataError(
          `cannot register a version of "${input.model}": artifact "${input.artifactId}" is not recorded`,
          {
            code: 'unknown_artifact',
            field: 'artifactId',
            value: input.artifactId,
            fix: 'register an artifact that a step run produced (see `strata artifacts list`)',
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async listModels(): Promise<ModelSummary[]> {
    const db = this.#ctx.db;
    const models = await db.selectFrom('models').selectAll().orderBy('name').execute();
    const aliases = await db.selectFrom('model_aliases').selectAll().orderBy('alias').execute();
    return models.map((m) => {
      const own: Record<string, number> = {};
      for (const a of aliases) if (a.model === m.name) own[a.alias] = a.version;
      return {
        name: m.name,
        description: m.description,
        createdAt: m.created_at,
        latestVersion: m.latest_version,
        aliases: own,
      };
    });
  }

  async listModelVersions(model: string): Promise<ModelVersionRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model', '=', model)
      .orderBy('version')
      .execute();
    return rows.map(rowToVersion);
  }

  async getModelVersion(model: string, version: number): Promise<ModelVersionRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model', '=', model)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && rowToVersion(row);
  }

  async getAlias(model: string, alias: string): Promise<number | undefined> {
    const row = await this.#ctx.db
      .selectFrom('model_aliases')
      .select('version')
      .where('model', '=', model)
      .where('alias', '=', alias)
      .executeTakeFirst();
    return row?.version;
  }

  /** Points an alias at a version and appends the move to its history, in one transaction. */
  async setAlias(change: Omit<AliasChange, 'previousVersion' | 'at'>): Promise<AliasChange> {
    checkName('alias', change.alias);
    if (change.action !== 'promote' && change.action !== 'rollback') {
      throw new StrataError(`alias action ${JSON.stringify(change.action)} is not one of promote, rollback`, {
        code: 'invalid_alias_action',
        field: 'action',
        value: change.action,
        fix: "use 'promote' to move an alias forward or 'rollback' to move it back",
      });
    }
    return writeTransaction(this.#ctx, async (trx) => {
      // Serializes alias moves of one model: previousVersion and the history order stay exact.
      const model = await forUpdate(
        this.#ctx,
        trx.selectFrom('models').select('name').where('name', '=', change.model),
      ).executeTakeFirst();
      if (!model) throw unknownModel(change.model);
      const version = await trx
        .selectFrom('model_versions')
        .select('version')
        .where('model', '=', change.model)
        .where('version', '=', change.version)
        .executeTakeFirst();
      if (!version) {
        throw new StrataError(`model "${change.model}" has no version ${change.version}`, {
          code: 'unknown_model_version',
          field: 'version',
          value: change.version,
          fix: `list the versions with \`strata models versions ${change.model}\``,
        });
      }
      const previous = await trx
        .selectFrom('model_aliases')
        .select('version')
        .where('model', '=', change.model)
        .where('alias', '=', change.alias)
        .executeTakeFirst();
      const at = Date.now();
      await trx
        .insertInto('model_aliases')
        .values({ model: change.model, alias: change.alias, version: change.version, updated_at: at })
        .onConflict((oc) =>
          oc.columns(['model', 'alias']).doUpdateSet({ version: change.version, updated_at: at }),
        )
        .execute();
      const last = await trx
        .selectFrom('alias_history')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('model', '=', change.model)
        .executeTakeFirst();
      const recorded: AliasChange = {
        model: change.model,
        alias: change.alias,
        version: change.version,
        previousVersion: previous?.version ?? null,
        action: change.action,
        reason: change.reason,
        actor: change.actor,
        at,
      };
      await trx
        .insertInto('alias_history')
        .values({
          model: recorded.model,
          seq: (last?.seq ?? 0) + 1,
          alias: recorded.alias,
          version: recorded.version,
          previous_version: recorded.previousVersion,
          action: recorded.action,
          reason: recorded.reason,
          actor: recorded.actor,
          at,
        })
        .execute();
      return recorded;
    });
  }

  async aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    let q = this.#ctx.db.selectFrom('alias_history').selectAll().where('model', '=', model);
    if (alias !== undefined) q = q.where('alias', '=', alias);
    return (await q.orderBy('seq').execute()).map(rowToChange);
  }
}
