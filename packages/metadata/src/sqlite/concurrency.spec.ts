import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectConsistentWrites, runConcurrentWriters } from '../testing/concurrent-writers.js';

describe('SQLite with several writer processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-concurrency-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('8 processes record runs, steps and artifacts into one file at once: none fails, all rows consistent', async () => {
    const options = {
      url: `sqlite:${join(dir, 'strata.db')}`,
      processes: 8,
      runsPerProcess: 25,
      stepsPerRun: 4,
    };
    const outcomes = await runConcurrentWriters(options);
    await expectConsistentWrites(options, outcomes);
  }, 300_000);
});
