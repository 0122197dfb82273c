import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { bootId } from '@strata/core/plugin';
import { openPostgresDatabase, type SqlStrataDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject, workspace } from './temp-project.js';

/**
 * `strata doctor` on a PostgreSQL metadata store (the test server, scripts/services/postgres.sh; a
 * schema of its own): index validity, schema version, dangling rows, stuck runs and blobs are checked,
 * and `--repair` fixes what is safe, as on SQLite (repair.e2e.spec.ts).
 */
const fixture = join(workspace, 'packages/cli/src/e2e/fixtures/blob.pipeline.ts');
const server = process.env.STRATA_TEST_POSTGRES_URL;
const schema = `doctor_${process.pid}_${Date.now() % 100_000}`;

describe('strata doctor on PostgreSQL (built binary)', { timeout: 300_000 }, () => {
  let p: TempProject;
  let db: SqlStrataDatabase;

  beforeAll(async () => {
    if (!server)
      throw new Error(
        'STRATA_TEST_POSTGRES_URL is not set: bash scripts/services/postgres.sh, then source .services/env',
      );
    ensureBuilt();
    const url = new URL(server);
    // The password reaches the CLI through PGPASSWORD, never the project's config file.
    process.env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = '';
    url.searchParams.set('schema', schema);
    p = await createTempProject();
    await p.write('blob.ts', await readFile(fixture, 'utf8'));
    expect(p.strata('init').code).toBe(0);
    const config = JSON.parse(readFileSync(p.path('.strata', 'config.json'), 'utf8'));
    writeFileSync(p.path('.strata', 'config.json'), JSON.stringify({ ...config, databaseUrl: url.href }));
    const run = p.strata('run', 'blob.ts');
    expect(run.code, run.stderr).toBe(0);
    db = (await openPostgresDatabase(
      `${server}${server.includes('?') ? '&' : '?'}schema=${schema}`,
    )) as SqlStrataDatabase;
  });
  afterAll(async () => {
    if (db) {
      await db.context.db.schema
        .dropSchema(schema)
        .ifExists()
        .cascade()
        .execute()
        .catch(() => undefined);
      await db.close();
    }
    await p?.dispose();
  });

  it('finds dangling rows, a stuck run and a corrupt blob; --repair fixes them; then all is ok', async () => {
    const clean = p.strata('doctor', '--full');
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/ok\s+database PostgreSQL: every index of the schema is valid/);
    expect(clean.stdout).toMatch(/ok\s+database schema version \d+ \(current\)/);
    expect(clean.stdout).toMatch(/ok\s+blobs\s+1 blobs verified \(all\)/);

    // The damage a crash or a hand edit leaves: a step row active in a finished run, an owner row of
    // a run that does not exist, a run marked running whose process is gone, a blob with flipped bytes.
    const [done] = await db.listRuns({ limit: 1 });
    const q = db.context.db;
    await q.updateTable('step_runs').set({ status: 'running' }).where('run_id', '=', done!.id).execute();
    const dead = { kind: 'process', pid: 4_000_000, host: hostname(), bootId: bootId(), startTicks: 1 };
    await q
      .insertInto('owners')
      .values({ run_id: 'r-gone', step_run_id: '', owner: JSON.stringify(dead), heartbeat_at: 1 })
      .execute();
    const stuck = p.strata('run', 'blob.ts', '--no-cache');
    expect(stuck.code).toBe(0);
    const [latest] = await db.listRuns({ limit: 1 });
    await q
      .updateTable('runs')
      .set({ status: 'running', ended_at: null })
      .where('id', '=', latest!.id)
      .execute();
    await db.setOwner({ runId: latest!.id, stepRunId: null, owner: dead as never, heartbeatAt: Date.now() });
    const listed = JSON.parse(p.strata('artifacts', 'list', '--json').stdout) as {
      uri: string;
      size: number;
    }[];
    const blob = new URL(listed.find((a) => a.size > 100_000)!.uri).pathname;
    const bytes = readFileSync(blob);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(blob, bytes);

    const checked = p.strata('doctor', '--full');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/FAIL database 1 owner rows of runs that do not exist/);
    expect(checked.stdout).toMatch(/FAIL database \d+ step rows still pending\/running in a finished run/);
    // Reconciling is what every reader does: the stuck run is crashed at once.
    expect(checked.stdout).toMatch(
      /fixed runs\s+1 runs marked active: 1 had lost their owner and are now crashed/,
    );
    expect(checked.stdout).toMatch(/FAIL blobs\s+corrupt: /);
    expect(checked.stderr).toContain('strata doctor --repair');
    expect((await db.getRun(latest!.id))?.status).toBe('crashed');

    const repaired = p.strata('doctor', '--full', '--repair');
    expect(repaired.stdout).toMatch(/fixed database 1 owner rows/);
    expect(repaired.stdout).toMatch(/fixed database \d+ step rows still pending\/running/);
    expect(repaired.stdout).toMatch(/fixed blobs\s+corrupt: .*moved aside/);
    expect(p.strata('run', 'blob.ts').code).toBe(0);
    const after = p.strata('doctor', '--full');
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });
});
