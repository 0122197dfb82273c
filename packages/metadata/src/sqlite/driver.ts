import type BetterSqlite3 from 'better-sqlite3';
import type { ReadNow, RunNow, WriteNow } from '../repositories/context.js';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from '../vendor/kysely.js';
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from '../vendor/kysely.js';

/**
 * Kysely's SQLite dialect with two changes that matter here:
 * - write transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN takes the write lock only
 *   at the first write and, if another process holds it, fails at once with SQLITE_BUSY instead of
 *   waiting for busy_timeout, so several processes writing one file would see "database is locked".
 *   (Kysely's `accessMode: 'read only'` still gets a deferred BEGIN.)
 * - prepared statements are cached by SQL text, so a repeated query costs one bind and step.
 */
export class StrataSqliteDialect implements Dialect {
  readonly #driver: StrataSqliteDriver;

  constructor(db: BetterSqlite3.Database) {
    this.#driver = new StrataSqliteDriver(db);
  }

  createDriver(): Driver {
    return this.#driver;
  }

  /** RepositoryContext.writeNow for this database (the driver's connection, its lock and statements). */
  readonly writeNow: WriteNow = (work) => this.#driver.writeNow(work);

  /** RepositoryContext.readNow for this database (the same connection, lock and statement cache). */
  readonly readNow: ReadNow = (sql, parameters) => this.#driver.readNow(sql, parameters);

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect signature.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

const beginWrite = CompiledQuery.raw('begin immediate');
const beginRead = CompiledQuery.raw('begin');
const commit = CompiledQuery.raw('commit');
const rollback = CompiledQuery.raw('rollback');

class StrataSqliteDriver implements Driver {
  readonly #connection: SqliteConnection;
  readonly #db: BetterSqlite3.Database;
  readonly #mutex = new ConnectionMutex();
  /** better-sqlite3's transaction wrapper (BEGIN IMMEDIATE … COMMIT, ROLLBACK on a throw), made once. */
  readonly #transaction: BetterSqlite3.Transaction<(work: (run: RunNow) => unknown, run: RunNow) => unknown>;
  readonly #runNow: RunNow;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#connection = new SqliteConnection(db);
    this.#transaction = db.transaction((work: (run: RunNow) => unknown, run: RunNow) => work(run));
    this.#runNow = (sql, parameters) => this.#connection.runNow(sql, parameters);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection per process: queries and transactions of concurrent callers take turns.
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(settings.accessMode === 'read only' ? beginRead : beginWrite);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(commit);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#db.inTransaction) await connection.executeQuery(rollback);
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /**
   * One write transaction run synchronously on the connection, once it is free (the same lock Kysely's
   * queries and transactions take): BEGIN IMMEDIATE, `work`, COMMIT, or ROLLBACK if `work` throws.
   */
  async writeNow<T>(work: (run: RunNow) => T): Promise<T> {
    await this.#mutex.lock();
    try {
      return this.#transaction.immediate(work, this.#runNow) as T;
    } finally {
      this.#mutex.unlock();
    }
  }

  /** One read statement, once the connection is free (the lock Kysely's queries take): rows as arrays. */
  async readNow(sql: string, parameters: readonly unknown[]): Promise<unknown[][]> {
    await this.#mutex.lock();
    try {
      return this.#connection.readRaw(sql, parameters);
    } finally {
      this.#mutex.unlock();
    }
  }

  async destroy(): Promise<void> {
    this.#connection.clear();
    if (this.#db.open) this.#db.close();
  }
}

/** Prepared statements kept per SQL text; the least recently used are dropped past this many. */
const statementCacheSize = 256;

class SqliteConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  /**
   * The cached statement for `sql`. A statement returning rows as arrays (readRaw) is a separate
   * statement object, kept under its own key: raw mode is a setting of the statement.
   */
  #prepare(sql: string, raw = false): BetterSqlite3.Statement {
    const key = raw ? `\u0000raw\u0000${sql}` : sql;
    let statement = this.#statements.get(key);
    if (statement) {
      // Map keeps insertion order: re-insert to mark it recently used.
      this.#statements.delete(key);
    } else {
      statement = this.#db.prepare(sql);
      if (raw) statement.raw(true);
      if (this.#statements.size >= statementCacheSize) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
    }
    this.#statements.set(key, statement);
    return statement;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  /** A write statement, run at once (writeNow): the number of rows it changed. */
  runNow(sql: string, parameters: readonly unknown[]): number {
    return this.#prepare(sql).run(parameters as unknown[]).changes;
  }

  /** A read statement's rows as arrays of column values (readNow). */
  readRaw(sql: string, parameters: readonly unknown[]): unknown[][] {
    return this.#prepare(sql, true).all(parameters as unknown[]) as unknown[][];
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    for (const row of statement.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }

  clear(): void {
    this.#statements.clear();
  }
}

class ConnectionMutex {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}
