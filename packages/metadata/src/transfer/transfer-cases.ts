import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../open-database.js';
import type { SqlStrataDatabase } from '../strata-database.js';
import { expectStrataError } from '../testing/contract/context.js';
import { runRecord, snapshotBody, stepRunRecord } from '../testing/fixtures.js';
import { readHistory, recordHistory } from '../testing/history.js';
import type { DatabaseTarget, TargetFactory } from '../testing/targets.js';
import { exportStore } from './export.js';
import { importStore } from './import.js';

/** Export/import cases between a SQLite source and `target` stores (SQLite or PostgreSQL). */
export function transferCases(dir: () => string, source: TargetFactory, target: TargetFactory): void {
  const opened: SqlStrataDatabase[] = [];
  const targets: DatabaseTarget[] = [];
  const open = async (factory: TargetFactory) => {
    const t = await factory();
    targets.push(t);
    const db = await openDatabase(t.url);
    opened.push(db);
    return db;
  };
  const closeAll = async () => {
    for (const db of opened.splice(0)) await db.close();
    for (const t of targets.splice(0)) await t.dispose();
  };

  it('moves every row to an empty store and back, identical (small pages exercise keyset paging)', async () => {
    try {
      const laptop = await open(source);
      await recordHistory(laptop, 'a');
      await recordHistory(laptop, 'b');
      const file = join(dir(), 'history.jsonl');
      const counts = await exportStore(laptop, file, { pageSize: 3 });
      expect(counts).toMatchObject({
        runs: 4,
        step_runs: 8,
        artifacts: 6,
        events: 12,
        logs: 8,
        alias_history: 4,
      });
      const team = await open(target);
      expect(await importStore(team, file)).toEqual(counts);
      expect(await readHistory(team)).toEqual(await readHistory(laptop));
      // And back: the second export holds exactly the same rows.
      const again = join(dir(), 'again.jsonl');
      await exportStore(team, again, { pageSize: 1000 });
      const body = async (f: string) => (await readFile(f, 'utf8')).split('\n').slice(1);
      expect(await body(again)).toEqual(await body(file));
    } finally {
      await closeAll();
    }
  });

  it('a run exported while running is crashed in the new store (nothing there could ever end it)', async () => {
    try {
      const laptop = await open(source);
      await laptop.saveSnapshot({
        id: 'snap',
        pipelineName: 'train',
        body: snapshotBody('snap', ['load', 'fit']),
        createdAt: 10,
      });
      await laptop.createRun(runRecord('live', { snapshotId: 'snap', createdAt: 100, status: 'running' }), [
        stepRunRecord('live-load', 'live', { nodeId: 'load', stepName: 'load', status: 'running' }),
        stepRunRecord('live-fit', 'live', { nodeId: 'fit', stepName: 'fit' }),
      ]);
      const file = join(dir(), 'live.jsonl');
      await exportStore(laptop, file);
      const team = await open(target);
      await importStore(team, file);
      const run = await team.getRun('live');
      expect(run).toMatchObject({ status: 'crashed' });
      expect(run?.error).toContain(`was pending or running when exported (imported from ${file})`);
      const steps = await team.listStepRuns('live');
      expect(Object.fromEntries(steps.map((s) => [s.nodeId, s.status]))).toEqual({
        load: 'crashed',
        fit: 'cancelled',
      });
      // The exporting store is left as it was: the run may still be going there.
      expect((await laptop.getRun('live'))?.status).toBe('running');
    } finally {
      await closeAll();
    }
  });

  it('replaces the automatic default stack, but refuses a store with history, changing nothing', async () => {
    try {
      const laptop = await open(source);
      await recordHistory(laptop);
      const file = join(dir(), 'h.jsonl');
      await exportStore(laptop, file);
      const team = await open(target);
      await team.createComponent({
        type: 'orchestrator',
        name: 'default',
        flavor: 'local',
        config: {},
        createdAt: 1,
        updatedAt: 1,
      });
      await team.createStack({
        name: 'default',
        components: { orchestrator: 'default' },
        createdAt: 1,
        updatedAt: 1,
      });
      await importStore(team, file);
      expect((await team.listStacks()).map((s) => s.name)).toEqual(['h-stack']);
      const error = await expectStrataError(importStore(team, file), 'store_not_empty');
      expect(error.message).toMatch(/2 runs/);
      expect(await team.listRuns()).toHaveLength(2);
    } finally {
      await closeAll();
    }
  });

  it('refuses a truncated or foreign file, leaving the store empty', async () => {
    try {
      const laptop = await open(source);
      await recordHistory(laptop);
      const file = join(dir(), 'full.jsonl');
      await exportStore(laptop, file);
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      const team = await open(target);
      const truncated = join(dir(), 'truncated.jsonl');
      await writeFile(truncated, `${lines.slice(0, -5).join('\n')}\n`);
      const error = await expectStrataError(importStore(team, truncated), 'invalid_export_file');
      expect(error.message).toMatch(/truncated/);
      expect(await team.listRuns()).toEqual([]);
      const foreign = join(dir(), 'foreign.jsonl');
      await writeFile(foreign, '{"hello":"world"}\n');
      await expectStrataError(importStore(team, foreign), 'invalid_export_file');
      const badColumn = join(dir(), 'bad-column.jsonl');
      await writeFile(badColumn, [lines[0], '{"table":"runs","row":{"id":"x","colour":"red"}}'].join('\n'));
      const columnError = await expectStrataError(importStore(team, badColumn), 'invalid_export_file');
      expect(columnError.message).toContain('line 2: runs has no column "colour"');
      const newer = join(dir(), 'newer.jsonl');
      await writeFile(newer, `${JSON.stringify({ ...JSON.parse(lines[0]!), schemaVersion: 999 })}\n`);
      await expectStrataError(importStore(team, newer), 'schema_too_new');
      expect(await team.listComponents()).toEqual([]);
    } finally {
      await closeAll();
    }
  });
}
