import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { postgresTestEnv } from '../testing/postgres-env.js';
import { type PostgresTargets, postgresTargets, sqliteTargets } from '../testing/targets.js';
import { transferCases } from './transfer-cases.js';

const env = postgresTestEnv();

if (env.kind === 'missing') {
  it('needs a PostgreSQL server', () => {
    throw new Error(env.message);
  });
} else if (env.kind === 'ready') {
  const serverUrl = env.url;
  describe('export/import: SQLite to PostgreSQL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-transfer-'));
    let targets: PostgresTargets | undefined;
    beforeAll(async () => {
      targets = await postgresTargets(serverUrl);
    });
    afterAll(async () => {
      await targets?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    transferCases(
      () => dir,
      sqliteTargets(),
      () => targets!.next(),
    );
  });
}
