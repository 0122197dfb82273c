import { type Kysely, PostgresAdapter, sql } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * The API server's tables:
 * - `api_tokens`: bearer tokens, stored as a scrypt hash (the secret is shown once, at creation);
 * - `audit_log`: every write action through the server, with who, what and why;
 * - `changes`: an append-only change feed filled by triggers on runs, step runs, logs and the model
 *   registry, so every writer (CLI, workers, containers, other servers) feeds the live event stream
 *   without knowing about it. Its `seq` is the SSE event id. On PostgreSQL each row also records its
 *   transaction id (`xid`): a reader only takes rows of transactions older than every one still open,
 *   so a row committed late under a smaller seq is never skipped; a trigger NOTIFYs `strata_changes`.
 */
export const serverTables: Migration = {
  version: 7,
  name: 'server',
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema;
    const pg = db.getExecutor().adapter instanceof PostgresAdapter;

    await s
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();

    await s
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('token_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('remote', 'text')
      .execute();
    await s.createIndex('audit_log_by_at').on('audit_log').columns(['at desc', 'id desc']).execute();

    if (pg) await postgresFeed(db);
    else await sqliteFeed(db);
  },
};

async function sqliteFeed(db: Kysely<unknown>): Promise<void> {
  await sql`create table changes (
    seq integer primary key autoincrement,
    kind text not null,
    run_id text,
    data text not null,
    at bigint not null
  )`.execute(db);
  await sql`create index changes_by_at on changes (at)`.execute(db);
  const now = sql.raw(`cast((julianday('now') - 2440587.5) * 86400000 as integer)`);
  const change = (kind: string, runId: string, data: string) =>
    sql.raw(`insert into changes (kind, run_id, data, at) values ('${kind}', ${runId}, ${data}, `);
  const triggers: [string, string, string, string, string][] = [
    [
      'changes_runs_insert',
      'after insert on runs',
      'run',
      'new.id',
      `json_object('runId', new.id, 'pipelineName', new.pipeline_name, 'status', new.status)`,
    ],
    [
      'changes_runs_status',
      'after update of status on runs when new.status is not old.status',
      'run',
      'new.id',
      `json_object('runId', new.id, 'pipelineName', new.pipeline_name, 'status', new.status)`,
    ],
    [
      'changes_steps_insert',
      'after insert on step_runs',
      'step',
      'new.run_id',
      `json_object('runId', new.run_id, 'stepRunId', new.id, 'nodeId', new.node_id, 'status', new.status)`,
    ],
    [
      'changes_steps_status',
      'after update of status on step_runs when new.status is not old.status',
      'step',
      'new.run_id',
      `json_object('runId', new.run_id, 'stepRunId', new.id, 'nodeId', new.node_id, 'status', new.status)`,
    ],
    [
      'changes_logs_insert',
      'after insert on logs',
      'log',
      '(select run_id from step_runs where id = new.step_run_id)',
      `json_object('runId', (select run_id from step_runs where id = new.step_run_id), 'stepRunId', new.step_run_id, 'seq', new.seq, 'level', new.level, 'message', substr(new.message, 1, 4096))`,
    ],
    [
      'changes_model_versions_insert',
      'after insert on model_versions',
      'model',
      'new.run_id',
      `json_object('model', new.model, 'alias', null, 'version', new.version, 'action', 'register')`,
    ],
    [
      'changes_alias_history_insert',
      'after insert on alias_history',
      'model',
      'null',
      `json_object('model', new.model, 'alias', new.alias, 'version', new.version, 'action', new.action)`,
    ],
  ];
  for (const [name, when, kind, runId, data] of triggers) {
    await sql`create trigger ${sql.raw(name)} ${sql.raw(when)} begin ${change(kind, runId, data)}${now}); end`.execute(
      db,
    );
  }
}

async function postgresFeed(db: Kysely<unknown>): Promise<void> {
  await sql`create table changes (
    seq bigserial primary key,
    xid xid8 not null default pg_current_xact_id(),
    kind text not null,
    run_id text,
    data text not null,
    at bigint not null default (extract(epoch from clock_timestamp()) * 1000)::bigint
  )`.execute(db);
  await sql`create index changes_by_xid on changes (xid, seq)`.execute(db);
  await sql`create index changes_by_at on changes (at)`.execute(db);
  const fn = (name: string, body: string) =>
    sql`create or replace function ${sql.raw(name)}() returns trigger language plpgsql as ${sql.lit(
      `begin\n${body}\nperform pg_notify('strata_changes', '');\nreturn null;\nend`,
    )}`.execute(db);
  await fn(
    'strata_changes_runs',
    `if tg_op = 'UPDATE' and new.status is not distinct from old.status then return null; end if;
insert into changes (kind, run_id, data) values ('run', new.id,
  json_build_object('runId', new.id, 'pipelineName', new.pipeline_name, 'status', new.status)::text);`,
  );
  await fn(
    'strata_changes_steps',
    `if tg_op = 'UPDATE' and new.status is not distinct from old.status then return null; end if;
insert into changes (kind, run_id, data) values ('step', new.run_id,
  json_build_object('runId', new.run_id, 'stepRunId', new.id, 'nodeId', new.node_id, 'status', new.status)::text);`,
  );
  await fn(
    'strata_changes_logs',
    `insert into changes (kind, run_id, data)
select 'log', s.run_id, json_build_object('runId', s.run_id, 'stepRunId', new.step_run_id, 'seq', new.seq,
  'level', new.level, 'message', substr(new.message, 1, 4096))::text
from step_runs s where s.id = new.step_run_id;`,
  );
  await fn(
    'strata_changes_model_versions',
    `insert into changes (kind, run_id, data) values ('model', new.run_id,
  json_build_object('model', new.model, 'alias', null, 'version', new.version, 'action', 'register')::text);`,
  );
  await fn(
    'strata_changes_alias_history',
    `insert into changes (kind, run_id, data) values ('model', null,
  json_build_object('model', new.model, 'alias', new.alias, 'version', new.version, 'action', new.action)::text);`,
  );
  const trigger = (name: string, when: string, table: string, fnName: string) =>
    sql`create trigger ${sql.raw(name)} after ${sql.raw(when)} on ${sql.raw(table)} for each row execute function ${sql.raw(fnName)}()`.execute(
      db,
    );
  await trigger('changes_runs', 'insert or update of status', 'runs', 'strata_changes_runs');
  await trigger('changes_steps', 'insert or update of status', 'step_runs', 'strata_changes_steps');
  await trigger('changes_logs', 'insert', 'logs', 'strata_changes_logs');
  await trigger('changes_model_versions', 'insert', 'model_versions', 'strata_changes_model_versions');
  await trigger('changes_alias_history', 'insert', 'alias_history', 'strata_changes_alias_history');
}
