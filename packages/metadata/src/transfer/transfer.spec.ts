import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { sqliteTargets } from '../testing/targets.js';
import { transferCases } from './transfer-cases.js';

describe('export/import: SQLite to SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-transfer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  transferCases(() => dir, sqliteTargets(), sqliteTargets());
});
