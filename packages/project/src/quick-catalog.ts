/**
 * A read-only fast path for `strata stack list`: reads the stacks straight from an embedded SQLite
 * metadata store with better-sqlite3, without loading the SDK, kysely, inversify or any plugin, so the
 * command answers in about the time Node needs to start. Whenever anything is unusual (PostgreSQL,
 * no database yet, an unexpected schema), it returns undefined and the caller takes the full path
 * through openProject(), which gives the same answer. Imports only Node built-ins: keep it that way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { findProjectRoot } from './project-root.js';

export interface QuickStack {
  readonly name: string;
  readonly active: boolean;
  /** component type -> component name, with each component's flavor */
  readonly components: Readonly<Record<string, { readonly name: string; readonly flavor: string }>>;
}

interface Statement {
  all(...params: unknown[]): Record<string, unknown>[];
}
interface SqliteDatabase {
  prepare(sql: string): Statement;
  close(): void;
}
type SqliteConstructor = new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean; nativeBinding?: string },
) => SqliteDatabase;

/**
 * The schema versions this reader understands: 0001 defines the stack and component tables it reads;
 * 0002-0011 add indexes, tables and columns elsewhere and leave those two tables' columns as they are.
 * A later migration that renames or drops one of their columns must stay out of this set.
 */
const knownSchemaVersions = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

function quickDatabasePath(root: string, configured: unknown): string | undefined {
  const url = process.env.STRATA_DATABASE_URL ?? (typeof configured === 'string' ? configured : undefined);
  if (url === undefined) return join(root, '.strata', 'strata.db');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('sqlite:')) return undefined;
  let path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '' || path.includes(':memory:')) return undefined;
  // Relative paths: from the project config, against the project (as configuredDatabaseUrl does).
  return isAbsolute(path) ? path : process.env.STRATA_DATABASE_URL ? resolve(path) : resolve(root, path);
}

export function quickListStacks(options: { stack?: string; cwd?: string } = {}): QuickStack[] | undefined {
  try {
    const root = findProjectRoot(options.cwd);
    let config: Record<string, unknown> = {};
    const configPath = join(root, '.strata', 'config.json');
    if (existsSync(configPath))
      config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    const path = quickDatabasePath(root, config.databaseUrl);
    if (path === undefined || !existsSync(path)) return undefined;
    const require = createRequire(import.meta.url);
    const Database = require('better-sqlite3') as SqliteConstructor;
    // Point at the addon directly: the `bindings` lookup it replaces probes a dozen paths.
    const addon = join(
      dirname(require.resolve('better-sqlite3/package.json')),
      'build',
      'Release',
      'better_sqlite3.node',
    );
    const db = new Database(path, {
      readonly: true,
      fileMustExist: true,
      ...(existsSync(addon) ? { nativeBinding: addon } : {}),
    });
    try {
      const version = db.prepare('select max(version) as v from strata_schema_version').all()[0]?.v;
      if (!knownSchemaVersions.has(Number(version))) return undefined;
      const stacks = db.prepare('select name from stacks order by name').all();
      if (!stacks.some((s) => s.name === 'default')) return undefined;
      const parts = db
        .prepare(
          'select sc.stack_name as stack, sc.component_type as type, sc.component_name as name, c.flavor as flavor from stack_components sc join components c on c.type = sc.component_type and c.name = sc.component_name order by sc.component_type',
        )
        .all();
      const active =
        options.stack ??
        process.env.STRATA_STACK ??
        (typeof config.activeStack === 'string' ? config.activeStack : 'default');
      return stacks.map((s) => {
        const components: Record<string, { name: string; flavor: string }> = {};
        for (const p of parts)
          if (p.stack === s.name)
            components[String(p.type)] = { name: String(p.name), flavor: String(p.flavor) };
        return { name: String(s.name), active: s.name === active, components };
      });
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}
