import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database.js';
import { expectConsistentWrites, runConcurrentWriters } from '../testing/concurrent-writers.js';
import { describeDatabaseContract } from '../testing/database-contract.js';
import { postgresTestEnv } from '../testing/postgres-env.js';
import { type PostgresTargets, postgresTargets } from '../testing/targets.js';

const env = postgresTestEnv();

if (env.kind === 'missing') {
  it('needs a PostgreSQL server', () => {
    throw new Error(env.message);
  });
} else if (env.kind === 'skip') {
  describe.skip('PostgreSQL metadata store (STRATA_SKIP_POSTGRES=1)', () => {
    it('skipped', () => {});
  });
} else {
  const serverUrl = env.url;
  let targets: PostgresTargets | undefined;
  beforeAll(async () => {
    targets = await postgresTargets(serverUrl);
  });
  afterAll(async () => {
    await targets?.dispose();
  });

  describeDatabaseContract('PostgreSQL (throwaway database, a schema per test)', () => targets!.next());

  describe('PostgreSQL connection', () => {
    it('never shows the password: not in url, not in errors', async () => {
      const url = new URL(targets!.databaseUrl);
      url.password = 'pw-that-is-wrong-4711';
      url.searchParams.set('schema', 'never_created');
      let error: unknown;
      try {
        await openDatabase(url.toString());
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'database_unreachable' });
      const text = `${(error as Error).message} ${JSON.stringify(error)} ${(error as { fix?: string }).fix}`;
      expect(text).not.toContain('pw-that-is-wrong-4711');
      expect((error as Error).message).toContain(':***@');

      const ok = await openDatabase(`${targets!.databaseUrl}?schema=redaction`);
      try {
        expect(ok.url).toMatch(/^postgres:\/\/[^:]+:\*\*\*@/);
        const password = new URL(serverUrl).password;
        if (password) expect(ok.url).not.toContain(`:${password}@`);
        expect(ok.shared).toBe(true);
      } finally {
        await ok.close();
      }
    });

    it('names the server it cannot reach', async () => {
      const error = await openDatabase('postgres://strata:secret-pw@127.0.0.1:1/nowhere').catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'database_unreachable' });
      expect((error as Error).message).toContain('postgres://strata:***@127.0.0.1:1/nowhere');
      expect((error as Error).message).not.toContain('secret-pw');
    });
  });

  describe('PostgreSQL with several writer processes', () => {
    it('16 processes migrate the same new schema and record runs at once: none fails, all rows consistent', async () => {
      const { url } = await targets!.next();
      const options = { url, processes: 16, runsPerProcess: 10, stepsPerRun: 4 };
      const outcomes = await runConcurrentWriters(options);
      await expectConsistentWrites(options, outcomes);
    }, 600_000);
  });
}
