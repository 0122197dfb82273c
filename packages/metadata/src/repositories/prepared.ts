import type { Compilable, CompiledQuery, QueryResult } from '../vendor/kysely.js';
import type { Db } from './context.js';

/** Stands for the value at `index` while a prepared query is compiled. */
class Slot {
  constructor(readonly index: number) {}
}

/** Compiled templates by dialect (its adapter, shared by a Kysely instance and its transactions) and name. */
const templates = new WeakMap<object, Map<string, CompiledQuery>>();

/** Most shapes a name prefix can have (row counts, column sets); past it, queries are compiled each time. */
const maxTemplates = 512;

/**
 * Runs a query that Kysely builds and compiles once per dialect and `name`, then only re-binds: in the
 * StepRunner's hot path building and compiling cost more than executing the statement (and the SQLite
 * driver then reuses its prepared statement for the same SQL text).
 *
 * `build` gets one placeholder per value and must put each where a bound value goes (a `where`
 * operand, a `set` or `values` entry); anything that changes the SQL text (which columns, how many
 * rows, `is null` tests) must be part of `name` instead.
 */
export function executePrepared<R>(
  db: Db,
  name: string,
  values: readonly unknown[],
  build: (...slots: never[]) => Compilable<R>,
): Promise<QueryResult<R>> {
  return db.executeQuery<R>(compilePrepared(db, name, values, build));
}

/** The query executePrepared runs, compiled (once per dialect and `name`) and bound, without running it. */
export function compilePrepared<R>(
  db: Db,
  name: string,
  values: readonly unknown[],
  build: (...slots: never[]) => Compilable<R>,
): CompiledQuery<R> {
  const dialect = db.getExecutor().adapter;
  let byName = templates.get(dialect);
  if (!byName) {
    byName = new Map();
    templates.set(dialect, byName);
  }
  let template = byName.get(name);
  if (!template) {
    template = build(...(values.map((_, i) => new Slot(i)) as never[])).compile() as CompiledQuery;
    const used = new Set(template.parameters.filter((p) => p instanceof Slot).map((p) => (p as Slot).index));
    if (used.size !== values.length) {
      throw new Error(`prepared query "${name}" uses ${used.size} of its ${values.length} values`);
    }
    if (byName.size < maxTemplates) byName.set(name, template);
  }
  const parameters = template.parameters.map((p) => (p instanceof Slot ? values[p.index] : p));
  return { ...template, parameters } as CompiledQuery<R>;
}
