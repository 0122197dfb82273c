import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undeclaredReads, undeclaredReadsStrict } from './fixtures/pipelines.js';

/** Step processes (process isolation; Docker and Temporal run the same step-entry) watch their reads. */
describe('undeclared reads under process isolation', { timeout: 300_000 }, () => {
  let temp: TemporaryStack;
  let params: { declared: string; file: string };
  beforeAll(async () => {
    temp = await createTemporaryStack({ isolation: 'process' });
    writeFileSync(join(temp.root, 'declared.csv'), 'a\n');
    writeFileSync(join(temp.root, 'notes.txt'), 'b\n');
    params = { declared: join(temp.root, 'declared.csv'), file: join(temp.root, 'notes.txt') };
  });
  afterAll(() => temp.cleanup());

  it('records a warning naming the undeclared file and how to declare it; the declared source is not reported', async () => {
    const handle = await undeclaredReads.run({ stack: temp.stack, params });
    const run = await handle.wait();
    expect(run.status).toBe('completed');
    expect(await handle.output('reads_undeclared', 'text')).toBe('a\nb\n');
    const id = `${run.id}/reads_undeclared`;
    const warnings = (await temp.stack.database.readLogs({ stepRunId: id })).filter((l) =>
      l.message.includes('undeclared read'),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.message).toContain(`the step read ${params.file}, which is not a declared source`);
    expect(warnings[0]!.message).toContain("source('notes.txt')");
    expect(await temp.stack.database.getMetadata('step_run', id)).toMatchObject({
      'strata.undeclaredReads': [params.file],
    });
  });

  it('strict mode fails the step with undeclared_read', async () => {
    const run = await (await undeclaredReadsStrict.run({ stack: temp.stack, params })).wait();
    expect(run.status).toBe('failed');
    const row = (await temp.stack.database.getStepRun(`${run.id}/reads_undeclared`))!;
    expect(row.status).toBe('failed');
    expect(row.error).toContain(`read a file that is not a declared source: ${params.file}`);
  });
});
