import type { JsonValue } from '@strata/core';
import { StrataError } from '@strata/core';
import type { ComponentRecord } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { ComponentsTable } from '../schema/tables.js';
import type { Selectable, Updateable } from '../vendor/kysely.js';
import { type Db, type RepositoryContext, writeTransaction } from './context.js';
import { checkName, quoteList } from './names.js';

function rowToComponent(row: Selectable<ComponentsTable>): ComponentRecord {
  return {
    type: row.type,
    name: row.name,
    flavor: row.flavor,
    config: fromJson(row.config),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function unknownComponent(type: string, name: string, field = 'name'): StrataError {
  return new StrataError(`no ${type} component named "${name}"`, {
    code: 'unknown_component',
    field,
    value: name,
    fix: `list them with \`strata ${type.replaceAll('_', '-')} list\`, or register it first with \`strata ${type.replaceAll('_', '-')} register ${name} --flavor <flavor>\``,
  });
}

function duplicateComponent(type: string, name: string, cause?: unknown): StrataError {
  return new StrataError(`a ${type} component named "${name}" already exists`, {
    code: 'duplicate_name',
    field: 'name',
    value: name,
    fix: `choose another name, or change the existing one with \`strata ${type.replaceAll('_', '-')} update ${name}\``,
    cause,
  });
}

function componentInUse(type: string, name: string, stacks: readonly string[], cause?: unknown): StrataError {
  const one = stacks.length === 1;
  return new StrataError(
    `cannot delete ${type} "${name}": ${one ? 'stack' : 'stacks'} ${quoteList(stacks)} ${one ? 'uses' : 'use'} it`,
    {
      code: 'component_in_use',
      field: 'name',
      value: name,
      fix: `give ${one ? 'that stack' : 'those stacks'} another ${type} (\`strata stack update <stack> --${type} <component>\`) or delete ${one ? 'it' : 'them'} first (\`strata stack delete <stack>\`)`,
      cause,
    },
  );
}

async function stacksUsing(db: Db, type: string, name: string): Promise<string[]> {
  const rows = await db
    .selectFrom('stack_components')
    .select('stack_name')
    .where('component_type', '=', type)
    .where('component_name', '=', name)
    .orderBy('stack_name')
    .execute();
  return rows.map((r) => r.stack_name);
}

export class ComponentsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async listComponents(type?: string): Promise<ComponentRecord[]> {
    let q = this.#ctx.db.selectFrom('components').selectAll();
    if (type !== undefined) q = q.where('type', '=', type);
    return (await q.orderBy('type').orderBy('name').execute()).map(rowToComponent);
  }

  async getComponent(type: string, name: string): Promise<ComponentRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('components')
      .selectAll()
      .where('type', '=', type)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && rowToComponent(row);
  }

  async createComponent(component: ComponentRecord): Promise<void> {
    checkName('type', component.type);
    checkName('name', component.name);
    checkName('flavor', component.flavor);
    try {
      await this.#ctx.db
        .insertInto('components')
        .values({
          type: component.type,
          name: component.name,
          flavor: component.flavor,
          config: toJson(component.config),
          created_at: component.createdAt,
          updated_at: component.updatedAt,
        })
        .execute();
    } catch (error) {
      if (this.#ctx.traits.isUniqueViolation(error))
        throw duplicateComponent(component.type, component.name, error);
      throw error;
    }
  }

  async updateComponent(
    type: string,
    name: string,
    patch: { flavor?: string; config?: JsonValue },
  ): Promise<void> {
    const row: Updateable<ComponentsTable> = { updated_at: Date.now() };
    if (patch.flavor !== undefined) {
      checkName('flavor', patch.flavor);
      row.flavor = patch.flavor;
    }
    if (patch.config !== undefined) row.config = toJson(patch.config);
    const result = await this.#ctx.db
      .updateTable('components')
      .set(row)
      .where('type', '=', type)
      .where('name', '=', name)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw unknownComponent(type, name);
  }

  /** Renames a component; the stacks that use it follow (ON UPDATE CASCADE). */
  async renameComponent(type: string, name: string, newName: string): Promise<void> {
    checkName('newName', newName);
    try {
      await writeTransaction(this.#ctx, async (trx) => {
        const result = await trx
          .updateTable('components')
          .set({ name: newName, updated_at: Date.now() })
          .where('type', '=', type)
          .where('name', '=', name)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) throw unknownComponent(type, name);
      });
    } catch (error) {
      if (this.#ctx.traits.isUniqueViolation(error)) {
        const duplicate = duplicateComponent(type, newName, error);
        throw new StrataError(`cannot rename ${type} "${name}": ${duplicate.message}`, {
          code: 'duplicate_name',
          field: 'newName',
          value: newName,
          fix: 'choose a name no other component of this type has',
          cause: error,
        });
      }
      throw error;
    }
  }

  async deleteComponent(type: string, name: string): Promise<void> {
    try {
      await writeTransaction(this.#ctx, async (trx) => {
        const found = await trx
          .selectFrom('components')
          .select('name')
          .where('type', '=', type)
          .where('name', '=', name)
          .executeTakeFirst();
        if (!found) throw unknownComponent(type, name);
        const stacks = await stacksUsing(trx, type, name);
        if (stacks.length > 0) throw componentInUse(type, name, stacks);
        await trx.deleteFrom('components').where('type', '=', type).where('name', '=', name).execute();
      });
    } catch (error) {
      // A stack that started using it between the check and the delete (PostgreSQL, another process).
      if (this.#ctx.traits.isForeignKeyViolation(error)) {
        throw componentInUse(type, name, await stacksUsing(this.#ctx.db, type, name), error);
      }
      throw error;
    }
  }
}
