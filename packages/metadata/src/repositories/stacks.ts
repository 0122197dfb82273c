import { StrataError } from '@strata/core';
import type { StackRecord } from '@strata/core/plugin';
import { unknownComponent } from './components.js';
import { type Db, type RepositoryContext, writeTransaction } from './context.js';
import { checkName } from './names.js';

function unknownStack(name: string, field = 'name'): StrataError {
  return new StrataError(`no stack named "${name}"`, {
    code: 'unknown_stack',
    field,
    value: name,
    fix: 'list the stacks with `strata stack list`, or create it with `strata stack register <name> ...`',
  });
}

function duplicateStack(name: string, field: string, cause?: unknown): StrataError {
  return new StrataError(`a stack named "${name}" already exists`, {
    code: 'duplicate_name',
    field,
    value: name,
    fix: `choose another name, or change the existing stack with \`strata stack update ${name}\``,
    cause,
  });
}

/** Every referenced component must exist; the error names the first missing one as `components.<type>`. */
async function checkComponents(db: Db, components: Readonly<Record<string, string>>): Promise<void> {
  const entries = Object.entries(components);
  for (const [type, name] of entries) {
    checkName(`components.${type}`, name);
  }
  if (entries.length === 0) return;
  const rows = await db
    .selectFrom('components')
    .select(['type', 'name'])
    .where(
      'type',
      'in',
      entries.map(([type]) => type),
    )
    .execute();
  const known = new Set(rows.map((r) => `${r.type}\u0000${r.name}`));
  for (const [type, name] of entries) {
    if (!known.has(`${type}\u0000${name}`)) throw unknownComponent(type, name, `components.${type}`);
  }
}

async function insertStackComponents(
  db: Db,
  stack: string,
  components: Readonly<Record<string, string>>,
): Promise<void> {
  const rows = Object.entries(components).map(([type, name]) => ({
    stack_name: stack,
    component_type: type,
    component_name: name,
  }));
  if (rows.length > 0) await db.insertInto('stack_components').values(rows).execute();
}

export class StacksRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async listStacks(): Promise<StackRecord[]> {
    const db = this.#ctx.db;
    const stacks = await db.selectFrom('stacks').selectAll().orderBy('name').execute();
    const parts = await db.selectFrom('stack_components').selectAll().orderBy('component_type').execute();
    const byStack = new Map<string, Record<string, string>>();
    for (const p of parts) {
      const components = byStack.get(p.stack_name) ?? {};
      components[p.component_type] = p.component_name;
      byStack.set(p.stack_name, components);
    }
    return stacks.map((s) => ({
      name: s.name,
      components: byStack.get(s.name) ?? {},
      createdAt: s.created_at,
      updatedAt: s.updated_at,
    }));
  }

  async getStack(name: string): Promise<StackRecord | undefined> {
    const db = this.#ctx.db;
    const stack = await db.selectFrom('stacks').selectAll().where('name', '=', name).executeTakeFirst();
    if (!stack) return undefined;
    const parts = await db
      .selectFrom('stack_components')
      .selectAll()
      .where('stack_name', '=', name)
      .orderBy('component_type')
      .execute();
    const components: Record<string, string> = {};
    for (const p of parts) components[p.component_type] = p.component_name;
    return { name: stack.name, components, createdAt: stack.created_at, updatedAt: stack.updated_at };
  }

  async createStack(stack: StackRecord): Promise<void> {
    checkName('name', stack.name);
    try {
      await writeTransaction(this.#ctx, async (trx) => {
        const existing = await trx
          .selectFrom('stacks')
          .select('name')
          .where('name', '=', stack.name)
          .executeTakeFirst();
        if (existing) throw duplicateStack(stack.name, 'name');
        await checkComponents(trx, stack.components);
        await trx
          .insertInto('stacks')
          .values({ name: stack.name, created_at: stack.createdAt, updated_at: stack.updatedAt })
          .execute();
        await insertStackComponents(trx, stack.name, stack.components);
      });
    } catch (error) {
      if (this.#ctx.traits.isUniqueViolation(error)) throw duplicateStack(stack.name, 'name', error);
      await this.#explainForeignKey(error, stack.components);
      throw error;
    }
  }

  /** A component deleted by another process between the check and the insert: name it. */
  async #explainForeignKey(error: unknown, components: Readonly<Record<string, string>>): Promise<void> {
    if (this.#ctx.traits.isForeignKeyViolation(error)) await checkComponents(this.#ctx.db, components);
  }

  async updateStack(name: string, components: Readonly<Record<string, string>>): Promise<void> {
    try {
      await writeTransaction(this.#ctx, async (trx) => {
        const result = await trx
          .updateTable('stacks')
          .set({ updated_at: Date.now() })
          .where('name', '=', name)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) throw unknownStack(name);
        await checkComponents(trx, components);
        await trx.deleteFrom('stack_components').where('stack_name', '=', name).execute();
        await insertStackComponents(trx, name, components);
      });
    } catch (error) {
      await this.#explainForeignKey(error, components);
      throw error;
    }
  }

  /** Renames a stack (its component rows follow by ON UPDATE CASCADE). */
  async renameStack(name: string, newName: string): Promise<void> {
    checkName('newName', newName);
    try {
      const result = await this.#ctx.db
        .updateTable('stacks')
        .set({ name: newName, updated_at: Date.now() })
        .where('name', '=', name)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw unknownStack(name);
    } catch (error) {
      if (this.#ctx.traits.isUniqueViolation(error)) throw duplicateStack(newName, 'newName', error);
      throw error;
    }
  }

  async deleteStack(name: string): Promise<void> {
    const result = await this.#ctx.db.deleteFrom('stacks').where('name', '=', name).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw unknownStack(name);
  }
}
