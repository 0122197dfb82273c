import { StrataError } from '../../errors/strata-error.js';
import type { JsonValue } from '../../metadata/records.js';
import type { StrataDatabase } from '../../metadata/strata-database.js';

/** A test stack's component as it is recorded: one per type, all under the stack's own name. */
export interface TestComponent {
  readonly type: string;
  readonly flavor: string;
  readonly config: JsonValue;
}

/** The step instances a test stack runs at once: a positive integer, 4 when not given. */
export function testConcurrency(concurrency: number | undefined): number {
  const value = concurrency ?? 4;
  if (!Number.isInteger(value) || value < 1) {
    throw new StrataError(`concurrency must be a positive integer, got ${value}`, {
      code: 'invalid_option',
      field: 'concurrency',
      value,
      fix: 'pass an integer of at least 1',
    });
  }
  return value;
}

/**
 * Records a test stack and its components like a project's (updating a component's config where it
 * already exists, e.g. a temporary stack reopened on the same root), so code that reads the stack from
 * the database (step processes, the Client, `strata` commands) finds it.
 */
export async function registerTestStack(
  database: StrataDatabase,
  name: string,
  components: readonly TestComponent[],
): Promise<void> {
  const now = Date.now();
  for (const c of components) {
    if (await database.getComponent(c.type, name)) {
      await database.updateComponent(c.type, name, { config: c.config });
    } else {
      await database.createComponent({
        type: c.type,
        name,
        flavor: c.flavor,
        config: c.config,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  if (!(await database.getStack(name))) {
    await database.createStack({
      name,
      components: Object.fromEntries(components.map((c) => [c.type, name])),
      createdAt: now,
      updatedAt: now,
    });
  }
}
